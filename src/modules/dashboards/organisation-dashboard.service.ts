// The rep's personal assistant (SPEC §5.2): what is late, what to chase, what is outstanding.
// Each list is capped; counts are complete. Formulas: docs/dashboards.md.
import { notBinned } from "../../auth/row-scope.js";
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/relay.js";
import { creditedTo, isWholeCompany, portfolioOn, type ResolvedScope } from "./dashboard.credit.js";
import { toDecimal, type Decimal } from "./figures.js";
import { doneBy, matchingPolicy, overdueOn } from "../visits/visit-policy.sql.js";

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

/** A dashboard list: the rows that match, and what each item shows. */
interface ItemSource {
  /** `FROM … WHERE …`: the matching rows, which `key`, `date` and `sortLabel` read */
  matching: Prisma.Sql;
  key: Prisma.Sql;
  /** the list is ordered by date (then sortLabel, then key) */
  date: Prisma.Sql;
  neverFirst?: boolean;
  sortLabel?: Prisma.Sql;
  /** `SELECT "id", label, "organisationId" FROM …`: read for the page's items only */
  details: Prisma.Sql;
  /** compute the matching rows once (for lists whose rows cost more to find than to keep) */
  evaluateOnce?: boolean;
}

/**
 * The first LIST_LIMIT items of a list and the size of the whole list, in one statement. The count and the
 * page read only the columns they need (index-only where an index covers them: a company scope matches up
 * to 100 000 rows); labels and organisation names are read for the page's items only.
 */
async function firstItems(ctx: AuthedContext, typeName: string, source: ItemSource): Promise<DashboardItemList> {
  const nulls = source.neverFirst ? Prisma.sql`NULLS FIRST` : Prisma.empty;
  const keys = Prisma.sql`SELECT ${source.key} AS "id", ${source.date} AS date, ${source.sortLabel ?? Prisma.sql`NULL::text`} AS sort_label ${source.matching}`;
  const [rowsCte, pageFrom, countFrom] = source.evaluateOnce
    ? [Prisma.sql`keys AS MATERIALIZED (${keys}),`, Prisma.sql`FROM keys`, Prisma.sql`FROM keys`]
    : [Prisma.empty, Prisma.sql`FROM (${keys}) keys`, source.matching];
  const rows = await ctx.db.$queryRaw<ItemRow[]>`
    WITH ${rowsCte} page AS MATERIALIZED (SELECT * ${pageFrom} ORDER BY date ${nulls}, sort_label, "id" LIMIT ${LIST_LIMIT})
    SELECT page."id", item.label, item."organisationId", org."name" AS "organisationName", page.date, (SELECT COUNT(*) ${countFrom})::int AS total
    FROM page JOIN (${source.details}) item ON item."id" = page."id" LEFT JOIN "Organisation" org ON org."id" = item."organisationId"
    ORDER BY page.date ${nulls}, page.sort_label, page."id"`;
  return toList(typeName, rows);
}

export function lateVisits(ctx: AuthedContext, scope: ResolvedScope) {
  return firstItems(ctx, "Visit", {
    matching: Prisma.sql`FROM "Visit" v WHERE ${notBinned("v")} AND v."status" IN ('PLANNED', 'PREPARED') AND v."plannedAt" < ${ctx.today}
      AND ${creditedTo(scope, "v", "repId", Prisma.sql`v."plannedAt"::date`)}`,
    key: Prisma.sql`v."id"`,
    date: Prisma.sql`v."plannedAt"`,
    details: Prisma.sql`SELECT v."id", COALESCE(org."name", r."name", 'Visit') AS label, v."organisationId"
      FROM "Visit" v LEFT JOIN "Organisation" org ON org."id" = v."organisationId" LEFT JOIN "OrganisationRequest" r ON r."id" = v."requestId"`,
  });
}

/**
 * Organisations of today's portfolio overdue against their visit rhythm (visits/visit-policy.sql.ts: the
 * same definition as the visit plan's `overdue`). The policy is looked up once per (segment, category), not
 * per organisation; the last visit is one grouped pass over done visits for the company, an index lookup per
 * organisation for smaller scopes.
 */
function overdueOrganisations(ctx: AuthedContext, scope: ResolvedScope) {
  const today = Prisma.sql`${ctx.today}::date`;
  const lastVisit = isWholeCompany(scope)
    ? Prisma.sql`LEFT JOIN (SELECT v."organisationId", MAX(v."plannedAt") AS at FROM "Visit" v WHERE ${doneBy("v", today)} GROUP BY v."organisationId") last
        ON last."organisationId" = org."id"`
    : Prisma.sql`LEFT JOIN LATERAL (SELECT MAX(v."plannedAt") AS at FROM "Visit" v WHERE v."organisationId" = org."id" AND ${doneBy("v", today)}) last ON TRUE`;
  const rhythm = { plannedPerYear: Prisma.sql`org."plannedVisitsPerYear"`, intervalMonths: Prisma.sql`policy.months`, lastVisitAt: Prisma.sql`last.at`, day: today };
  return firstItems(ctx, "Organisation", {
    matching: Prisma.sql`
      FROM "Organisation" org
      JOIN (
        SELECT s.segment, c.category, (SELECT mp."intervalMonths" FROM (${matchingPolicy(Prisma.sql`s.segment`, Prisma.sql`c.category`)}) mp) AS months
        FROM unnest(enum_range(NULL::"Segment")) AS s(segment) CROSS JOIN unnest(enum_range(NULL::"PortfolioCategory")) AS c(category)
        OFFSET 0 -- computed once, not per organisation
      ) policy ON policy.segment = org."segment" AND policy.category = org."category"
      ${lastVisit}
      WHERE org."status" NOT IN ('ARCHIVED', 'LOST') AND ${portfolioOn(scope, "org", ctx.today)} AND ${overdueOn(rhythm)}`,
    key: Prisma.sql`org."id"`,
    date: Prisma.sql`last.at`,
    neverFirst: true,
    sortLabel: Prisma.sql`org."name"`,
    details: Prisma.sql`SELECT org."id", org."name" AS label, org."id" AS "organisationId" FROM "Organisation" org`,
    evaluateOnce: true,
  });
}

