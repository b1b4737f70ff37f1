// Activity steering (SPEC §5.1), computed with SQL aggregates: a fixed number of statements whatever the
// data size, one pass over the period's invoices and one over its orders (grouping sets give the total,
// the months, the reps, the segments and categories at once). Formulas: docs/dashboards.md.
import { notBinned } from "../../auth/row-scope.js";
import { Prisma } from "../../db/generated/client.js";
import { ForecastCategory } from "../../db/generated/enums.js";
import type { AuthedContext } from "../../graphql/context.js";
import { forecastCategorySql } from "../pipeline/forecast.js";
import { forbidden } from "../../errors/api-errors.js";
import { creditedTo, objectiveOwners, type ResolvedScope } from "./dashboard.credit.js";
import type { DateRange } from "./period.js";
import { againstTarget, countAgainstTarget, monthKey, ratio, toDecimal, ZERO, type Decimal } from "./figures.js";
import { weightedAmountSql } from "../pipeline/weighted-amount.js";

interface Totals { amount: Decimal | null; count: number }

export async function invoiced(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const [row] = await ctx.db.$queryRaw<Totals[]>`
    SELECT SUM(i."amount") AS amount, COUNT(*)::int AS count FROM "Invoice" i
    WHERE i."invoicedAt" >= ${range.start}::date AND i."invoicedAt" < ${range.end}::date
      AND ${creditedTo(scope, "i", "repId", Prisma.sql`i."invoicedAt"`)}`;
  return toDecimal(row?.amount);
}

/** One group of a pass over invoices or orders (GROUPING SETS: the total, by month, by rep…). */
interface FactRow { grouping: number; month: Date | null; repId: string | null; segment: string | null; category: string | null; amount: Decimal | null; count: number }

const byMonthOf = (rows: FactRow[], grouping: number) => new Map(rows.filter((r) => r.grouping === grouping).map((r) => [monthKey(r.month!), r]));
const byRepOf = (rows: FactRow[], grouping: number) => new Map(rows.filter((r) => r.grouping === grouping).map((r) => [r.repId!, r]));

// GROUPING(month, rep) of each set of the invoices' pass
const INVOICES = { total: 3, byMonth: 1, byRep: 2 } as const;

/** Invoices of the period in one pass: the total, by month, by rep. */
function invoiceFacts(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  return ctx.db.$queryRaw<FactRow[]>`
    SELECT GROUPING(date_trunc('month', i."invoicedAt"), i."repId")::int AS grouping,
           date_trunc('month', i."invoicedAt")::date AS month, i."repId", NULL AS segment, NULL AS category,
           SUM(i."amount") AS amount, COUNT(*)::int AS count
    FROM "Invoice" i
    WHERE i."invoicedAt" >= ${range.start}::date AND i."invoicedAt" < ${range.end}::date
      AND ${creditedTo(scope, "i", "repId", Prisma.sql`i."invoicedAt"`)}
    GROUP BY GROUPING SETS ((), (date_trunc('month', i."invoicedAt")), (i."repId"))`;
}

// GROUPING(segment, category, month, rep) of each set of the orders' pass
const ORDERS = { total: 15, bySegment: 7, byCategory: 11, byMonth: 13, byRep: 14 } as const;

/** Orders of the period in one pass: the total, by segment, by category, by month, by rep. */
function orderFacts(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  return ctx.db.$queryRaw<FactRow[]>`
    SELECT GROUPING(org."segment", org."category", date_trunc('month', ord."orderedAt"), ord."repId")::int AS grouping,
           date_trunc('month', ord."orderedAt")::date AS month, ord."repId", org."segment"::text AS segment, org."category"::text AS category,
           SUM(ord."amount") AS amount, COUNT(*)::int AS count
    FROM "Order" ord JOIN "Organisation" org ON org."id" = ord."organisationId"
    WHERE ord."orderedAt" >= ${range.start}::date AND ord."orderedAt" < ${range.end}::date
      AND ${creditedTo(scope, "ord", "repId", Prisma.sql`ord."orderedAt"`)}
    GROUP BY GROUPING SETS ((), (org."segment"), (org."category"), (date_trunc('month', ord."orderedAt")), (ord."repId"))`;
}

