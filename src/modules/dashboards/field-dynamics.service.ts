// Field dynamics (SPEC §5.4): visits reported, visit→order conversion, action plans, leads, effort.
// Formulas: docs/dashboards.md.
import { notBinned } from "../../auth/row-scope.js";
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/relay.js";
import { objectives } from "./activity.service.js";
import { creditedTo, portfolioOn, type ResolvedScope } from "./dashboard.credit.js";
import { plannedVisitsPerYear, policyOf } from "../visits/visit-policy.sql.js";
import type { DateRange } from "./period.js";
import { countAgainstTarget, ratio, toDecimal, type Decimal } from "./figures.js";

export const ORDER_WINDOW_DAYS = 30;
const DAY = 86_400_000;

interface VisitRow { done: number; converted: number }
interface EffortRow { dimension: string; key: string; done: number; planned: number }
interface PlanRow { id: string; objective: string; done: number; total: number }
interface RepRow { repId: string; repName: string; done: number; target: Decimal | null }

const visitDone = (scope: ResolvedScope, range: DateRange) => Prisma.sql`${notBinned("v")} AND v."status" = 'DONE' AND v."plannedAt" >= ${range.start} AND v."plannedAt" < ${range.end}
  AND ${creditedTo(scope, "v", "repId", Prisma.sql`v."plannedAt"::date`)}`;

/** Done visits of the period, and those followed by an order of the same organisation within 30 days. */
export async function visits(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const [row] = await ctx.db.$queryRaw<VisitRow[]>`
    SELECT COUNT(*)::int AS done,
      COUNT(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM "Order" o WHERE o."organisationId" = v."organisationId"
          AND o."orderedAt" >= v."plannedAt"::date AND o."orderedAt" <= v."plannedAt"::date + ${ORDER_WINDOW_DAYS}::int
      ))::int AS converted
    FROM "Visit" v WHERE ${visitDone(scope, range)}`;
  return row!;
}

/**
 * Effort by category and by segment: done visits against the allocation of today's portfolio, where an
 * organisation's allocation for the period = planned visits per year (its own, else 12 / its policy's
 * interval in months) × days of the period / 365.
 */
async function effort(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const days = (range.end.getTime() - range.start.getTime()) / DAY;
  return ctx.db.$queryRaw<EffortRow[]>`
    WITH portfolio AS (
      SELECT org."id", org."category"::text AS category, org."segment"::text AS segment,
        COALESCE(${plannedVisitsPerYear(Prisma.sql`org."plannedVisitsPerYear"`, Prisma.sql`policy."intervalMonths"`)}, 0) * ${days}::float / 365 AS planned
      FROM "Organisation" org
      LEFT JOIN LATERAL (${policyOf("org")}) policy ON TRUE
      WHERE org."status" NOT IN ('ARCHIVED', 'LOST') AND ${portfolioOn(scope, "org", ctx.today)}
    ),
    done AS (
      SELECT org."category"::text AS category, org."segment"::text AS segment, COUNT(*)::int AS n
      FROM "Visit" v JOIN "Organisation" org ON org."id" = v."organisationId" WHERE ${visitDone(scope, range)}
      GROUP BY GROUPING SETS ((org."category"), (org."segment"))
    )
    SELECT 'CATEGORY' AS dimension, p.category AS key, COALESCE(MAX(d.n), 0)::int AS done, ROUND(SUM(p.planned)::numeric, 1)::float AS planned
    FROM portfolio p LEFT JOIN done d ON d.category = p.category AND d.segment IS NULL GROUP BY p.category
    UNION ALL
    SELECT 'SEGMENT', p.segment, COALESCE(MAX(d.n), 0)::int, ROUND(SUM(p.planned)::numeric, 1)::float
    FROM portfolio p LEFT JOIN done d ON d.segment = p.segment AND d.category IS NULL GROUP BY p.segment
    ORDER BY 1, 2`;
}

