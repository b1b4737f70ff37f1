// Counts the SQL statements a unit of work sends, at the driver adapter: the truth about N+1, whatever
// Prisma turns a call into. Requests run inside `countStatements`; tests and the benchmark read it.
import { AsyncLocalStorage } from "node:async_hooks";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  Transaction,
} from "@prisma/driver-adapter-utils";

export interface StatementLog {
  count: number;
  statements: string[];
}

const current = new AsyncLocalStorage<StatementLog>();
let keepText = false;

/** Keep each statement's SQL in the log (tests); off by default to cost nothing in production. */
export function recordStatementText(on: boolean): void {
  keepText = on;
}

/**
 * What a statement does, without its values: its verb and the tables it names, in order of first mention
 * (`SELECT Organisation,OrganisationAssignment`, `INSERT AuditEvent`, `BEGIN`). Tests pin the shapes of the
 * hot operations, so a change that adds or reorders a round trip shows which one.
 */
export function statementShape(sql: string): string {
  const verb = (/^\s*(\w+)/.exec(sql)?.[1] ?? "").toUpperCase();
  const tables = [...sql.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+(?:"public"\.)?"(\w+)"/gi)].map((m) => m[1]!);
  const named = [...new Set(tables)];
  return named.length ? `${verb} ${named.join(",")}` : verb;
}

export function countStatements<T>(log: StatementLog, work: () => T): T {
  return current.run(log, work);
}

export function currentStatementLog(): StatementLog | undefined {
  return current.getStore();
}

function note(query: SqlQuery): void {
  const log = current.getStore();
  if (!log) return;
  log.count += 1;
  if (keepText) log.statements.push(query.sql);
}

function countQueries<Q extends SqlQueryable>(queryable: Q): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) => (note(query), queryRaw(query));
  queryable.executeRaw = (query) => (note(query), executeRaw(query));
  return queryable;
}

function countAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => countQueries<Transaction>(await startTransaction(isolationLevel));
  return countQueries(adapter);
}

export function withStatementCounting(
  factory: SqlMigrationAwareDriverAdapterFactory,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => countAdapter(await factory.connect()),
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
