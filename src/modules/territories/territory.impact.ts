// Impact of a scheduled change: the organisations whose rep in charge differs between the day before and
// the day itself (read from the materialised history, so it covers any rule, exception or holder change
// scheduled for that day), what they weigh, and the objectives of the reps concerned.
//
// Realignment rule (applyObjectiveRealignment): for each revenue objective (INVOICED_REVENUE, ORDER_AMOUNT)
// of a rep losing or gaining organisations, in force on the date,
//   share     = (trailing-12-month revenue gained − lost) / the rep's trailing-12-month revenue on the
//               organisations in charge the day before (no base: no change)
//   remaining = days of the period from the date to its end / days of the period
//   new target = target × (1 + share × remaining), rounded to the cent.
// Objectives on other metrics (counts, visits, prospects) are listed but not changed.
import { NOT_BINNED } from "../../auth/scope/entities.js";
import { inForce, toSqlText } from "../../auth/scope/condition.js";
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { expectGlobalId, toGlobalId } from "../../graphql/relay.js";
import { recordAudit } from "../audit/audit.service.js";
import { getTerritory } from "./territory.service.js";
import type { ApplyObjectiveRealignmentInput, ObjectiveConcerned, TerritoryChangeImpact, TerritoryChangeImpactInput } from "./territory.type.js";

const { Decimal } = Prisma;
type Decimal = Prisma.Decimal;
const MAX_MOVES = 200;
const REALIGNED_METRICS = new Set(["INVOICED_REVENUE", "ORDER_AMOUNT"]);
/** assignments (alias a) in force the day before the change ($1) */
const DAY_BEFORE_IN_FORCE = toSqlText(inForce(Prisma.raw("$1::date - 1")), "a");

interface MoveRow {
  org: string;
  from_rep: string | null;
  to_rep: string | null;
  revenue: string;
  pipeline: string;
}

export async function territoryChangeImpact(ctx: AuthedContext, input: TerritoryChangeImpactInput): Promise<TerritoryChangeImpact> {
  const territoryId = input.territoryId ? (await getTerritory(ctx, input.territoryId)).id : null;
  const d = input.date.toISOString().slice(0, 10);
  const reps = ctx.scope.repIds;
  const rows = await ctx.db.$queryRawUnsafe<MoveRow[]>(
    `WITH before AS (
       SELECT DISTINCT ON (a."organisationId") a."organisationId" AS org, a."repId" AS rep, a."territoryId" AS territory
         FROM "OrganisationAssignment" a
        WHERE ${DAY_BEFORE_IN_FORCE}
        ORDER BY a."organisationId", a."validFrom" DESC
     ), after AS (
       SELECT DISTINCT ON (a."organisationId") a."organisationId" AS org, a."repId" AS rep, a."territoryId" AS territory
         FROM "OrganisationAssignment" a
        WHERE ${toSqlText(inForce(Prisma.raw("$1::date")), "a")}
        ORDER BY a."organisationId", a."validFrom" DESC
     ), moves AS (
       SELECT coalesce(b.org, a.org) AS org, b.rep AS from_rep, a.rep AS to_rep
         FROM before b FULL JOIN after a ON a.org = b.org
        WHERE b.rep IS DISTINCT FROM a.rep
          AND ($2::uuid IS NULL OR b.territory = $2::uuid OR a.territory = $2::uuid)
          AND ($3::uuid[] IS NULL OR b.rep = ANY($3::uuid[]) OR a.rep = ANY($3::uuid[]))
     )
     SELECT m.org::text AS org, m.from_rep::text AS from_rep, m.to_rep::text AS to_rep,
            coalesce((SELECT sum(i.amount) FROM "Invoice" i WHERE i."organisationId" = m.org
                       AND i."invoicedAt" >= $1::date - interval '12 months' AND i."invoicedAt" < $1::date), 0)::text AS revenue,
            coalesce((SELECT sum(o.amount * o.probability / 100) FROM "Opportunity" o
                       WHERE o."organisationId" = m.org AND ${toSqlText(NOT_BINNED, "o")} AND o.status = 'OPEN'), 0)::text AS pipeline
       FROM moves m ORDER BY m.org`,
    d,
    territoryId,
    reps === "all" ? null : reps.length ? [...reps] : ["00000000-0000-0000-0000-000000000000"],
  );
  const moves = rows.map((row) => ({
    organisationId: row.org,
    fromRepId: row.from_rep,
    toRepId: row.to_rep,
    trailingRevenue: new Decimal(row.revenue).toDecimalPlaces(2),
    openWeightedPipeline: new Decimal(row.pipeline).toDecimalPlaces(2),
  }));
  const sum = (values: Decimal[]) => values.reduce((total, value) => total.plus(value), new Decimal(0));
  return {
    date: input.date,
    moves: moves.slice(0, MAX_MOVES),
    moveCount: moves.length,
    trailingRevenue: sum(moves.map((m) => m.trailingRevenue)),
    openWeightedPipeline: sum(moves.map((m) => m.openWeightedPipeline)),
    objectives: await objectivesConcerned(ctx, input.date, moves),
  };
}

