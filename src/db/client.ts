// Builds the Prisma client on a driver adapter: embedded PGlite by default, a PostgreSQL server when a
// URL is given. Both run the same migrations and the same queries.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.js";
import { withStatementCounting } from "./statement-counter.js";

export type Db = PrismaClient;

export type DatabaseTarget =
  | { kind: "embedded"; dataDir: string | null /* null: in memory */ }
  | { kind: "server"; url: string; poolSize: number; statementTimeoutMs: number };

export interface Database {
  prisma: Db;
  /** for the schema engine (migrations): one session per engine connection, see openServer */
  migrationAdapterFactory: SqlMigrationAwareDriverAdapterFactory;
  target: DatabaseTarget;
  /** Re-reads the database's types after migrations created some (see openEmbedded). */
  refreshTypes(): Promise<void>;
  /** the connections now (for /metrics); the embedded database is one connection, always open */
  poolUse(): PoolUse;
  close(): Promise<void>;
}

export interface PoolUse {
  max: number;
  open: number;
  idle: number;
  /** queries waiting for a connection */
  waiting: number;
}

const createPGlite = (dataDir: string) => PGlite.create(dataDir, { extensions: { pg_trgm, unaccent } });

interface OpenedAdapter {
  factory: SqlMigrationAwareDriverAdapterFactory;
  migrationFactory: SqlMigrationAwareDriverAdapterFactory;
  refreshTypes(): Promise<void>;
  poolUse(): PoolUse;
  close(): Promise<void>;
}

async function openEmbedded(dataDir: string | null): Promise<OpenedAdapter> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await createPGlite(dataDir ?? "memory://");
  const base = new PrismaPGlite(pglite);
  // The adapter's own shadow database lacks our extensions; migrations diffing needs them.
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: () => base.connect(),
    connectToShadowDb: async () => new PrismaPGlite(await createPGlite("memory://")).connect(),
  };
  // PGlite serialises an array parameter through the serializer of its type's oid, read once at start-up:
  // enum arrays created later by migrations (ContactRole[]…) would be sent as `String(array)` and fail
  // with 22P02 ("malformed array literal") until the types are read again.
  return {
    factory,
    migrationFactory: factory,
    refreshTypes: () => pglite.refreshArrayTypes(),
    poolUse: () => ({ max: 1, open: 1, idle: 1, waiting: 0 }),
    close: () => pglite.close(),
  };
}

function openServer(target: Extract<DatabaseTarget, { kind: "server" }>): OpenedAdapter {
  // We own the pool so that closing the database really ends every connection.
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize,
    connectionTimeoutMillis: 3_000,
    statement_timeout: target.statementTimeoutMs,
  });
  // A server that goes away must not crash the process: the next query reports it and the pool reconnects.
  pool.on("error", () => undefined);
  // The schema engine locks migrations with a session-level pg_advisory_lock: on a pool its unlock could
  // run on another session, leaving the lock held until the idle connection closed, and an instance
  // starting meanwhile timed out waiting for it. A pool of one per engine connection keeps lock, work and
  // unlock on one session, ended when the engine is done.
  const migrationFactory = new PrismaPg({ connectionString: target.url, max: 1, connectionTimeoutMillis: 3_000 });
  return {
    factory: new PrismaPg(pool),
    migrationFactory,
    refreshTypes: async () => undefined,
    poolUse: () => ({ max: target.poolSize, open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const opened = target.kind === "embedded" ? await openEmbedded(target.dataDir) : openServer(target);
  const prisma = new PrismaClient({ adapter: withStatementCounting(opened.factory) });
  return {
    prisma,
    migrationAdapterFactory: opened.migrationFactory,
    target,
    refreshTypes: opened.refreshTypes,
    poolUse: opened.poolUse,
    async close() {
      await prisma.$disconnect();
      await opened.close();
    },
  };
}

/** SQLSTATEs of a server that is away or refusing sessions (class 08, shutdown, too many connections…). */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300|3D000)/;
const UNAVAILABLE_TEXT =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|DatabaseNotReachable)\b|Connection terminated|timeout exceeded when trying to connect|terminating connection|not currently accepting connections|the database system is (starting up|shutting down)|Can't reach database|Client has encountered a connection error/;

/**
 * Whether an error means "the database cannot be reached now" (as opposed to a bad query): the API then
 * answers SERVICE_UNAVAILABLE. Looks through Prisma's and the driver adapter's wrappers.
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as { code?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  for (const code of [e.code, e.originalCode]) if (typeof code === "string" && UNAVAILABLE_SQLSTATE.test(code)) return true;
  if (typeof e.message === "string" && UNAVAILABLE_TEXT.test(e.message)) return true;
  if (e.code === "55000" && typeof e.message === "string" && /accepting connections/.test(e.message)) return true;
  return isConnectionFailure(e.cause, depth + 1) || isConnectionFailure(e.meta?.driverAdapterError, depth + 1);
}