export function quotesToChase(ctx: AuthedContext, scope: ResolvedScope) {
  return firstItems(ctx, "Quote", {
    // a quote follows its deal: a deleted deal's quotes are not chased
    matching: Prisma.sql`FROM "Quote" q JOIN "Opportunity" op ON op."id" = q."opportunityId"
      WHERE ${notBinned("q")} AND ${notBinned("op")} AND q."status" = 'SENT' AND q."followUpDate" <= ${ctx.today}::date AND (q."validUntil" IS NULL OR q."validUntil" >= ${ctx.today}::date)
        AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`${ctx.today}::date`)}`,
    key: Prisma.sql`q."id"`,
    date: Prisma.sql`q."followUpDate"`,
    details: Prisma.sql`SELECT q."id", COALESCE(q."reference", op."name") AS label, op."organisationId" FROM "Quote" q JOIN "Opportunity" op ON op."id" = q."opportunityId"`,
  });
}

/** Open deals longer in their stage than its maximum: a range of the (status, stage, entered) index per stage. */
function staleOpportunities(ctx: AuthedContext, scope: ResolvedScope) {
  return firstItems(ctx, "Opportunity", {
    matching: Prisma.sql`FROM "PipelineStage" st JOIN "Opportunity" op ON op."stageId" = st."id"
      WHERE st."maxDaysInStage" IS NOT NULL AND ${notBinned("op")} AND op."status" = 'OPEN'
        AND op."stageEnteredAt" < ${ctx.now}::timestamp - make_interval(days => st."maxDaysInStage")
        AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`${ctx.today}::date`)}`,
    key: Prisma.sql`op."id"`,
    date: Prisma.sql`op."stageEnteredAt"`,
    details: Prisma.sql`SELECT op."id", op."name" AS label, op."organisationId" FROM "Opportunity" op`,
  });
}

function tasksDue(ctx: AuthedContext, scope: ResolvedScope) {
  const horizon = new Date(ctx.today.getTime() + TASK_HORIZON_DAYS * 86_400_000);
  // the assignee's for rep and team scopes, the organisation's charge today for territories and partners
  const whose = creditedTo(scope, "t", "assigneeId", Prisma.sql`${ctx.today}::date`);
  return firstItems(ctx, "Task", {
    matching: Prisma.sql`FROM "Task" t WHERE ${notBinned("t")} AND t."status" = 'OPEN' AND t."dueDate" <= ${horizon}::date AND ${whose}`,
    key: Prisma.sql`t."id"`,
    date: Prisma.sql`t."dueDate"`,
    details: Prisma.sql`SELECT t."id", t."title" AS label, t."organisationId" FROM "Task" t`,
  });
}

interface OutstandingRow { undelivered: number; undeliveredAmount: Decimal | null; incidents: number; requests: number; materials: number }

/**
 * Outstanding items of today's portfolio, in one statement. Each count starts from the few outstanding
 * rows (undelivered orders, open incidents…) and checks their organisation, not the other way round.
 */
async function outstanding(ctx: AuthedContext, scope: ResolvedScope) {
  const requesters = scope.repIds === null ? Prisma.sql`TRUE` : Prisma.sql`r."requestedById" = ANY(${scope.repIds}::uuid[])`;
  const inPortfolio = portfolioOn(scope, "org", ctx.today);
  const [row] = await ctx.db.$queryRaw<OutstandingRow[]>`
    SELECT undelivered.n AS undelivered, undelivered.amount AS "undeliveredAmount",
      (SELECT COUNT(*) FROM "Incident" i JOIN "Organisation" org ON org."id" = i."organisationId" WHERE i."status" = 'OPEN' AND ${inPortfolio})::int AS incidents,
      (SELECT COUNT(*) FROM "OrganisationRequest" r
        WHERE r."status" = 'PENDING' AND ${scope.partner || scope.territoryId
          ? Prisma.sql`EXISTS (SELECT 1 FROM "Organisation" org WHERE org."id" = r."organisationId" AND ${inPortfolio})`
          : requesters})::int AS requests,
      (SELECT COUNT(*) FROM "MaterialRequest" m JOIN "Organisation" org ON org."id" = m."organisationId"
        WHERE m."status" IN ('REQUESTED', 'APPROVED', 'SHIPPED') AND ${inPortfolio})::int AS materials
    FROM (
      SELECT COUNT(*)::int AS n, SUM(o."amount") AS amount FROM "Order" o JOIN "Organisation" org ON org."id" = o."organisationId"
      WHERE o."deliveredAt" IS NULL AND o."orderedAt" <= ${ctx.today}::date AND ${inPortfolio}
    ) undelivered`;
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
