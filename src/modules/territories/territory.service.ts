import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import DataLoader from "dataloader";
import { indexByKey, type AuthedContext, type RequestContext } from "../../graphql/context.js";
import type { TerritoryRow } from "./territory.type.js";
import { notFound } from "../../graphql/errors.js";
import { expectGlobalId, lazyConnection, readPage, type PageArgs } from "../../graphql/relay.js";
import { assignmentInForce } from "../../auth/row-scope.js";

/** Territories a viewer may read: head office and stewards all, managers their team's, reps those they hold. */
export function territoryScope(viewer: Viewer, day: Date): Prisma.TerritoryWhereInput {
  switch (viewer.kind) {
    case "HEAD_OFFICE":
    case "DATA_STEWARD":
      return {};
    case "MANAGER":
      return { teamId: viewer.teamId ?? "00000000-0000-0000-0000-000000000000" };
    case "REP":
      return { holders: { some: { repId: viewer.userId, ...assignmentInForce(day) } } };
    case "PARTNER":
      return { id: { in: [...viewer.restrictTerritoryIds] } };
    case "SERVICE":
      return { id: { in: [] } };
  }
}

export function listTerritories(ctx: AuthedContext, pageArgs: PageArgs) {
  const page = readPage(pageArgs);
  const where = territoryScope(ctx.viewer, ctx.today);
  return lazyConnection(
    () =>
      ctx.db.territory.findMany({
        where,
        orderBy: [{ name: "asc" }, { id: "asc" }],
        take: page.take + 1,
        ...(page.afterId ? { cursor: { id: page.afterId }, skip: 1 } : {}),
      }),
    page,
    () => ctx.db.territory.count({ where }),
  );
}

export async function getTerritory(ctx: AuthedContext, globalId: string) {
  const territory = await ctx.db.territory.findFirst({
    where: { id: expectGlobalId(globalId, "Territory"), ...territoryScope(ctx.viewer, ctx.today) },
  });
  if (!territory) throw notFound("Territory");
  return territory;
}

/** Territories by id, unscoped: for showing the restriction of a token its viewer may already see. */
export async function loadTerritories(ctx: RequestContext, ids: string[]) {
  const rows = await ctx.loaders.get(territoryById).loadMany(ids);
  return rows.filter((row): row is TerritoryRow => row !== null && !(row instanceof Error));
}

export const territoryById = (ctx: RequestContext) =>
  new DataLoader<string, TerritoryRow | null, string>(async (ids) => {
    const rows = await ctx.db.territory.findMany({ where: { id: { in: [...ids] } } });
    return indexByKey(ids, rows, (row) => row.id);
  });