async function objectivesConcerned(ctx: AuthedContext, date: Date, moves: { fromRepId: string | null; toRepId: string | null; trailingRevenue: Decimal }[]) {
  const delta = new Map<string, Decimal>();
  for (const move of moves) {
    if (move.fromRepId) delta.set(move.fromRepId, (delta.get(move.fromRepId) ?? new Decimal(0)).minus(move.trailingRevenue));
    if (move.toRepId) delta.set(move.toRepId, (delta.get(move.toRepId) ?? new Decimal(0)).plus(move.trailingRevenue));
  }
  if (delta.size === 0) return [];
  const repIds = [...delta.keys()];
  const objectives = await ctx.db.objective.findMany({
    where: { userId: { in: repIds }, periodStart: { lte: date }, periodEnd: { gt: date } },
    orderBy: [{ periodStart: "asc" }, { id: "asc" }],
  });
  const d = date.toISOString().slice(0, 10);
  const bases = await ctx.db.$queryRawUnsafe<{ rep: string; revenue: string }[]>(
    `SELECT a."repId"::text AS rep, coalesce(sum(i.amount), 0)::text AS revenue
       FROM "OrganisationAssignment" a
       JOIN "Invoice" i ON i."organisationId" = a."organisationId"
                       AND i."invoicedAt" >= $1::date - interval '12 months' AND i."invoicedAt" < $1::date
      WHERE a."repId" = ANY($2::uuid[]) AND ${DAY_BEFORE_IN_FORCE}
      GROUP BY a."repId"`,
    d,
    repIds,
  );
  const base = new Map(bases.map((row) => [row.rep, new Decimal(row.revenue)]));
  return objectives.map((objective): ObjectiveConcerned => {
    let realigned = objective.target;
    const repBase = base.get(objective.userId!);
    if (REALIGNED_METRICS.has(objective.metric) && repBase && repBase.gt(0)) {
      const share = delta.get(objective.userId!)!.div(repBase);
      const periodDays = (objective.periodEnd.getTime() - objective.periodStart.getTime()) / 86_400_000;
      const remainingDays = (objective.periodEnd.getTime() - date.getTime()) / 86_400_000;
      realigned = objective.target.times(new Decimal(1).plus(share.times(remainingDays).div(periodDays))).toDecimalPlaces(2);
    }
    return {
      id: toGlobalId("Objective", objective.id),
      objectiveId: objective.id,
      userId: objective.userId!,
      metric: objective.metric,
      periodStart: objective.periodStart,
      periodEnd: objective.periodEnd,
      target: objective.target,
      realignedTarget: realigned,
      version: objective.version,
    };
  });
}

/** Applies the realigned targets of the impact of the same change, audited, in one transaction. */
export async function applyObjectiveRealignment(ctx: AuthedContext, input: ApplyObjectiveRealignmentInput) {
  if (input.territoryId) expectGlobalId(input.territoryId, "Territory");
  const impact = await territoryChangeImpact(ctx, { date: input.date, territoryId: input.territoryId ?? null });
  const changed = impact.objectives.filter((o) => !o.realignedTarget.equals(o.target));
  return ctx.db.$transaction(async (tx) => {
    const results: ObjectiveConcerned[] = [];
    for (const objective of changed) {
      const before = await tx.objective.findUniqueOrThrow({ where: { id: objective.objectiveId } });
      const after = await tx.objective.update({ where: { id: objective.objectiveId }, data: { target: objective.realignedTarget, version: { increment: 1 } } });
      await recordAudit(tx, ctx.viewer, { entity: "Objective", entityId: objective.objectiveId, action: "realign", before, after });
      results.push({ ...objective, target: after.target, version: after.version });
    }
    return { objectives: results };
  });
}
