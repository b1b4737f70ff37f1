// `npm run db:migrate`: applies pending migrations to the configured database (embedded or server).
import { loadConfig } from "../src/config/config.js";
import { openDatabase } from "../src/db/client.js";
import { databaseTargetFromConfig } from "../src/db/database-from-config.js";
import { applyMigrations } from "../src/db/schema-engine.js";

const db = await openDatabase(databaseTargetFromConfig(loadConfig()));
// (the schema engine leaves a timer behind: exit explicitly once done)
try {
  const applied = await applyMigrations(db.migrationAdapterFactory);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
} finally {
  await db.close();
}
process.exit(0);
