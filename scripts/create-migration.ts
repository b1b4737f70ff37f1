// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
// that takes the committed migrations to schema.prisma. Runs on a throw-away in-memory database.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { openDatabase } from "../src/db/client.js";
import { MIGRATIONS_DIR, diffMigrationsToSchema } from "../src/db/schema-engine.js";

const name = (process.argv[2] ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}

await mkdir(MIGRATIONS_DIR, { recursive: true });
await writeFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), 'provider = "postgresql"\n');
const db = await openDatabase({ kind: "embedded", dataDir: null });
try {
  const sql = await diffMigrationsToSchema(db.migrationAdapterFactory);
  if (!sql) {
    console.log("schema.prisma and the migrations agree: nothing to write");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), `${sql}\n`);
    console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await db.close();
}
// the schema engine leaves a timer behind: exit explicitly once done
process.exit(0);
