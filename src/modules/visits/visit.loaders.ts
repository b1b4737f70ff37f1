import DataLoader from "dataloader";
import { groupByKey, indexByKey, type RequestContext } from "../../graphql/context.js";
import { visitScope } from "./visit.scope.js";
import type { VisitPolicyRow, VisitRow } from "./visit.type.js";

/** Visits by id, inside the viewer's scope (null when missing or out of scope). */
export const visitById = (ctx: RequestContext) =>
  new DataLoader<string, VisitRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.visit.findMany({ where: { id: { in: [...ids] }, ...visitScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });

/** Visits of each organisation, most recent first, inside the viewer's scope (one query per batch). */
export const visitsByOrganisation = (ctx: RequestContext) =>
  new DataLoader<string, VisitRow[], string>(async (organisationIds) => {
    const rows = ctx.viewer
      ? await ctx.db.visit.findMany({
          where: { AND: [{ organisationId: { in: [...organisationIds] } }, visitScope(ctx.viewer, ctx.today)] },
          orderBy: [{ plannedAt: "desc" }, { id: "desc" }],
        })
      : [];
    return groupByKey(organisationIds, rows, (row) => row.organisationId!);
  });

/** Policies are configuration (a handful of rows), read once per request. */
export const allPolicies = (ctx: RequestContext) =>
  new DataLoader<"all", VisitPolicyRow[], string>(async (keys) => {
    const rows = await ctx.db.visitPolicy.findMany({ orderBy: [{ intervalMonths: "asc" }, { name: "asc" }, { id: "asc" }] });
    return keys.map(() => rows);
  });
