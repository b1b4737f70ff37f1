// The rep's personal assistant (SPEC §5.2): what is late, what to chase, what is outstanding.
// Each list is capped; counts are complete. Formulas: docs/dashboards.md.
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/relay.js";
import { creditedTo, portfolioOn, type ResolvedScope } from "./dashboard-scope.js";
import { toDecimal, type Decimal } from "./figures.js";

export const LIST_LIMIT = 20;
const TASK_HORIZON_DAYS = 7;

interface ItemRow { id: string; label: string; organisationId: string | null; organisationName: string | null; date: Date | null; total: number }

export interface DashboardItemList {
  total: number;
  items: { id: string; label: string; organisationId: string | null; organisationName: string | null; date: Date | null }[];
}

function toList(typeName: string, rows: ItemRow[]): DashboardItemList {
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((row) => ({
      id: toGlobalId(typeName, row.id),
      label: row.label,
      organisationId: row.organisationId ? toGlobalId("Organisation", row.organisationId) : null,
      organisationName: row.organisationName,
      date: row.date,
    })),
  };
}

/** Work of the scope's reps (visits, tasks): by rep for rep/team scopes, by the organisation's charge otherwise. */
function workOf(scope: ResolvedScope, alias: string, repColumn: string, date: Prisma.Sql): Prisma.Sql {
  return creditedTo(scope, alias, repColumn, date);
}

export async function lateVisits(ctx: AuthedContext, scope: ResolvedScope) {
  const rows = await ctx.db.$queryRaw<ItemRow[]>`
    SELECT v."id", COALESCE(org."name", r."name", 'Visit') AS label, v."organisationId" AS "organisationId", org."name" AS "organisationName",
           v."plannedAt" AS date, COUNT(*) OVER ()::int AS total
    FROM "Visit" v LEFT JOIN "Organisation" org ON org."id" = v."organisationId" LEFT JOIN "OrganisationRequest" r ON r."id" = v."requestId"
    WHERE v."status" IN ('PLANNED', 'PREPARED') AND v."plannedAt" < ${ctx.today}
      AND ${workOf(scope, "v", "repId", Prisma.sql`v."plannedAt"::date`)}
    ORDER BY v."plannedAt" LIMIT ${LIST_LIMIT}`;
  return toList("Visit", rows);
}

/**
 * Organisations of today's portfolio overdue against their visit policy: last done visit + the interval of
 * the most specific policy (segment and category, then segment, then category) is before today, or never visited.
 */
async function overdueOrganisations(ctx: AuthedContext, scope: ResolvedScope) {
  const rows = await ctx.db.$queryRaw<ItemRow[]>`
    SELECT org."id", org."name" AS label, org."id" AS "organisationId", org."name" AS "organisationName",
           last.at AS date, COUNT(*) OVER ()::int AS total
    FROM "Organisation" org
    JOIN LATERAL (
      SELECT p."intervalMonths" FROM "VisitPolicy" p
      WHERE (p."segment" IS NULL OR p."segment" = org."segment") AND (p."category" IS NULL OR p."category" = org."category")
      ORDER BY (p."segment" IS NOT NULL AND p."category" IS NOT NULL) DESC, (p."segment" IS NOT NULL) DESC, p."intervalMonths"
      LIMIT 1
    ) policy ON TRUE
    LEFT JOIN LATERAL (
      SELECT MAX(v."plannedAt") AS at FROM "Visit" v WHERE v."organisationId" = org."id" AND v."status" = 'DONE'
    ) last ON TRUE
    WHERE org."status" NOT IN ('ARCHIVED', 'LOST') AND ${portfolioOn(scope, "org", ctx.today)}
      AND (last.at IS NULL OR last.at + make_interval(months => policy."intervalMonths") < ${ctx.today})
    ORDER BY last.at NULLS FIRST, org."name" LIMIT ${LIST_LIMIT}`;
  return toList("Organisation", rows);
}

export async function quotesToChase(ctx: AuthedContext, scope: ResolvedScope) {
  const rows = await ctx.db.$queryRaw<ItemRow[]>`
    SELECT q."id", COALESCE(q."reference", op."name") AS label, op."organisationId" AS "organisationId", org."name" AS "organisationName",
           q."followUpDate" AS date, COUNT(*) OVER ()::int AS total
    FROM "Quote" q JOIN "Opportunity" op ON op."id" = q."opportunityId" JOIN "Organisation" org ON org."id" = op."organisationId"
    WHERE q."status" = 'SENT' AND q."followUpDate" <= ${ctx.today}::date AND (q."validUntil" IS NULL OR q."validUntil" >= ${ctx.today}::date)
      AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`${ctx.today}::date`)}
    ORDER BY q."followUpDate" LIMIT ${LIST_LIMIT}`;
  return toList("Quote", rows);
}

