import type { Database } from "../db/client.js";
import { readMigrationList } from "../db/schema-engine.js";

export interface Readiness {
  ready: boolean;
  database: "up" | "down";
  migrations: "applied" | "pending" | "unknown";
}

/** Ready = the database answers and every committed migration is recorded as applied. */
export async function checkReadiness(database: Database): Promise<Readiness> {
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
