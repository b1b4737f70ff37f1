// Activity steering (SPEC §5.1), computed with SQL aggregates: a fixed number of statements whatever the
// data size. Formulas: docs/dashboards.md.
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { forbidden } from "../../graphql/errors.js";
import { creditedTo, objectiveOwners, type ResolvedScope } from "./dashboard-scope.js";
import type { DateRange } from "./period.js";
import { againstTarget, countAgainstTarget, monthKey, ratio, toDecimal, ZERO, type Decimal } from "./figures.js";

interface Totals { amount: Decimal | null; count: number }

export async function invoiced(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const [row] = await ctx.db.$queryRaw<Totals[]>`
    SELECT SUM(i."amount") AS amount, COUNT(*)::int AS count FROM "Invoice" i
    WHERE i."invoicedAt" >= ${range.start}::date AND i."invoicedAt" < ${range.end}::date
      AND ${creditedTo(scope, "i", "repId", Prisma.sql`i."invoicedAt"`)}`;
  return toDecimal(row?.amount);
}

interface BasketRow { segment: string | null; category: string | null; grouping: number; amount: Decimal | null; count: number }

/** Orders of the period: totals, then by segment and by category (one statement, grouping sets). */
async function orders(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const rows = await ctx.db.$queryRaw<BasketRow[]>`
    SELECT org."segment"::text AS segment, org."category"::text AS category,
           GROUPING(org."segment", org."category")::int AS grouping,
           SUM(ord."amount") AS amount, COUNT(*)::int AS count
    FROM "Order" ord JOIN "Organisation" org ON org."id" = ord."organisationId"
    WHERE ord."orderedAt" >= ${range.start}::date AND ord."orderedAt" < ${range.end}::date
      AND ${creditedTo(scope, "ord", "repId", Prisma.sql`ord."orderedAt"`)}
    GROUP BY GROUPING SETS ((), (org."segment"), (org."category"))`;
  const basket = (group: string, row: BasketRow | undefined) => {
    const amount = toDecimal(row?.amount);
    const count = row?.count ?? 0;
    return { group, orderedAmount: amount, orderCount: count, average: count ? amount.div(count).toDecimalPlaces(2) : null };
  };
  const total = rows.find((r) => r.grouping === 3);
  return {
    amount: toDecimal(total?.amount),
    count: total?.count ?? 0,
    baskets: [
      basket("ALL", total),
      ...rows.filter((r) => r.grouping === 1).sort((a, b) => (a.segment ?? "").localeCompare(b.segment ?? "")).map((r) => basket(r.segment!, r)),
      ...rows.filter((r) => r.grouping === 2).sort((a, b) => (a.category ?? "").localeCompare(b.category ?? "")).map((r) => basket(r.category!, r)),
    ],
  };
}

export async function objectives(ctx: AuthedContext, scope: ResolvedScope, range: DateRange): Promise<Map<string, Decimal>> {
  const rows = await ctx.db.$queryRaw<{ metric: string; target: Decimal }[]>`
    SELECT obj."metric"::text AS metric, SUM(obj."target") AS target FROM "Objective" obj
    WHERE obj."periodStart" >= ${range.start}::date AND obj."periodEnd" <= ${range.end}::date AND ${objectiveOwners(scope)}
    GROUP BY obj."metric"`;
  return new Map(rows.map((row) => [row.metric, toDecimal(row.target)]));
}

/** Open opportunities of the scope today: owned by its reps (or in charge of its territory today). */
function openOpportunities(scope: ResolvedScope, today: Date): Prisma.Sql {
  return Prisma.sql`op."status" = 'OPEN' AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`${today}::date`)}`;
}

interface SliceRow { stage: string | null; month: Date | null; grouping: number; count: number; amount: Decimal | null; weighted: Decimal | null }

