// Incidents and alerts from support and logistics: imported by their systems (idempotent by external id; a
// re-sent incident with other values — resolved, re-opened, re-worded — is UPDATED), read through the row
// scope by the field (lists, each organisation's, node(id)); the visit brief and the organisation
// dashboard read the same table.
import DataLoader from "dataloader";
import { IncidentKind, IncidentStatus } from "../../db/generated/enums.js";
import type { Prisma } from "../../db/generated/client.js";
import { indexByKey, type AuthedContext, type RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { expectGlobalId, lazyConnection, pageOfList, pageWindow, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { prismaDirection, SortDirection } from "../../graphql/sorting.js";
import { childrenByArguments } from "../orders/children-by-arguments.js";
import { importBatch, MAX_IMPORT_ROWS, parseChoice, parseInstant, parseText, type ImportKind } from "../orders/import-batch.js";
import { incidentScope } from "./incident.scope.js";
import { IncidentOrderField, type IncidentFilter, type IncidentImportRow, type IncidentOrder, type IncidentRow } from "./incident.type.js";

// ───────────── Reads ─────────────

function filterWhere(filter: IncidentFilter | null | undefined): Prisma.IncidentWhereInput[] {
  if (!filter) return [];
  const and: Prisma.IncidentWhereInput[] = [];
  if (filter.organisationId) and.push({ organisationId: expectGlobalId(filter.organisationId, "Organisation") });
  if (filter.status?.length) and.push({ status: { in: filter.status } });
  if (filter.kind?.length) and.push({ kind: { in: filter.kind } });
  if (filter.openedFrom) and.push({ openedAt: { gte: filter.openedFrom } });
  if (filter.openedBefore) and.push({ openedAt: { lt: filter.openedBefore } });
  if (filter.department) and.push({ department: filter.department });
  if (filter.updatedAfter) and.push({ updatedAt: { gt: filter.updatedAfter } });
  if (filter.externalIds) {
    if (filter.externalIds.length > MAX_IMPORT_ROWS) throw badInput(`externalIds holds at most ${MAX_IMPORT_ROWS} ids`, { fields: [{ field: "filter.externalIds" }], max: MAX_IMPORT_ROWS });
    and.push({ externalId: { in: filter.externalIds } });
  }
  return and;
}

const ORDER_COLUMN: Record<IncidentOrderField, "openedAt" | "updatedAt"> = { OPENED_AT: "openedAt", UPDATED_AT: "updatedAt" };

/** Open ones first, newest first, unless asked otherwise; the id breaks ties (and pages). */
function orderOf(order: IncidentOrder | null | undefined): Prisma.IncidentOrderByWithRelationInput[] {
  if (!order) return [{ status: "asc" }, { openedAt: "desc" }, { id: "desc" }];
  const direction = prismaDirection(order.direction ?? SortDirection.ASC);
  return [{ [ORDER_COLUMN[order.field]]: direction }, { id: direction }];
}

export function listIncidents(ctx: AuthedContext, filter: IncidentFilter | null | undefined, order: IncidentOrder | null | undefined, pageArgs: PageArgs): Connection<IncidentRow> {
  const page = readPage(pageArgs);
  const where: Prisma.IncidentWhereInput = { AND: [incidentScope(ctx.viewer, ctx.today), ...filterWhere(filter)] };
  return lazyConnection(
    () => ctx.db.incident.findMany({ where, orderBy: orderOf(order), ...pageWindow(page) }),
    page,
    () => ctx.db.incident.count({ where }),
  );
}

interface ChildrenArgs {
  filter: IncidentFilter | null;
  order: IncidentOrder | null;
}

const incidentsByOrganisation = childrenByArguments<ChildrenArgs, IncidentRow>(
  (ctx, organisationIds, { filter, order }) =>
    ctx.viewer
      ? ctx.db.incident.findMany({
          where: { AND: [{ organisationId: { in: organisationIds } }, incidentScope(ctx.viewer, ctx.today), ...filterWhere(filter)] },
          orderBy: orderOf(order),
        })
      : Promise.resolve([]),
  (row) => row.organisationId,
);

/** Organisation.incidents: the organisation was read in scope; its incidents too (one query per batch). */
export async function incidentsOfOrganisation(
  ctx: RequestContext,
  organisationId: string,
  filter: IncidentFilter | null | undefined,
  order: IncidentOrder | null | undefined,
  pageArgs: PageArgs,
): Promise<Connection<IncidentRow>> {
  const page = readPage(pageArgs);
  return pageOfList(await ctx.loaders.get(incidentsByOrganisation).load({ parentId: organisationId, args: { filter: filter ?? null, order: order ?? null } }), page);
}

export const incidentById = (ctx: RequestContext) =>
  new DataLoader<string, IncidentRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.incident.findMany({ where: { id: { in: [...ids] }, ...incidentScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });

export async function getIncident(ctx: AuthedContext, globalId: string): Promise<IncidentRow> {
  const incident = await ctx.loaders.get(incidentById).load(expectGlobalId(globalId, "Incident"));
  if (!incident) throw notFound("Incident");
  return incident;
}

// ───────────── Import ─────────────

type IncidentValues = {
  kind: IncidentKind;
  status: IncidentStatus;
  openedAt: Date;
  resolvedAt: Date | null;
  summary: string;
  department: string | null;
};

const KINDS = Object.values(IncidentKind);
const STATUSES = Object.values(IncidentStatus);

function incidentValues(row: IncidentImportRow, errors: { field: string; message: string }[]): IncidentValues {
  const kind = parseChoice(row.kind, "kind", KINDS, errors);
  const openedAt = parseInstant(row.openedAt, "openedAt", errors, true);
  const resolvedAt = parseInstant(row.resolvedAt, "resolvedAt", errors, false);
  const status = row.status == null || row.status === "" ? (resolvedAt ? IncidentStatus.RESOLVED : IncidentStatus.OPEN) : parseChoice(row.status, "status", STATUSES, errors);
  if (status === IncidentStatus.RESOLVED && !resolvedAt && !errors.some((e) => e.field === "resolvedAt")) errors.push({ field: "resolvedAt", message: "is required for a RESOLVED incident" });
  if (status === IncidentStatus.OPEN && resolvedAt) errors.push({ field: "resolvedAt", message: "must be empty for an OPEN incident" });
  if (openedAt && resolvedAt && resolvedAt < openedAt) errors.push({ field: "resolvedAt", message: "must not be before openedAt" });
  const summary = parseText(row.summary, "summary", 2000, errors, true);
  const department = parseText(row.department, "department", 100, errors, false);
  return { kind: kind!, status: status!, openedAt: openedAt!, resolvedAt, summary: summary!, department };
}

const INCIDENTS: ImportKind<IncidentImportRow, IncidentValues> = {
  entity: "Incident",
  externalIdOf: (r) => r.externalId,
  organisationIdOf: (r) => r.organisationId,
  valuesOf: incidentValues,
  async findExisting(ctx, externalIds) {
    const rows = await ctx.db.incident.findMany({ where: { externalId: { in: externalIds } } });
    return rows.map(({ id, externalId, organisationId, kind, status, openedAt, resolvedAt, summary, department }) => ({
      id,
      externalId,
      organisationId,
      values: { kind, status, openedAt, resolvedAt, summary, department },
    }));
  },
  async insert(tx, rows) {
    const { count } = await tx.incident.createMany({
      skipDuplicates: true,
      data: rows.map((row) => ({ id: row.id, externalId: row.externalId, organisationId: row.organisationId, ...row.values })),
    });
    return count;
  },
  // Every changed row in one statement (whatever their number).
  async update(tx, rows) {
    const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
    const instant = (date: Date | null) => date?.toISOString() ?? null;
    await tx.$executeRaw`
      UPDATE "Incident" i SET "organisationId" = u.organisation_id, "kind" = u.kind::"IncidentKind", "status" = u.status::"IncidentStatus",
        "openedAt" = u.opened_at::timestamp, "resolvedAt" = u.resolved_at::timestamp, "summary" = u.summary, "department" = u.department,
        "updatedAt" = now() AT TIME ZONE 'UTC'
      FROM unnest(${column((r) => r.id)}::uuid[], ${column((r) => r.organisationId)}::uuid[], ${column((r) => r.values.kind)}::text[],
                  ${column((r) => r.values.status)}::text[], ${column((r) => instant(r.values.openedAt))}::text[], ${column((r) => instant(r.values.resolvedAt))}::text[],
                  ${column((r) => r.values.summary)}::text[], ${column((r) => r.values.department)}::text[])
        AS u(id, organisation_id, kind, status, opened_at, resolved_at, summary, department)
      WHERE i.id = u.id`;
  },
};

export const importIncidents = (ctx: AuthedContext, rows: IncidentImportRow[]) => importBatch(ctx, INCIDENTS, rows);

