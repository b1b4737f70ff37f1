// Streaming read replicas (DATABASE_REPLICA_URLS). Each replica has its own Prisma client whose driver
// adapter sends each statement outside a transaction to that replica, and to the primary when the replica
// fails it (away, or a conflict with recovery): a replica that goes down costs no error. Transactions are
// the primary's. An operation reads from one replica throughout; which operations read from a replica is
// the GraphQL layer's choice (src/graphql/read-routing.ts).
//
// How far behind a replica is, measured without trusting any clock but this process's: every check samples
// the primary's WAL position (pg_current_wal_lsn) and asks each replica how far it has replayed
// (pg_last_wal_replay_lsn). A replica that has replayed past the sample taken at time T holds every commit
// the primary had finished at T. It is read only while T is at most `maxLagMs` ago — so a write finished
// more than `maxLagMs` ago is on every replica that serves a read, which is what makes the read-your-writes
// window safe (a principal's reads stay on the primary for `maxLagMs` after its write).
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { isConnectionFailure } from "./connection-failure.js";
import { PrismaClient } from "./generated/client.js";
import { withStatementCounting } from "./statement-counter.js";

export type ReadTarget = "primary" | "replica";

export interface ReplicaStatus {
  /** host:port/database (never the credentials) */
  name: string;
  /** in use: reads go there; lagging: further behind than the allowed lag; down: not answering */
  state: "in use" | "lagging" | "down";
  /** how long ago (ms) the primary last stood where the replica now is, as of the last check; null before one */
  lagMs: number | null;
}

export interface ReplicaSettings {
  urls: readonly string[];
  /** the most a replica may be behind the primary and still be read; also the read-your-writes window */
  maxLagMs: number;
  poolSize: number;
  statementTimeoutMs: number;
  /** how often the replicas are checked; default: checkIntervalMs(maxLagMs) (tests check by hand) */
  checkIntervalMs?: number;
}

/** How often the replicas are checked: a few times within the allowed lag, at most once a second. */
export const checkIntervalMs = (maxLagMs: number) => Math.max(10, Math.min(1_000, Math.floor(maxLagMs / 4)));

/** SQLSTATEs a replica raises that the primary would not: a conflict with recovery, a read-only transaction. */
const REPLICA_ONLY_SQLSTATE = new Set(["40001", "25006"]);

function sqlStateOf(error: unknown, depth = 0): string | null {
  if (!error || typeof error !== "object" || depth > 4) return null;
  const e = error as { code?: unknown; originalCode?: unknown; cause?: unknown };
  for (const code of [e.originalCode, e.code]) if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  return sqlStateOf(e.cause, depth + 1);
}

/** A replica's failure that the same statement on the primary would not have: retry it there. */
function isReplicaFailure(error: unknown): boolean {
  const state = sqlStateOf(error);
  return isConnectionFailure(error) || (state !== null && REPLICA_ONLY_SQLSTATE.has(state));
}

/** "16/B374D848" → a comparable number */
function parseLsn(text: string): bigint {
  const [high, low] = text.split("/");
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

function nameOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
}

interface ReplicaHealth {
  /** when (performance.now()) the primary last stood at or before the replica's replay position */
  reachedAt: number | null;
  /** failed its last check or a statement: not read until a check succeeds */
  down: boolean;
}

interface Replica {
  name: string;
  pool: pg.Pool;
  client: PrismaClient;
  health: ReplicaHealth;
}

export interface ReplicaSet {
  /** The client of a replica close enough behind the primary, in turn; null when none is: read on the primary. */
  reader(): PrismaClient | null;
  status(): ReplicaStatus[];
  /** statements the replicas' clients sent to each target since start */
  readStatements(): Record<ReadTarget, number>;
  /** Runs one check now (tests; the loop calls it too). */
  check(): Promise<void>;
  close(): Promise<void>;
}

