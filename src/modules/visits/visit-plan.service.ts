// The visit plan: for each organisation in charge of the rep(s) on a date (from the materialised
// assignment history, so the plan follows portfolio changes), its planned visits per year, the policy that
// applies, the last done visit, the next due date and the next planned visit — one SQL statement per page.
import { notBinned } from "../../auth/row-scope.js";
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { notFound } from "../../errors/api-errors.js";
import { cursorOf, expectGlobalId, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { ALL, and, idIn, inForce, toSql } from "../../auth/scope/condition.js";
import { doneBy, nextVisitDue, overdueOn, plannedVisitsPerYear, policyOf } from "./visit-policy.sql.js";
import type { VisitPlanRow } from "./visit.type.js";

export interface VisitPlanArgs {
  rep?: string | null;
  team?: string | null;
  date?: Date | null;
  /** only the organisations overdue (true) or not overdue (false) */
  overdue?: boolean | null;
}

/**
 * Whose charge the plan reads: the reps asked for (a team's, one rep), inside what the viewer sees — a rep
 * themselves, a manager their team, head office anyone, a partner its restriction (whoever holds it). The
 * organisations are then those of the viewer's own row scope (ctx.scope), so nothing else can show.
 */
async function chargedReps(ctx: AuthedContext, args: VisitPlanArgs): Promise<string[] | null> {
  const repId = args.rep ? expectGlobalId(args.rep, "User") : null;
  const teamId = args.team ? expectGlobalId(args.team, "Team") : null;
  if (teamId && !ctx.scope.maySeeTeam(teamId)) throw notFound("Team");
  if (repId && ctx.viewer.kind !== "PARTNER" && !ctx.scope.mayActFor(repId)) throw notFound("User");
  const visible = ctx.scope.repIds;
  let reps = visible === "all" || ctx.viewer.kind === "PARTNER" ? null : [...visible];
  if (teamId) {
    const team = await ctx.db.team.findUnique({ where: { id: teamId }, select: { members: { select: { id: true } } } });
    if (!team) throw notFound("Team");
    reps = team.members.map((member) => member.id);
  }
  if (repId) reps = reps === null || reps.includes(repId) ? [repId] : [];
  return reps;
}

interface PlanQueryRow extends VisitPlanRow {
  total: number;
}

/** One page of the plan; planned visits, next due date and overdue follow visit-policy.sql.ts. */
export async function visitPlan(ctx: AuthedContext, args: VisitPlanArgs, pageArgs: PageArgs): Promise<Connection<PlanQueryRow>> {
  const page = readPage(pageArgs);
  const reps = await chargedReps(ctx, args);
  const day = args.date ?? ctx.today;
  const dayLiteral = Prisma.sql`${day}::date`;
  const charge = toSql(and(inForce(day), reps === null ? ALL : idIn("repId", reps)), "a");
  const rhythm = {
    plannedPerYear: Prisma.sql`org."plannedVisitsPerYear"`,
    intervalMonths: Prisma.sql`policy."intervalMonths"`,
    lastVisitAt: Prisma.sql`last."plannedAt"`,
    day: dayLiteral,
  };
  const after = page.afterId ? Prisma.sql`(SELECT o2.rn FROM ordered o2 WHERE o2."id" = ${page.afterId}::uuid)` : Prisma.sql`0`;
  const rows = await ctx.db.$queryRaw<(PlanQueryRow | { total: number; id: null })[]>`
    WITH charge AS (
      SELECT DISTINCT ON (a."organisationId") a."organisationId", a."repId"
      FROM "OrganisationAssignment" a
      WHERE ${charge}
      ORDER BY a."organisationId", a."validFrom" DESC, a."repId"
    ),
    plan AS (
      SELECT org."id", org."id" AS "organisationId", org."name" AS "organisationName", c."repId",
        ROUND(${plannedVisitsPerYear(rhythm.plannedPerYear, rhythm.intervalMonths)})::int AS "plannedVisitsPerYear",
        policy."id" AS "policyId", policy."intervalMonths",
        last."plannedAt" AS "lastVisitAt", last."id" AS "lastVisitId", upcoming."id" AS "nextPlannedVisitId",
        ${nextVisitDue(rhythm)} AS "nextDueDate", ${overdueOn(rhythm)} AS overdue
      FROM charge c
      JOIN "Organisation" org ON org."id" = c."organisationId"
      LEFT JOIN LATERAL (${policyOf("org")}) policy ON TRUE
      LEFT JOIN LATERAL (
        SELECT v."id", v."plannedAt" FROM "Visit" v
        WHERE v."organisationId" = org."id" AND ${doneBy("v", dayLiteral)}
        ORDER BY v."plannedAt" DESC, v."id" DESC LIMIT 1
      ) last ON TRUE
      LEFT JOIN LATERAL (
        SELECT v."id" FROM "Visit" v
        WHERE v."organisationId" = org."id" AND ${notBinned("v")} AND v."status" IN ('PLANNED', 'PREPARED') AND v."plannedAt" >= ${dayLiteral}
        ORDER BY v."plannedAt", v."id" LIMIT 1
      ) upcoming ON TRUE
      WHERE org."status" NOT IN ('ARCHIVED', 'LOST') AND ${ctx.scope.sql.organisations("org", day)}
    ),
    ordered AS (
      SELECT plan.*, ROW_NUMBER() OVER (ORDER BY plan."nextDueDate" NULLS LAST, plan."organisationName", plan."id") AS rn
      FROM plan WHERE ${args.overdue == null ? Prisma.sql`TRUE` : Prisma.sql`plan.overdue = ${args.overdue}`}
    )
    SELECT counted.total, p.* FROM (SELECT COUNT(*)::int AS total FROM ordered) counted
    LEFT JOIN LATERAL (
      SELECT o."id", o."organisationId", o."organisationName", o."repId", o."plannedVisitsPerYear", o."policyId", o."intervalMonths",
        o."lastVisitAt", o."lastVisitId", o."nextPlannedVisitId", o."nextDueDate", o.overdue
      FROM ordered o WHERE o.rn > COALESCE(${after}, 0) ORDER BY o.rn LIMIT ${page.take + 1}
    ) p ON TRUE`;
  const total = rows[0]?.total ?? 0;
  const list = rows.filter((row): row is PlanQueryRow => row.id !== null);
  const edges = list.slice(0, page.take).map((node) => ({ cursor: cursorOf(node.id), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: list.length > page.take,
      hasPreviousPage: page.afterId !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: total,
  };
}