/** Open deals by stage and by expected close month (one index-only pass over the open deals). */
async function pipeline(ctx: AuthedContext, scope: ResolvedScope) {
  const rows = await ctx.db.$queryRaw<SliceRow[]>`
    SELECT st."name" AS stage, date_trunc('month', op."expectedCloseDate")::date AS month,
           GROUPING(st."name", date_trunc('month', op."expectedCloseDate"))::int AS grouping, MIN(st."position") AS position,
           COUNT(*)::int AS count, SUM(op."amount") AS amount, SUM(ROUND(op."amount" * op."probability" / 100.0, 2)) AS weighted
    FROM "Opportunity" op JOIN "PipelineStage" st ON st."id" = op."stageId"
    WHERE ${openOpportunities(scope, ctx.today)}
    GROUP BY GROUPING SETS ((), (st."name"), (date_trunc('month', op."expectedCloseDate")))
    ORDER BY position NULLS FIRST, month NULLS FIRST`;
  const slice = (key: string, row: SliceRow) => ({ key, count: row.count, amount: toDecimal(row.amount), weightedAmount: toDecimal(row.weighted) });
  const total = rows.find((r) => r.grouping === 3);
  return {
    count: total?.count ?? 0,
    amount: toDecimal(total?.amount),
    weightedAmount: toDecimal(total?.weighted),
    byStage: rows.filter((r) => r.grouping === 1).map((r) => slice(r.stage!, r)),
    byCloseMonth: rows
      .filter((r) => r.grouping === 2)
      .map((r) => slice(r.month ? monthKey(r.month) : "NONE", r))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

interface ClosingRow { won: number; closed: number; forecast: Decimal | null; actual: Decimal | null }

/** Win rate and forecast reliability of the opportunities closed in the period (one statement; each
 * deal's forecast was recorded when it closed: src/modules/pipeline/forecast.ts). */
export async function closings(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const [row] = await ctx.db.$queryRaw<ClosingRow[]>`
    SELECT COUNT(*) FILTER (WHERE op."status" = 'WON')::int AS won, COUNT(*)::int AS closed,
           SUM(op."forecastWeightedAmount") AS forecast,
           SUM(op."amount") FILTER (WHERE op."status" = 'WON') AS actual
    FROM "Opportunity" op
    WHERE op."status" IN ('WON', 'LOST') AND op."closedAt" >= ${range.start}::date AND op."closedAt" < ${range.end}::date
      AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`op."closedAt"::date`)}`;
  const forecast = toDecimal(row?.forecast);
  const actual = toDecimal(row?.actual);
  return {
    winRate: ratio(row?.won ?? 0, row?.closed ?? 0),
    forecastReliability: { forecast, actual, ratio: forecast.isZero() ? null : actual.div(forecast).toNumber() },
  };
}

async function createdBySource(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  return ctx.db.$queryRaw<{ source: string; count: number }[]>`
    SELECT op."source"::text AS source, COUNT(*)::int AS count FROM "Opportunity" op
    WHERE op."createdAt" >= ${range.start} AND op."createdAt" < ${range.end}
      AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`op."createdAt"::date`)}
    GROUP BY op."source" ORDER BY op."source"`;
}

interface RepRow { repId: string; repName: string; invoiced: Decimal | null; ordered: Decimal | null; orders: number }

/** Per rep of the scope: one pass over invoices and one over orders of the period, grouped by rep
 * (index-only scans), instead of three correlated subqueries per rep. */
async function byRep(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  if (scope.kind === "REP" || scope.territoryId) return [];
  const repsOf = (column: Prisma.Sql) => (scope.repIds === null ? Prisma.sql`TRUE` : Prisma.sql`${column} = ANY(${scope.repIds}::uuid[])`);
  const rows = await ctx.db.$queryRaw<RepRow[]>`
    WITH inv AS (
      SELECT i."repId", SUM(i."amount") AS invoiced FROM "Invoice" i
      WHERE i."invoicedAt" >= ${range.start}::date AND i."invoicedAt" < ${range.end}::date AND ${repsOf(Prisma.sql`i."repId"`)}
      GROUP BY i."repId"
    ), ord AS (
      SELECT o."repId", SUM(o."amount") AS ordered, COUNT(*) AS orders FROM "Order" o
      WHERE o."orderedAt" >= ${range.start}::date AND o."orderedAt" < ${range.end}::date AND ${repsOf(Prisma.sql`o."repId"`)}
      GROUP BY o."repId"
    )
    SELECT u."id" AS "repId", u."name" AS "repName", inv.invoiced, ord.ordered, COALESCE(ord.orders, 0)::int AS orders
    FROM "User" u LEFT JOIN inv ON inv."repId" = u."id" LEFT JOIN ord ON ord."repId" = u."id"
    WHERE u."role" = 'REP' AND ${repsOf(Prisma.sql`u."id"`)}
    ORDER BY u."name"`;
  return rows.map((r) => ({ repId: r.repId, repName: r.repName, invoicedRevenue: toDecimal(r.invoiced), orderedAmount: toDecimal(r.ordered), orderCount: r.orders }));
}

interface MonthRow { month: Date; invoiced: Decimal | null; ordered: Decimal | null; orders: number }

/** Month by month: one pass over invoices and one over orders of the period, grouped by month. */
async function trend(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const rows = await ctx.db.$queryRaw<MonthRow[]>`
    WITH months AS (
      SELECT m.month::date AS month FROM generate_series(date_trunc('month', ${range.start}::date), ${range.end}::date - 1, interval '1 month') AS m(month)
    ), inv AS (
      SELECT date_trunc('month', i."invoicedAt")::date AS month, SUM(i."amount") AS invoiced FROM "Invoice" i
      WHERE i."invoicedAt" >= ${range.start}::date AND i."invoicedAt" < ${range.end}::date
        AND ${creditedTo(scope, "i", "repId", Prisma.sql`i."invoicedAt"`)}
      GROUP BY 1
    ), ord AS (
      SELECT date_trunc('month', ord."orderedAt")::date AS month, SUM(ord."amount") AS ordered, COUNT(*) AS orders FROM "Order" ord
      WHERE ord."orderedAt" >= ${range.start}::date AND ord."orderedAt" < ${range.end}::date
        AND ${creditedTo(scope, "ord", "repId", Prisma.sql`ord."orderedAt"`)}
      GROUP BY 1
    )
    SELECT months.month, inv.invoiced, ord.ordered, COALESCE(ord.orders, 0)::int AS orders
    FROM months LEFT JOIN inv ON inv.month = months.month LEFT JOIN ord ON ord.month = months.month
    ORDER BY months.month`;
  return rows.map((r) => ({ month: monthKey(r.month), invoicedRevenue: toDecimal(r.invoiced), orderedAmount: toDecimal(r.ordered), orderCount: r.orders }));
}

export async function activityDashboard(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  if (!scope.commercial) throw forbidden("Activity figures are commercial");
  const [revenue, ordered, targets, open, closed, sources, reps, months] = await Promise.all([
    invoiced(ctx, scope, range),
    orders(ctx, scope, range),
    objectives(ctx, scope, range),
    pipeline(ctx, scope),
    closings(ctx, scope, range),
    createdBySource(ctx, scope, range),
    byRep(ctx, scope, range),
    trend(ctx, scope, range),
  ]);
  const revenueTarget = targets.get("INVOICED_REVENUE") ?? null;
  const remaining = revenueTarget ? revenueTarget.minus(revenue) : null;
  return {
    invoicedRevenue: againstTarget(revenue, revenueTarget),
    orderedAmount: againstTarget(ordered.amount, targets.get("ORDER_AMOUNT") ?? null),
    orderCount: countAgainstTarget(ordered.count, targets.get("ORDER_COUNT") ?? null),
    averageBasket: ordered.baskets,
    weightedPipeline: {
      ...open,
      coverageOfRemainingObjective: remaining && remaining.greaterThan(ZERO) ? ratio(open.weightedAmount.toNumber(), remaining.toNumber()) : null,
    },
    winRate: closed.winRate,
    createdBySource: sources,
    forecastReliability: closed.forecastReliability,
    byRep: reps,
    trend: months,
  };
}