async function staleOpportunities(ctx: AuthedContext, scope: ResolvedScope) {
  const rows = await ctx.db.$queryRaw<ItemRow[]>`
    SELECT op."id", op."name" AS label, op."organisationId" AS "organisationId", org."name" AS "organisationName",
           op."stageEnteredAt" AS date, COUNT(*) OVER ()::int AS total
    FROM "Opportunity" op JOIN "PipelineStage" st ON st."id" = op."stageId" JOIN "Organisation" org ON org."id" = op."organisationId"
    WHERE op."status" = 'OPEN' AND st."maxDaysInStage" IS NOT NULL
      AND op."stageEnteredAt" + make_interval(days => st."maxDaysInStage") < ${ctx.now}
      AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`${ctx.today}::date`)}
    ORDER BY op."stageEnteredAt" LIMIT ${LIST_LIMIT}`;
  return toList("Opportunity", rows);
}

async function tasksDue(ctx: AuthedContext, scope: ResolvedScope) {
  const horizon = new Date(ctx.today.getTime() + TASK_HORIZON_DAYS * 86_400_000);
  const rows = await ctx.db.$queryRaw<ItemRow[]>`
    SELECT t."id", t."title" AS label, t."organisationId" AS "organisationId", org."name" AS "organisationName",
           t."dueDate" AS date, COUNT(*) OVER ()::int AS total
    FROM "Task" t LEFT JOIN "Organisation" org ON org."id" = t."organisationId"
    WHERE t."status" = 'OPEN' AND t."dueDate" <= ${horizon}::date
      AND ${scope.repIds === null && !scope.territoryId && !scope.partner
        ? Prisma.sql`TRUE`
        : scope.repIds
          ? Prisma.sql`t."assigneeId" = ANY(${scope.repIds}::uuid[])`
          : Prisma.sql`t."organisationId" IS NOT NULL AND ${creditedTo(scope, "t", null, Prisma.sql`${ctx.today}::date`)}`}
    ORDER BY t."dueDate" LIMIT ${LIST_LIMIT}`;
  return toList("Task", rows);
}

interface OutstandingRow { undelivered: number; undeliveredAmount: Decimal | null; incidents: number; requests: number; materials: number }

/** Outstanding items of today's portfolio, in one statement. */
async function outstanding(ctx: AuthedContext, scope: ResolvedScope) {
  const requesters = scope.repIds === null ? Prisma.sql`TRUE` : Prisma.sql`r."requestedById" = ANY(${scope.repIds}::uuid[])`;
  const [row] = await ctx.db.$queryRaw<OutstandingRow[]>`
    WITH portfolio AS (SELECT org."id" FROM "Organisation" org WHERE ${portfolioOn(scope, "org", ctx.today)})
    SELECT
      (SELECT COUNT(*) FROM "Order" o WHERE o."organisationId" IN (SELECT "id" FROM portfolio) AND o."deliveredAt" IS NULL AND o."orderedAt" <= ${ctx.today}::date)::int AS undelivered,
      (SELECT SUM(o."amount") FROM "Order" o WHERE o."organisationId" IN (SELECT "id" FROM portfolio) AND o."deliveredAt" IS NULL AND o."orderedAt" <= ${ctx.today}::date) AS "undeliveredAmount",
      (SELECT COUNT(*) FROM "Incident" i WHERE i."organisationId" IN (SELECT "id" FROM portfolio) AND i."status" = 'OPEN')::int AS incidents,
      (SELECT COUNT(*) FROM "OrganisationRequest" r WHERE r."status" = 'PENDING' AND ${scope.partner || scope.territoryId ? Prisma.sql`r."organisationId" IN (SELECT "id" FROM portfolio)` : requesters})::int AS requests,
      (SELECT COUNT(*) FROM "MaterialRequest" m WHERE m."organisationId" IN (SELECT "id" FROM portfolio) AND m."status" IN ('REQUESTED', 'APPROVED', 'SHIPPED'))::int AS materials`;
  return {
    ordersNotDelivered: row?.undelivered ?? 0,
    ordersNotDeliveredAmount: scope.commercial && !scope.partner ? toDecimal(row?.undeliveredAmount) : null,
    openIncidents: row?.incidents ?? 0,
    pendingRequests: row?.requests ?? 0,
    pendingMaterialRequests: row?.materials ?? 0,
  };
}

export async function organisationDashboard(ctx: AuthedContext, scope: ResolvedScope) {
  const [late, overdue, quotes, stale, tasks, items] = await Promise.all([
    lateVisits(ctx, scope),
    overdueOrganisations(ctx, scope),
    quotesToChase(ctx, scope),
    staleOpportunities(ctx, scope),
    tasksDue(ctx, scope),
    outstanding(ctx, scope),
  ]);
  return { lateVisits: late, overdueOrganisations: overdue, quotesToChase: quotes, staleOpportunities: stale, tasksDue: tasks, outstanding: items };
}
