import DataLoader from "dataloader";
import { assignmentInForce, organisationScope } from "../../auth/row-scope.js";
import { indexByKey, type RequestContext } from "../../graphql/context.js";
import { type ColumnSelect, loadChildrenByColumns, projectedKeyName, type ProjectedKey } from "../../graphql/projection.js";
import type { OrganisationRow } from "./organisation.type.js";

/** The organisations of `ids` the viewer may see (all columns, or those of `columns`): the one scoped read both loaders share. */
function organisationsInScope(ctx: RequestContext, ids: readonly string[], columns: ColumnSelect = null): Promise<OrganisationRow[]> {
  if (!ctx.viewer) return Promise.resolve([]);
  return ctx.db.organisation.findMany({
    where: { id: { in: [...ids] }, ...organisationScope(ctx.viewer, ctx.today) },
    ...(columns ? { select: columns } : {}),
  }) as Promise<OrganisationRow[]>;
}

/** Organisations by id, inside the viewer's scope (null when missing or out of scope). */
export const organisationById = (ctx: RequestContext) =>
  new DataLoader<string, OrganisationRow | null, string>(async (ids) => indexByKey(ids, await organisationsInScope(ctx, ids), (row) => row.id));

/**
 * Organisations by id with the columns an operation asks for (nested paths such as opportunity.organisation
 * on a board of 200 deals), inside the viewer's scope; rows are partial when `columns` is set.
 */
export const projectedOrganisationById = (ctx: RequestContext) =>
  new DataLoader<ProjectedKey, OrganisationRow | null, string>(
    async (keys) => (await loadChildrenByColumns(keys, (ids, columns) => organisationsInScope(ctx, ids, columns), (row) => row.id)).map((rows) => rows[0] ?? null),
    { cacheKeyFn: projectedKeyName },
  );

/** The rep in charge of each organisation today (the most recent assignment in force). */
export const assignedRepIdByOrganisation = (ctx: RequestContext) =>
  new DataLoader<string, string | null, string>(async (organisationIds) => {
    const rows = await ctx.db.organisationAssignment.findMany({
      where: { organisationId: { in: [...organisationIds] }, ...assignmentInForce(ctx.today) },
      orderBy: { validFrom: "asc" },
      select: { organisationId: true, repId: true },
    });
    const latest = new Map(rows.map((row) => [row.organisationId, row.repId]));
    return organisationIds.map((id) => latest.get(id) ?? null);
  });
