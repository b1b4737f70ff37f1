// Prisma's WebAssembly schema engine, driven through a driver adapter: migrations work offline, on
// PGlite and on a PostgreSQL server alike, and keep Prisma's standard layout and `_prisma_migrations`
// bookkeeping so that `prisma migrate deploy` also works wherever the native engine exists.
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import * as wasmRuntime from "@prisma/schema-engine-wasm/schema_engine_bg";

import { PROJECT_ROOT } from "../config/paths.js";

export const PRISMA_DIR = path.join(PROJECT_ROOT, "prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
export const SCHEMA_FILE = path.join(PRISMA_DIR, "schema.prisma");

const NO_FILTERS = { externalTables: [], externalEnums: [] };

let wasmReady: Promise<void> | undefined;

/** Node cannot import the engine's `.wasm` as ESM: compile it beside its runtime and hand it over. */
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const runtimeFile = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(runtimeFile.replace(/\.js$/, ".wasm"));
    const module = await WebAssembly.compile(bytes);
    const runtime = wasmRuntime as unknown as Record<string, unknown> & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const instance = await WebAssembly.instantiate(module, {
      "./schema_engine_bg.js": runtime as WebAssembly.ModuleImports,
    });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  })();
  return wasmReady;
}

export async function readSchema(): Promise<string> {
  return readFile(SCHEMA_FILE, "utf8");
}

export async function readMigrationList(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => {
      const content = await readFile(path.join(dir, name, "migration.sql"), "utf8").then(
        (sql) => ({ tag: "ok" as const, value: sql }),
        (error: Error) => ({ tag: "error" as const, value: error.message }),
      );
      return { path: name, migrationFile: { path: "migration.sql", content } };
    }),
  );
  const lockContent = await readFile(path.join(dir, "migration_lock.toml"), "utf8").catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const { SchemaEngine } = wasmRuntime as unknown as { SchemaEngine: typeof import("@prisma/schema-engine-wasm").SchemaEngine };
  const schema = await readSchema();
  // The engine opens connections but never closes them: track them so that they do not keep a pool alive.
  const opened: SqlDriverAdapter[] = [];
  const track = async (connect: () => Promise<SqlDriverAdapter>) => {
    const adapter = await connect();
    opened.push(adapter);
    return adapter;
  };
  const trackingFactory: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: () => track(() => adapterFactory.connect()),
    connectToShadowDb: () => track(() => adapterFactory.connectToShadowDb()),
  };
  const engine = await SchemaEngine.new(
    { datamodels: [[SCHEMA_FILE, schema]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(trackingFactory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose().catch(() => undefined)));
  }
}

/** Prisma's checksum of a migration: SHA-256 of its file, in hex. */
const checksumOf = (sql: string) => createHash("sha256").update(sql).digest("hex");

/**
 * Whether `_prisma_migrations` records every migration directory as applied, with the checksum of its file
 * as it is now, and no failed or rolled-back attempt: the engine would then apply nothing. Anything else (a
 * new or edited migration, a failed one, no table yet, a query error) answers false.
 */
async function everyMigrationRecorded(adapterFactory: SqlMigrationAwareDriverAdapterFactory, list: MigrationList): Promise<boolean> {
  const adapter = await adapterFactory.connect();
  try {
    const result = await adapter.queryRaw({
      sql: `SELECT migration_name, checksum,
              CASE WHEN rolled_back_at IS NOT NULL THEN 'rolled back' WHEN finished_at IS NULL THEN 'failed' ELSE 'applied' END AS state
            FROM _prisma_migrations`,
      args: [],
      argTypes: [],
    });
    const rows = result.rows.map(([name, checksum, state]) => ({ name: String(name), checksum: String(checksum), state: String(state) }));
    if (rows.some((row) => row.state === "failed")) return false;
    const applied = new Map(rows.filter((row) => row.state === "applied").map((row) => [row.name, row.checksum]));
    return list.migrationDirectories.every(
      (dir) => dir.migrationFile.content.tag === "ok" && applied.get(dir.path) === checksumOf(dir.migrationFile.content.value),
    );
  } catch {
    return false; // no bookkeeping table yet (a new database): the engine creates it
  } finally {
    await adapter.dispose().catch(() => undefined);
  }
}

/**
 * Applies every migration of `prisma/migrations` not yet recorded in `_prisma_migrations`. When every one
 * is recorded already (a restart), one query says so and the engine is not started: compiling its
 * WebAssembly and reading the database through it took about a second of each start.
 */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const migrationsList = await readMigrationList();
  if (await everyMigrationRecorded(adapterFactory, migrationsList)) return [];
  const result = await withSchemaEngine(adapterFactory, (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
  );
  return result.appliedMigrationNames;
}

/** SQL that would take a database built by the committed migrations to `schema.prisma` (empty when in step). */
export async function diffMigrationsToSchema(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const migrationsList = await readMigrationList();
  const schema = await readSchema();
  const result = await withSchemaEngine(adapterFactory, (engine) =>
    engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_FILE, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    }),
  );
  const sql = result.stdout ?? "";
  return sql.includes("This is an empty migration") ? "" : sql.trim();
}
