// A fresh database per test file: in-memory PGlite by default, a new database on the PostgreSQL server
// named by TEST_DATABASE_URL when it is set.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/client.js";
import { applyMigrations } from "../../src/db/schema-engine.js";

export const usesServer = Boolean(process.env.TEST_DATABASE_URL);

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** An empty database on the PostgreSQL server of `adminUrl`, for a server a test starts itself (its URL and how to drop it). */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(adminUrl, name),
    async drop() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export interface TestDatabaseOptions {
  /** PostgreSQL pass: the URLs of streaming replicas of the new database, from its URL */
  replicaUrls?: (databaseUrl: string) => string[];
  /** REPLICA_MAX_LAG_MS */
  maxReplicaLagMs?: number;
}

export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<Database & { drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ kind: "embedded", dataDir: null });
    return { ...database, drop: () => database.close() };
  }
  const name = `crm_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is not reachable (${(error as Error).message}); start it or unset TEST_DATABASE_URL`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const replicas = options.replicaUrls && { urls: options.replicaUrls(url), maxLagMs: options.maxReplicaLagMs ?? 2_000 };
  const database = await openDatabase({ kind: "server", url, poolSize: 5, statementTimeoutMs: 30_000, ...(replicas && { replicas }) });
  return {
    ...database,
    async drop() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/**
 * Migrates a test database while no other test file migrates (PostgreSQL pass): a migration sets defaults
 * of the role (ALTER ROLE CURRENT_USER SET …), shared by every database of the server, and two files doing
 * it at once fail with "tuple concurrently updated". The advisory lock lives in the admin database and ends
 * with its session. prepareDatabase then finds nothing left to apply.
 */
export async function migrateTestDatabase(database: Database): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return;
  const lock = new pg.Client({ connectionString: adminUrl });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('crm-test-migrations'))");
    if ((await applyMigrations(database.migrationAdapterFactory)).length) await database.refreshTypes();
  } finally {
    await lock.end();
  }
}
