import type { Database } from "../db/client.js";
import { applyMigrations } from "../db/schema-engine.js";
import { isDatabaseEmpty, seedDemoCompany } from "../demo/demo-company.js";
import { startOfUtcDay } from "../graphql/context.js";
import type { Logger } from "./logger.js";

/** Migrates the database and, when it is empty and seeding is on, loads the demo company. */
export async function prepareDatabase(database: Database, options: { seedDemo: boolean; logger: Logger; today?: Date }): Promise<void> {
  const applied = await applyMigrations(database.migrationAdapterFactory);
  if (applied.length) {
    options.logger.info({ applied }, "migrations applied");
    await database.refreshTypes();
  }
  if (options.seedDemo && (await isDatabaseEmpty(database.prisma))) {
    await seedDemoCompany(database.prisma, startOfUtcDay(options.today ?? new Date()));
    options.logger.info("demo company loaded (users: see README, password: demo)");
  }
}