/** Average basket: overall, then by segment and by category. */
function baskets(rows: FactRow[]) {
  const basket = (group: string, row: FactRow | undefined) => {
    const amount = toDecimal(row?.amount);
    const count = row?.count ?? 0;
    return { group, orderedAmount: amount, orderCount: count, average: count ? amount.div(count).toDecimalPlaces(2) : null };
  };
  const of = (grouping: number, key: (r: FactRow) => string) =>
    rows.filter((r) => r.grouping === grouping).sort((a, b) => key(a).localeCompare(key(b))).map((r) => basket(key(r), r));
  return [
    basket("ALL", rows.find((r) => r.grouping === ORDERS.total)),
    ...of(ORDERS.bySegment, (r) => r.segment ?? ""),
    ...of(ORDERS.byCategory, (r) => r.category ?? ""),
  ];
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
  return Prisma.sql`${notBinned("op")} AND op."status" = 'OPEN' AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`${today}::date`)}`;
}

interface SliceRow { stage: string | null; month: Date | null; grouping: number; count: number; amount: Decimal | null; weighted: Decimal | null }

/** Open deals by stage and by expected close month (one index-only pass over the open deals). */
async function pipeline(ctx: AuthedContext, scope: ResolvedScope) {
  const rows = await ctx.db.$queryRaw<SliceRow[]>`
    SELECT st."name" AS stage, date_trunc('month', op."expectedCloseDate")::date AS month,
           GROUPING(st."name", date_trunc('month', op."expectedCloseDate"))::int AS grouping, MIN(st."position") AS position,
           COUNT(*)::int AS count, SUM(op."amount") AS amount, SUM(${weightedAmountSql("op")}) AS weighted
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
    WHERE ${notBinned("op")} AND op."status" IN ('WON', 'LOST') AND op."closedAt" >= ${range.start}::date AND op."closedAt" < ${range.end}::date
      AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`op."closedAt"::date`)}`;
  const forecast = toDecimal(row?.forecast);
  const actual = toDecimal(row?.actual);
  return {
    winRate: ratio(row?.won ?? 0, row?.closed ?? 0),
    forecastReliability: { forecast, actual, ratio: forecast.isZero() ? null : actual.div(forecast).toNumber() },
  };
}

interface CategoryRow { category: ForecastCategory; count: number; amount: Decimal | null; weighted: Decimal | null }

/**
 * The period's forecast by category (one statement): the scope's open deals expected to close in the period
 * (owned by its reps today) in their category, and the deals closed in the period (credited on their close
 * date) in their stage's (won: CLOSED, lost: OMITTED). Every category is listed, empty ones with zeros.
 */
async function forecastByCategory(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const rows = await ctx.db.$queryRaw<CategoryRow[]>`
    SELECT ${forecastCategorySql("op", "st")}::text AS category, COUNT(*)::int AS count,
           SUM(op."amount") AS amount, SUM(ROUND(op."amount" * op."probability" / 100.0, 2)) AS weighted
    FROM "Opportunity" op JOIN "PipelineStage" st ON st."id" = op."stageId"
    WHERE (${openOpportunities(scope, ctx.today)} AND op."expectedCloseDate" >= ${range.start}::date AND op."expectedCloseDate" < ${range.end}::date)
       OR (${notBinned("op")} AND op."status" IN ('WON', 'LOST') AND op."closedAt" >= ${range.start}::date AND op."closedAt" < ${range.end}::date
           AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`op."closedAt"::date`)})
    GROUP BY 1`;
  const byCategory = new Map(rows.map((row) => [row.category, row]));
  return Object.values(ForecastCategory).map((category) => {
    const row = byCategory.get(category);
    return { category, count: row?.count ?? 0, amount: toDecimal(row?.amount), weightedAmount: toDecimal(row?.weighted) };
  });
}

