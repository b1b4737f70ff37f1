// Nested lists with arguments (Organisation.orders(filter: …), Organisation.incidents(…)): the parents of a
// request asking with the same arguments are read in ONE query, grouped by parent afterwards; an operation
// asks with one or two sets of arguments, so the number of queries does not grow with the parents.
import DataLoader from "dataloader";
import { groupByKey, type LoaderFactory, type RequestContext } from "../../graphql/context.js";

export interface ChildrenKey<Args> {
  parentId: string;
  args: Args;
}

export function childrenByArguments<Args, Row>(
  fetch: (ctx: RequestContext, parentIds: string[], args: Args) => Promise<Row[]>,
  parentOf: (row: Row) => string,
): LoaderFactory<ChildrenKey<Args>, Row[]> {
  const argsKey = (key: ChildrenKey<Args>) => JSON.stringify(key.args);
  const cacheKey = (key: ChildrenKey<Args>) => `${argsKey(key)}|${key.parentId}`;
  return (ctx) =>
    new DataLoader<ChildrenKey<Args>, Row[], string>(
      async (keys) => {
        const groups = new Map<string, ChildrenKey<Args>[]>();
        for (const key of keys) groups.set(argsKey(key), [...(groups.get(argsKey(key)) ?? []), key]);
        const lists = new Map<string, Row[]>();
        await Promise.all(
          [...groups.values()].map(async (group) => {
            const parentIds = group.map((key) => key.parentId);
            const rows = await fetch(ctx, parentIds, group[0]!.args);
            groupByKey(parentIds, rows, parentOf).forEach((list, i) => lists.set(cacheKey(group[i]!), list));
          }),
        );
        return keys.map((key) => lists.get(cacheKey(key)) ?? []);
      },
      { cacheKeyFn: cacheKey },
    );
}
