// PostGraphile v5 (grafast, @dataplan/pg) calls Promise.withResolvers, which Node only has from 22; on
// Node 20 every select failed with "Cannot read properties of undefined (reading 'items')".
// Imported first by postgraphile-server.ts so that it runs before PostGraphile's modules.
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}
const PromiseWithResolvers = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
PromiseWithResolvers.withResolvers ??= <T>() => {
  let resolve!: Resolvers<T>["resolve"];
  let reject!: Resolvers<T>["reject"];
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
export {};
