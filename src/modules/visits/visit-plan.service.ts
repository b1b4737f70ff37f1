// The visit plan: for each organisation in charge of the rep(s) on a date (from the materialised
// assignment history, so the plan follows portfolio changes), its planned visits per year, the policy that
// applies, the last done visit, the next due date and the next planned visit — one SQL statement per page.
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { notFound } from "../../graphql/errors.js";
import { cursorOf, expectGlobalId, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { matchingPolicy } from "./visit-policy.sql.js";
import type { VisitPlanRow } from "./visit.type.js";

export interface VisitPlanArgs {
  rep?: string | null;
  team?: string | null;
  date?: Date | null;
  /** only the organisations overdue (true) or not overdue (false) */
  overdue?: boolean | null;
}

/** Which charge the plan reads: reps (null = everyone's) and, for partners, their restriction. */
interface PlanScope {
  repIds: string[] | null;
  partner: { territoryIds: string[]; organisationIds: string[] } | null;
}

async function planScope(ctx: AuthedContext, args: VisitPlanArgs): Promise<PlanScope> {
  const viewer = ctx.viewer;
  const repId = args.rep ? expectGlobalId(args.rep, "User") : null;
  const teamId = args.team ? expectGlobalId(args.team, "Team") : null;
  if (viewer.kind === "PARTNER") {
    if (teamId) throw notFound("Team");
    return { repIds: repId ? [repId] : null, partner: { territoryIds: [...viewer.restrictTerritoryIds], organisationIds: [...viewer.restrictOrganisationIds] } };
  }
  let reps: string[] | null;
  switch (viewer.kind) {
    case "REP":
      if (teamId) throw notFound("Team");
      if (repId && repId !== viewer.userId) throw notFound("User");
      return { repIds: [viewer.userId], partner: null };
    case "MANAGER":
      if (teamId && teamId !== viewer.teamId) throw notFound("Team");
      if (repId && !viewer.teamRepIds.includes(repId)) throw notFound("User");
      return { repIds: repId ? [repId] : [...viewer.teamRepIds], partner: null };
    case "HEAD_OFFICE": {
      reps = null;
      if (teamId) {
        const team = await ctx.db.team.findUnique({ where: { id: teamId }, select: { members: { select: { id: true } } } });
        if (!team) throw notFound("Team");
        reps = team.members.map((member) => member.id);
      }
      if (repId) reps = reps === null || reps.includes(repId) ? [repId] : [];
      return { repIds: reps, partner: null };
    }
    default:
      // stewards and services: the rules refuse the field; nothing here either
      return { repIds: [], partner: null };
  }
}

interface PlanQueryRow extends VisitPlanRow {
  total: number;
}

/** Planned visits per year: the organisation's own, else 12 / the policy's interval. Next due date: the last
 * done visit + 365 / planned visits days (own figure) or + the policy's months; never visited: due on the date. */
export async function visitPlan(ctx: AuthedContext, args: VisitPlanArgs, pageArgs: PageArgs): Promise<Connection<PlanQueryRow>> {
  const page = readPage(pageArgs);
  const scope = await planScope(ctx, args);
  const day = args.date ?? ctx.today;
  const dayLiteral = Prisma.sql`${day}::date`;
  const reps = scope.repIds === null ? Prisma.sql`TRUE` : Prisma.sql`a."repId" = ANY(${scope.repIds}::uuid[])`;
  const restriction = scope.partner
    ? Prisma.sql`(org."id" = ANY(${scope.partner.organisationIds}::uuid[]) OR EXISTS (SELECT 1 FROM "TerritoryMembership" tm
        WHERE tm."organisationId" = org."id" AND tm."territoryId" = ANY(${scope.partner.territoryIds}::uuid[])
        AND tm."validFrom" <= ${dayLiteral} AND (tm."validTo" IS NULL OR tm."validTo" > ${dayLiteral})))`
    : Prisma.sql`TRUE`;
  const after = page.afterId ? Prisma.sql`(SELECT o2.rn FROM ordered o2 WHERE o2."id" = ${page.afterId}::uuid)` : Prisma.sql`0`;
  const rows = await ctx.db.$queryRaw<(PlanQueryRow | { total: number; id: null })[]>`
    WITH charge AS (
      SELECT DISTINCT ON (a."organisationId") a."organisationId", a."repId"
      FROM "OrganisationAssignment" a
      WHERE a."validFrom" <= ${dayLiteral} AND (a."validTo" IS NULL OR a."validTo" > ${dayLiteral}) AND ${reps}
      ORDER BY a."organisationId", a."validFrom" DESC, a."repId"
    ),
    plan AS (
      SELECT org."id", org."id" AS "organisationId", org."name" AS "organisationName", c."repId",
        COALESCE(org."plannedVisitsPerYear", ROUND(12.0 / NULLIF(policy."intervalMonths", 0))::int) AS "plannedVisitsPerYear",
        policy."id" AS "policyId", policy."intervalMonths",
        last."plannedAt" AS "lastVisitAt", last."id" AS "lastVisitId", upcoming."id" AS "nextPlannedVisitId",
        CASE
          WHEN COALESCE(org."plannedVisitsPerYear", 0) <= 0 AND policy."id" IS NULL THEN NULL
          WHEN last."plannedAt" IS NULL THEN ${dayLiteral}
          WHEN org."plannedVisitsPerYear" > 0 THEN last."plannedAt"::date + (365 / org."plannedVisitsPerYear")::int
          ELSE (last."plannedAt" + make_interval(months => policy."intervalMonths"))::date
        END AS "nextDueDate"
      FROM charge c
      JOIN "Organisation" org ON org."id" = c."organisationId"
      LEFT JOIN LATERAL (${matchingPolicy("org")}) policy ON TRUE
      LEFT JOIN LATERAL (
        SELECT v."id", v."plannedAt" FROM "Visit" v
        WHERE v."organisationId" = org."id" AND v."status" = 'DONE' AND v."plannedAt" < ${dayLiteral} + 1
        ORDER BY v."plannedAt" DESC, v."id" DESC LIMIT 1
      ) last ON TRUE
      LEFT JOIN LATERAL (
        SELECT v."id" FROM "Visit" v
        WHERE v."organisationId" = org."id" AND v."status" IN ('PLANNED', 'PREPARED') AND v."plannedAt" >= ${dayLiteral}
        ORDER BY v."plannedAt", v."id" LIMIT 1
      ) upcoming ON TRUE
      WHERE org."mergedIntoId" IS NULL AND org."status" NOT IN ('ARCHIVED', 'LOST') AND ${restriction}
    ),
    flagged AS (SELECT plan.*, COALESCE(plan."nextDueDate" < ${dayLiteral}, FALSE) AS overdue FROM plan),
    ordered AS (
      SELECT flagged.*, ROW_NUMBER() OVER (ORDER BY flagged."nextDueDate" NULLS LAST, flagged."organisationName", flagged."id") AS rn
      FROM flagged WHERE ${args.overdue == null ? Prisma.sql`TRUE` : Prisma.sql`flagged.overdue = ${args.overdue}`}
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
