import DataLoader from "dataloader";
import { groupByKey, indexByKey, type RequestContext } from "../../graphql/context.js";
import { materialRequestScope } from "./material-request.scope.js";
import type { MaterialRequestRow } from "./material-request.type.js";

/** Requests by id, inside the viewer's scope (null when missing or out of scope). */
export const materialRequestById = (ctx: RequestContext) =>
  new DataLoader<string, MaterialRequestRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.materialRequest.findMany({ where: { id: { in: [...ids] }, ...materialRequestScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });

/** Requests of each visit the viewer may see, oldest first. */
export const materialRequestsByVisit = (ctx: RequestContext) =>
  new DataLoader<string, MaterialRequestRow[], string>(async (visitIds) => {
    const rows = ctx.viewer
      ? await ctx.db.materialRequest.findMany({
          where: { visitId: { in: [...visitIds] }, ...materialRequestScope(ctx.viewer, ctx.today) },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        })
      : [];
    return groupByKey(visitIds, rows, (row) => row.visitId!);
  });
