// Creates the benchmark database from scratch: drop, create, migrate, bulk-load with COPY (secondary
// indexes dropped during the load and rebuilt after), VACUUM ANALYZE. Records what it built in the database
// comment so that the benchmark can tell whether a data set of the wanted size is already there.
import pg from "pg";
import { RECORD_ALL_ORDERING_CYCLES_SQL } from "../../src/modules/orders/ordering-cycle.js";
import { RECORD_CLOSED_FORECASTS_SQL } from "../../src/modules/pipeline/forecast.js";
import { hashPassword } from "../../src/auth/passwords.js";
import { openDatabase } from "../../src/db/client.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { BENCH_PASSWORD, TABLE_COLUMNS, generateCompany, type GeneratedCompany } from "./bench-company.js";
import { CopyWriter } from "./copy-writer.js";

export const DEFAULT_BENCH_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/crm_bench";

export interface DataSetInfo extends GeneratedCompany {
  organisations: number;
  seed: number;
  today: string;
  rows: Record<string, number>;
  seconds: number;
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be letters, digits and underscores`);
  return name;
}

function maintenanceUrl(url: string): string {
  const u = new URL(url);
  u.pathname = "/postgres";
  return u.toString();
}

/** The data set recorded in the database comment, or null when the database or the record is missing. */
export async function readDataSetInfo(url: string): Promise<DataSetInfo | null> {
  const client = new pg.Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    const result = await client.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [databaseName(url)],
    );
    const comment = result.rows[0]?.comment;
    if (!comment) return null;
    try {
      return JSON.parse(comment) as DataSetInfo;
    } catch {
      return null;
    }
  } finally {
    await client.end();
  }
}

async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const client = new pg.Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export interface GenerateRequest {
  url: string;
  organisations: number;
  seed: number;
  today: Date;
  log?: (line: string) => void;
}

export async function generateDataSet(request: GenerateRequest): Promise<DataSetInfo> {
  const log = request.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const lap = (what: string) => log(`  ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  await recreateDatabase(request.url);
  const migrated = await openDatabase({ kind: "server", url: request.url, poolSize: 2, statementTimeoutMs: 3_600_000 });
  try {
    await applyMigrations(migrated.migrationAdapterFactory);
  } finally {
    await migrated.close();
  }
  lap("database recreated and migrated");

  const tables = Object.keys(TABLE_COLUMNS);
  const pool = new pg.Pool({ connectionString: request.url, max: tables.length + 2 });
  try {
    // Secondary indexes are rebuilt once at the end: far cheaper than maintaining them row by row.
    const indexes = await pool.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [tables],
    );
    for (const index of indexes.rows) await pool.query(`DROP INDEX "${index.indexname}"`);

    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const clients: pg.PoolClient[] = [];
    const writers = new Map<string, CopyWriter>();
    for (const table of tables) {
      const client = await pool.connect();
      clients.push(client);
      // Rows are consistent by construction: skip foreign-key triggers so that tables load in parallel.
      await client.query("SET session_replication_role = replica");
      writers.set(table, new CopyWriter(client, table, TABLE_COLUMNS[table]!));
    }
    const company = await generateCompany((table, cells) => writers.get(table)!.push(cells), {
      organisations: request.organisations,
      seed: request.seed,
      today: request.today,
      passwordHash,
    });
    const rows: Record<string, number> = {};
    for (const [table, writer] of writers) rows[table] = await writer.end();
    for (const client of clients) {
      await client.query("SET session_replication_role = DEFAULT");
      client.release();
    }
    lap(`${Object.values(rows).reduce((a, b) => a + b, 0).toLocaleString("en")} rows copied`);

    // Rebuild the indexes two at a time (two cores), then statistics for the planner.
    const queue = [...indexes.rows];
    const worker = async () => {
      const client = await pool.connect();
      try {
        await client.query("SET maintenance_work_mem = '256MB'");
        for (let index = queue.shift(); index; index = queue.shift()) await client.query(index.indexdef);
      } finally {
        client.release();
      }
    };
    await Promise.all([worker(), worker()]);
    lap(`${indexes.rows.length} indexes rebuilt`);
    await pool.query(RECORD_CLOSED_FORECASTS_SQL);
    lap("forecasts of the closed deals recorded");
    for (const statement of RECORD_ALL_ORDERING_CYCLES_SQL) await pool.query(statement);
    lap("ordering cycles recorded");
    // VACUUM too: a database that has been running has its visibility maps set by autovacuum, which
    // index-only scans need (the dashboards' sums read covering indexes: 62 → 19 ms for a year of invoices).
    await pool.query("VACUUM ANALYZE");
    lap("vacuumed and analyzed");

    const info: DataSetInfo = {
      ...company,
      organisations: request.organisations,
      seed: request.seed,
      today: request.today.toISOString().slice(0, 10),
      rows,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    await pool.query(`COMMENT ON DATABASE "${databaseName(request.url)}" IS ${pg.escapeLiteral(JSON.stringify(info))}`);
    return info;
  } finally {
    await pool.end();
  }
}