async function actionPlans(ctx: AuthedContext, scope: ResolvedScope) {
  // the rep's plans for rep and team scopes, plans on organisations in charge today for territories and partners
  const owner = creditedTo(scope, "ap", "repId", Prisma.sql`${ctx.today}::date`);
  return ctx.db.$queryRaw<PlanRow[]>`
    SELECT ap."id", ap."objective", COUNT(t."id") FILTER (WHERE t."status" = 'DONE')::int AS done,
      COUNT(t."id") FILTER (WHERE t."status" <> 'CANCELLED')::int AS total
    FROM "ActionPlan" ap LEFT JOIN "Task" t ON t."actionPlanId" = ap."id" AND ${notBinned("t")}
    WHERE ap."status" = 'ACTIVE' AND ${owner}
    GROUP BY ap."id", ap."objective" ORDER BY ap."objective" LIMIT 100`;
}

async function qualifiedLeads(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const owner = scope.repIds === null ? Prisma.sql`TRUE` : Prisma.sql`l."ownerId" = ANY(${scope.repIds}::uuid[])`;
  const [row] = await ctx.db.$queryRaw<{ n: number }[]>`
    SELECT COUNT(*)::int AS n FROM "Lead" l
    WHERE l."qualifiedAt" >= ${range.start} AND l."qualifiedAt" < ${range.end} AND ${scope.territoryId || scope.partner ? Prisma.sql`FALSE` : owner}`;
  return row?.n ?? 0;
}

async function visitsPerRep(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  if (scope.territoryId || scope.partner) return [];
  const reps = scope.repIds === null ? Prisma.sql`TRUE` : Prisma.sql`u."id" = ANY(${scope.repIds}::uuid[])`;
  const rows = await ctx.db.$queryRaw<RepRow[]>`
    SELECT u."id" AS "repId", u."name" AS "repName",
      (SELECT COUNT(*) FROM "Visit" v WHERE v."repId" = u."id" AND ${notBinned("v")} AND v."status" = 'DONE' AND v."plannedAt" >= ${range.start} AND v."plannedAt" < ${range.end})::int AS done,
      (SELECT SUM(obj."target") FROM "Objective" obj WHERE obj."userId" = u."id" AND obj."metric" = 'VISIT_COUNT'
         AND obj."periodStart" >= ${range.start}::date AND obj."periodEnd" <= ${range.end}::date) AS target
    FROM "User" u WHERE u."role" = 'REP' AND ${reps} ORDER BY u."name"`;
  return rows.map((r) => ({ repId: toGlobalId("User", r.repId), repName: r.repName, visits: countAgainstTarget(r.done, r.target === null ? null : toDecimal(r.target)) }));
}

export async function fieldDynamicsDashboard(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const [visitFigures, effortRows, plans, leads, targets, perRep] = await Promise.all([
    visits(ctx, scope, range),
    effort(ctx, scope, range),
    actionPlans(ctx, scope),
    qualifiedLeads(ctx, scope, range),
    objectives(ctx, scope, range),
    visitsPerRep(ctx, scope, range),
  ]);
  const planDone = plans.reduce((sum, p) => sum + p.done, 0);
  const planTotal = plans.reduce((sum, p) => sum + p.total, 0);
  const effortOf = (dimension: string) =>
    effortRows.filter((r) => r.dimension === dimension).map((r) => ({ key: r.key, done: r.done, planned: r.planned, ratio: r.planned ? r.done / r.planned : null }));
  return {
    visitReports: countAgainstTarget(visitFigures.done, targets.get("VISIT_COUNT") ?? null),
    visitToOrder: ratio(visitFigures.converted, visitFigures.done),
    actionPlans: plans.map((p) => ({ id: toGlobalId("ActionPlan", p.id), objective: p.objective, progress: ratio(p.done, p.total) })),
    actionPlanProgress: ratio(planDone, planTotal),
    qualifiedLeads: countAgainstTarget(leads, targets.get("QUALIFIED_LEADS") ?? null),
    effortByCategory: effortOf("CATEGORY"),
    effortBySegment: effortOf("SEGMENT"),
    visitsPerRep: perRep,
  };
}
