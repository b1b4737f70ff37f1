import { createRequire } from "node:module";
import ts from "typescript";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

/**
 * Compiles our TypeScript with TypeScript itself: type-graphql needs decorator metadata, which esbuild does
 * not emit (and native transpilers would need platform binaries the lock file cannot always record).
 */
function typescriptWithDecoratorMetadata(): Plugin {
  return {
    name: "typescript-decorator-metadata",
    enforce: "pre",
    transform(code, id) {
      if (!id.endsWith(".ts") || id.includes("/node_modules/")) return null;
      const output = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          useDefineForClassFields: false,
          sourceMap: true,
        },
      });
      return { code: output.outputText, map: output.sourceMapText ?? null };
    },
  };
}

export default defineConfig({
  plugins: [typescriptWithDecoratorMetadata()],
  oxc: false,
  // One copy of graphql-js: the same CommonJS build that Node gives type-graphql, Apollo and graphql-shield
  // (Vite would otherwise pick the .mjs build for our sources, and `instanceof` checks would fail).
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }] },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
