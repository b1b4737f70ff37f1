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
  /** the adapter factory, for the schema engine (migrations) */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  target: DatabaseTarget;
  close(): Promise<void>;
}

const createPGlite = (dataDir: string) => PGlite.create(dataDir, { extensions: { pg_trgm, unaccent } });

async function openEmbedded(dataDir: string | null): Promise<{ factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> }> {
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
  return { factory, close: () => pglite.close() };
}

function openServer(target: Extract<DatabaseTarget, { kind: "server" }>) {
  // We own the pool so that closing the database really ends every connection.
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize,
    connectionTimeoutMillis: 3_000,
    statement_timeout: target.statementTimeoutMs,
  });
  // A server that goes away must not crash the process: the next query reports it and the pool reconnects.
  pool.on("error", () => undefined);
  return { factory: new PrismaPg(pool), close: () => pool.end() };
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const opened = target.kind === "embedded" ? await openEmbedded(target.dataDir) : openServer(target);
  const adapterFactory = withStatementCounting(opened.factory);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    adapterFactory,
    target,
    async close() {
      await prisma.$disconnect();
      await opened.close();
    },
  };
}
