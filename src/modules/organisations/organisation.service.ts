// Reads of the organisation referential, always through the viewer's scope.
import { assignmentInForce, organisationScope } from "../../auth/row-scope.js";
import { and, compare, contains, idIs, inForce, NULLABLE, oneOf, startsWith, through, toWhere, type Condition } from "../../auth/scope/condition.js";
import { assignmentsOf } from "../../auth/scope/entities.js";
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { notFound } from "../../errors/api-errors.js";
import { filterTreeCondition } from "../../graphql/filter-tree.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";
import { customFieldFilterOf } from "../custom-fields/custom-field.service.js";
import { type Connection, expectGlobalId, lazyConnection, type PageArgs, pageWindow, readPage } from "../../graphql/relay.js";
import type { ColumnSelect } from "../../graphql/projection.js";
import { listOrder, type OrderColumn } from "../../graphql/sorting.js";
import { assignedRepIdByOrganisation, organisationById, projectedOrganisationById } from "./organisation.loaders.js";
import { foldSearchText } from "./organisation.search.js";
import { OrganisationOrderField, type OrganisationFilter, type OrganisationOrder, type OrganisationRow } from "./organisation.type.js";

const ORDER_COLUMNS: Record<OrganisationOrderField, OrderColumn> = {
  NAME: { column: "name" },
  CREATED_AT: { column: "createdAt" },
  UPDATED_AT: { column: "updatedAt" },
  POSTAL_CODE: { column: "postalCode", nulls: "database" },
};

/** One filter node's own conditions (AND / OR / NOT are composed by filterTreeCondition). */
function nodeConditions(ctx: AuthedContext, filter: OrganisationFilter, custom: (node: OrganisationFilter) => Condition[]): Condition[] {
  const conditions = custom(filter);
  if (filter.text?.trim()) conditions.push(contains("searchName", foldSearchText(filter.text)));
  if (filter.status?.length) conditions.push(oneOf("status", filter.status));
  if (filter.category?.length) conditions.push(oneOf("category", filter.category));
  if (filter.segment?.length) conditions.push(oneOf("segment", filter.segment));
  if (filter.region?.length) conditions.push(oneOf("region", filter.region, NULLABLE));
  if (filter.postalCodePrefix) conditions.push(startsWith("postalCode", filter.postalCodePrefix, NULLABLE));
  if (filter.banner) conditions.push(compare("banner", "equals", filter.banner, NULLABLE));
  if (filter.parentId) conditions.push(compare("parentId", "equals", expectGlobalId(filter.parentId, "Organisation"), NULLABLE));
  if (filter.assignedRepId) {
    const repId = expectGlobalId(filter.assignedRepId, "User");
    conditions.push(through(assignmentsOf("id"), and(inForce(ctx.today), idIs("repId", repId))));
  }
  if (filter.updatedAfter) conditions.push(compare("updatedAt", "gt", filter.updatedAfter));
  return conditions;
}

/** THE meaning of an organisation filter (the list reads it as a Prisma `where`, the aggregates as SQL); the scope is the caller's. */
export async function organisationFilterCondition(ctx: AuthedContext, filter: OrganisationFilter | null | undefined): Promise<Condition> {
  const custom = await customFieldFilterOf<OrganisationFilter>(ctx, CustomFieldEntity.ORGANISATION, filter);
  return filterTreeCondition(filter, (node) => nodeConditions(ctx, node, custom));
}

/** `columns`: what the operation reads of each organisation (connectionColumns with ORGANISATION_COLUMNS). */
export async function listOrganisations(
  ctx: AuthedContext,
  filter: OrganisationFilter | null | undefined,
  order: readonly OrganisationOrder[] | null | undefined,
  pageArgs: PageArgs,
  columns: ColumnSelect,
): Promise<Connection<OrganisationRow>> {
  const filtered = await organisationFilterCondition(ctx, filter);
  const { orderBy, signature } = listOrder<OrganisationOrderField, Prisma.OrganisationOrderByWithRelationInput>(order, ORDER_COLUMNS, { field: OrganisationOrderField.NAME });
  const page = readPage(pageArgs, signature);
  const where: Prisma.OrganisationWhereInput = {
    AND: [organisationScope(ctx.viewer, ctx.today), toWhere<Prisma.OrganisationWhereInput>(filtered)],
  };
  const rows = async () => {
    const list = (await ctx.db.organisation.findMany({
      where,
      orderBy,
      ...pageWindow(page),
      ...(columns ? { select: columns } : {}),
    })) as OrganisationRow[];
    // Nested paths that lead back to these organisations (contact.organisation…) need no new query.
    if (!columns) {
      const byId = ctx.loaders.get(organisationById);
      for (const row of list) byId.prime(row.id, row);
    }
    return list;
  };
  return lazyConnection(rows, page, () => ctx.db.organisation.count({ where }));
}

export async function getOrganisation(ctx: AuthedContext, globalId: string): Promise<OrganisationRow> {
  const id = expectGlobalId(globalId, "Organisation");
  const organisation = (await ctx.loaders.get(organisationById).load(id)) ?? (await mergedTarget(ctx, id));
  if (!organisation) throw notFound("Organisation");
  return organisation;
}

/** A merged record's id resolves to the organisation it was merged into (followed through chains), scope applied. */
async function mergedTarget(ctx: AuthedContext, id: string): Promise<OrganisationRow | null> {
  let current = id;
  for (let hops = 0; hops < 10; hops += 1) {
    const row = await ctx.db.organisation.findUnique({ where: { id: current }, select: { mergedIntoId: true } });
    if (!row?.mergedIntoId) return hops === 0 ? null : ctx.loaders.get(organisationById).load(current);
    current = row.mergedIntoId;
  }
  return null;
}

/**
 * For nested paths: the organisation if the viewer may see it, else null (exactly like a missing one).
 * `columns`: what the operation reads of it (objectColumns with ORGANISATION_COLUMNS), null for the whole row.
 */
export function loadOrganisation(ctx: RequestContext, id: string | null, columns: ColumnSelect = null): Promise<OrganisationRow | null> | null {
  if (!id) return null;
  return columns ? ctx.loaders.get(projectedOrganisationById).load({ parentId: id, columns }) : ctx.loaders.get(organisationById).load(id);
}

export async function assignedRepId(ctx: RequestContext, organisationId: string): Promise<string | null> {
  return ctx.loaders.get(assignedRepIdByOrganisation).load(organisationId);
}
