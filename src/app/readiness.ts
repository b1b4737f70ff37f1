import type { Database } from "../db/client.js";
import type { ReplicaStatus } from "../db/replicas.js";
import { readMigrationList } from "../db/schema-engine.js";

export interface Readiness {
  ready: boolean;
  database: "up" | "down";
  migrations: "applied" | "pending" | "unknown";
  /** with DATABASE_REPLICA_URLS: each replica's state (informative: reads fall back to the primary) */
  replicas?: ReplicaStatus[];
}

/** Ready = the primary answers and every committed migration is recorded as applied (replicas are optional). */
export async function checkReadiness(database: Database): Promise<Readiness> {
  const replicas = database.replicas ? { replicas: database.replicas.status() } : {};
  return { ...(await checkPrimary(database)), ...replicas };
}

async function checkPrimary(database: Database): Promise<Readiness> {
  try {
    const expected = (await readMigrationList()).migrationDirectories.map((dir) => dir.path);
    const rows = await database.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const applied = new Set(rows.map((row) => row.migration_name));
    const migrated = expected.every((name) => applied.has(name));
    return { ready: migrated, database: "up", migrations: migrated ? "applied" : "pending" };
  } catch {
    return { ready: false, database: "down", migrations: "unknown" };
  }
}