export function openReplicaSet(primaryPool: pg.Pool, settings: ReplicaSettings): ReplicaSet {
  const counts: Record<ReadTarget, number> = { primary: 0, replica: 0 };

  /** The replica's statements, each retried on the primary when the replica fails it. */
  const fallbackFactory = (health: ReplicaHealth, replicaFactory: PrismaPg): SqlMigrationAwareDriverAdapterFactory => ({
    provider: "postgres",
    adapterName: replicaFactory.adapterName,
    connectToShadowDb: () => Promise.reject(new Error("a replica has no shadow database")),
    async connect() {
      const [primary, own] = await Promise.all([new PrismaPg(primaryPool).connect(), replicaFactory.connect()]);
      const route = async <T>(run: (adapter: SqlDriverAdapter) => Promise<T>): Promise<T> => {
        if (!health.down) {
          try {
            const result = await run(own);
            counts.replica += 1;
            return result;
          } catch (error) {
            if (!isReplicaFailure(error)) throw error;
            if (isConnectionFailure(error)) health.down = true;
          }
        }
        counts.primary += 1;
        return run(primary);
      };
      const adapter: SqlDriverAdapter = {
        provider: own.provider,
        adapterName: own.adapterName,
        queryRaw: (query: SqlQuery) => route((target) => target.queryRaw(query)),
        executeRaw: (query: SqlQuery) => route((target) => target.executeRaw(query)),
        // a transaction keeps one session and may write: the primary's, like scripts
        executeScript: (script) => primary.executeScript(script),
        startTransaction: (isolationLevel) => primary.startTransaction(isolationLevel),
        getConnectionInfo: () => own.getConnectionInfo?.() ?? { supportsRelationJoins: true },
        async dispose() {
          await Promise.all([primary.dispose(), own.dispose()]);
        },
      };
      return adapter;
    },
  });

  const replicas: Replica[] = settings.urls.map((url) => {
    const pool = new pg.Pool({ connectionString: url, max: settings.poolSize, connectionTimeoutMillis: 3_000, statement_timeout: settings.statementTimeoutMs });
    pool.on("error", () => undefined); // a replica that goes away is found by the next check or statement
    const health: ReplicaHealth = { reachedAt: null, down: false };
    const client = new PrismaClient({ adapter: withStatementCounting(fallbackFactory(health, new PrismaPg(pool))) });
    return { name: nameOf(url), pool, client, health };
  });
  const samples: { at: number; lsn: bigint }[] = [];
  const lagOf = (replica: Replica) => (replica.health.reachedAt === null ? null : performance.now() - replica.health.reachedAt);
  const usable = (replica: Replica) => {
    const lag = lagOf(replica);
    return !replica.health.down && lag !== null && lag <= settings.maxLagMs;
  };

  async function checkReplica(replica: Replica): Promise<void> {
    try {
      const { rows } = await replica.pool.query<{ lsn: string | null }>("SELECT pg_last_wal_replay_lsn()::text AS lsn");
      const replayed = rows[0]?.lsn;
      // not in recovery: a primary named as a replica is never read (it would not follow this primary)
      if (!replayed) return void (replica.health.down = true);
      const position = parseLsn(replayed);
      const reached = samples.findLast((sample) => sample.lsn <= position);
      if (reached && (replica.health.reachedAt === null || reached.at > replica.health.reachedAt)) replica.health.reachedAt = reached.at;
      replica.health.down = false;
    } catch {
      replica.health.down = true;
    }
  }

  async function check(): Promise<void> {
    const at = performance.now();
    try {
      const { rows } = await primaryPool.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
      samples.push({ at, lsn: parseLsn(rows[0]!.lsn) });
    } catch {
      return; // the primary is away: no new sample, the replicas age out of use on their own
    }
    while (samples.length > 1 && samples[0]!.at < at - 2 * settings.maxLagMs) samples.shift();
    await Promise.all(replicas.map(checkReplica));
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;
  const loop = () => {
    running = check().finally(() => {
      running = null;
      if (!closed) timer = setTimeout(loop, settings.checkIntervalMs ?? checkIntervalMs(settings.maxLagMs)).unref();
    });
  };
  loop();

  let turn = 0;
  const reader = (): PrismaClient | null => {
    const ready = replicas.filter(usable);
    return ready.length ? ready[turn++ % ready.length]!.client : null;
  };

  return {
    reader,
    status: () =>
      replicas.map((replica) => {
        const lag = lagOf(replica);
        return {
          name: replica.name,
          state: replica.health.down ? "down" : usable(replica) ? "in use" : "lagging",
          lagMs: lag === null ? null : Math.round(lag),
        };
      }),
    readStatements: () => ({ ...counts }),
    check,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
      await Promise.all(replicas.map((replica) => replica.client.$disconnect()));
      await Promise.all(replicas.map((replica) => replica.pool.end()));
    },
  };
}
