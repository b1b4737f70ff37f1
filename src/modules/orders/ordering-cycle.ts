// Each organisation's ordering cycle (SPEC §5.3, quiet customers): its number of orders, its last order
// and the median number of days between consecutive orders, kept in OrderingCycle by the order imports
// and merges, so that the data-health dashboard reads one row per customer instead of ranking half a
// million orders per request (400 ms at 100 000 organisations, measured). Orders are never updated or
// deleted: new orders and merges are the only changes.
import type { Db } from "../../db/client.js";
import type { Prisma } from "../../db/generated/client.js";

/** From the orders of the organisations that `scope` selects (a condition on o."organisationId"). */
const cyclesOf = (scope: string) => `
  SELECT g."organisationId", COUNT(*)::int, MAX(g."orderedAt"), COUNT(g.gap)::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY g.gap)
  FROM (
    SELECT o."organisationId", o."orderedAt", o."orderedAt" - LAG(o."orderedAt") OVER (PARTITION BY o."organisationId" ORDER BY o."orderedAt") AS gap
    FROM "Order" o WHERE ${scope}
  ) g
  GROUP BY g."organisationId"`;

const COLUMNS = `"organisationId", "orders", "lastOrderedAt", "intervals", "medianIntervalDays"`;

// Imports and merges touching cycles wait for each other (one transaction-level advisory lock): the
// statements that follow the lock see every order the previous holder committed.
const CYCLES_LOCK = 74_312_001;

/** Recomputes the cycles of these organisations from their orders, in the caller's transaction. */
export async function refreshOrderingCycles(tx: Prisma.TransactionClient, organisationIds: readonly string[]): Promise<void> {
  if (!organisationIds.length) return;
  const ids = [...new Set(organisationIds)];
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(${CYCLES_LOCK})::text`;
  await tx.$executeRaw`DELETE FROM "OrderingCycle" WHERE "organisationId" = ANY(${ids}::uuid[])`;
  await tx.$executeRawUnsafe(`INSERT INTO "OrderingCycle" (${COLUMNS}) ${cyclesOf(`o."organisationId" = ANY($1::uuid[])`)}`, ids);
}

/** Every organisation's cycle, for data loaded in bulk (the demo company, the benchmark generator, fixtures). */
export const RECORD_ALL_ORDERING_CYCLES_SQL = [`DELETE FROM "OrderingCycle"`, `INSERT INTO "OrderingCycle" (${COLUMNS}) ${cyclesOf("TRUE")}`];

export async function recordAllOrderingCycles(db: Db): Promise<void> {
  for (const statement of RECORD_ALL_ORDERING_CYCLES_SQL) await db.$executeRawUnsafe(statement);
}
