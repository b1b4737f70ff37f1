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
import { openReplicaSet, type ReplicaSet } from "./replicas.js";
import { withStatementCounting } from "./statement-counter.js";

export type Db = PrismaClient;

export type DatabaseTarget =
  | { kind: "embedded"; dataDir: string | null /* null: in memory */ }
  | {
      kind: "server";
      url: string;
      poolSize: number;
      statementTimeoutMs: number;
      /** streaming replicas for reads (DATABASE_REPLICA_URLS), and how far behind one may be (REPLICA_MAX_LAG_MS) */
      replicas?: { urls: readonly string[]; maxLagMs: number; checkIntervalMs?: number };
    };

export interface Database {
  /** the primary */
  prisma: Db;
  /** the read replicas (null: none configured); what reads there is src/graphql/read-routing.ts's choice */
  replicas: ReplicaSet | null;
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
  replicas: ReplicaSet | null;
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
    replicas: null,
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
  const replicas = target.replicas?.urls.length
    ? openReplicaSet(pool, { ...target.replicas, poolSize: target.poolSize, statementTimeoutMs: target.statementTimeoutMs })
    : null;
  return {
    factory: new PrismaPg(pool),
    replicas,
    migrationFactory,
    refreshTypes: async () => undefined,
    poolUse: () => ({ max: target.poolSize, open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await replicas?.close();
      await pool.end();
    },
  };
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const opened = target.kind === "embedded" ? await openEmbedded(target.dataDir) : openServer(target);
  const prisma = new PrismaClient({ adapter: withStatementCounting(opened.factory) });
  return {
    prisma,
    replicas: opened.replicas,
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