async function createdBySource(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  return ctx.db.$queryRaw<{ source: string; count: number }[]>`
    SELECT op."source"::text AS source, COUNT(*)::int AS count FROM "Opportunity" op
    WHERE ${notBinned("op")} AND op."createdAt" >= ${range.start} AND op."createdAt" < ${range.end}
      AND ${creditedTo(scope, "op", "ownerId", Prisma.sql`op."createdAt"::date`)}
    GROUP BY op."source" ORDER BY op."source"`;
}

/** The reps of a team or company scope, by name (a rep or territory scope has no per-rep breakdown). */
async function scopeReps(ctx: AuthedContext, scope: ResolvedScope): Promise<{ id: string; name: string }[]> {
  if (scope.kind === "REP" || scope.territoryId || scope.partner) return [];
  return ctx.db.user.findMany({
    where: { role: "REP", ...(scope.repIds === null ? {} : { id: { in: scope.repIds } }) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true },
  });
}

/** Per rep of the scope, from the per-rep groups of the two passes (reps without any sale included). */
function byRep(reps: { id: string; name: string }[], invoices: FactRow[], orders: FactRow[]) {
  const invoiced = byRepOf(invoices, INVOICES.byRep);
  const ordered = byRepOf(orders, ORDERS.byRep);
  return reps.map((rep) => ({
    repId: rep.id,
    repName: rep.name,
    invoicedRevenue: toDecimal(invoiced.get(rep.id)?.amount),
    orderedAmount: toDecimal(ordered.get(rep.id)?.amount),
    orderCount: ordered.get(rep.id)?.count ?? 0,
  }));
}

/** Month by month over the period (months without any sale included), from the per-month groups. */
function trend(range: DateRange, invoices: FactRow[], orders: FactRow[]) {
  const invoiced = byMonthOf(invoices, INVOICES.byMonth);
  const ordered = byMonthOf(orders, ORDERS.byMonth);
  const months: string[] = [];
  for (let m = new Date(Date.UTC(range.start.getUTCFullYear(), range.start.getUTCMonth(), 1)); m < range.end; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
    months.push(monthKey(m));
  }
  return months.map((month) => ({
    month,
    invoicedRevenue: toDecimal(invoiced.get(month)?.amount),
    orderedAmount: toDecimal(ordered.get(month)?.amount),
    orderCount: ordered.get(month)?.count ?? 0,
  }));
}

export async function activityDashboard(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  if (!scope.commercial) throw forbidden("Activity figures are commercial");
  const [invoices, orders, targets, open, closed, sources, reps, forecast] = await Promise.all([
    invoiceFacts(ctx, scope, range),
    orderFacts(ctx, scope, range),
    objectives(ctx, scope, range),
    pipeline(ctx, scope),
    closings(ctx, scope, range),
    createdBySource(ctx, scope, range),
    scopeReps(ctx, scope),
    forecastByCategory(ctx, scope, range),
  ]);
  const revenue = toDecimal(invoices.find((r) => r.grouping === INVOICES.total)?.amount);
  const orderTotal = orders.find((r) => r.grouping === ORDERS.total);
  const ordered = { amount: toDecimal(orderTotal?.amount), count: orderTotal?.count ?? 0 };
  const revenueTarget = targets.get("INVOICED_REVENUE") ?? null;
  const remaining = revenueTarget ? revenueTarget.minus(revenue) : null;
  return {
    invoicedRevenue: againstTarget(revenue, revenueTarget),
    orderedAmount: againstTarget(ordered.amount, targets.get("ORDER_AMOUNT") ?? null),
    orderCount: countAgainstTarget(ordered.count, targets.get("ORDER_COUNT") ?? null),
    averageBasket: baskets(orders),
    weightedPipeline: {
      ...open,
      coverageOfRemainingObjective: remaining && remaining.greaterThan(ZERO) ? ratio(open.weightedAmount.toNumber(), remaining.toNumber()) : null,
    },
    winRate: closed.winRate,
    createdBySource: sources,
    forecastReliability: closed.forecastReliability,
    forecast,
    byRep: byRep(reps, invoices, orders),
    trend: trend(range, invoices, orders),
  };
}
