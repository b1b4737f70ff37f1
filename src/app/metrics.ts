// Prometheus metrics at /metrics: GraphQL request durations per operation, errors per code, limit and
// rate refusals, database pool use, and prom-client's process metrics (event-loop lag, heap, GC, handles).
// One Registry per server, never prom-client's global one: tests build several servers in one process.
import { createHash, timingSafeEqual } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PoolUse } from "../db/client.js";
import type { ReadTarget } from "../db/replicas.js";

/** Operation names are chosen by clients: past this many distinct names, new ones are counted as "other". */
const MAX_OPERATION_NAMES = 500;
/** The label of an operation that has no name, and of a request whose operation was never resolved. */
export const ANONYMOUS_OPERATION = "anonymous";
export const UNRESOLVED_OPERATION = "unresolved";
/** The codes that mean "refused by a limit" (counted apart as well, with the limit that refused). */
const REFUSAL_CODES = new Set(["RATE_LIMITED", "QUERY_TOO_COMPLEX"]);

interface ReportedError {
  extensions?: { code?: unknown; limit?: unknown };
}

export interface Metrics {
  registry: Registry;
  /** Apollo plugin: the duration of every operation and the errors of its response. */
  plugin: ApolloServerPlugin;
  /** Counts errors answered before Apollo (batch, nesting, body size). */
  countErrors(errors: readonly ReportedError[]): void;
  /** GET /metrics: open when `token` is null, else only with `authorization: Bearer <token>`. */
  handler(token: string | null): RequestHandler;
}

export interface MetricSources {
  /** deliveries waiting */
  webhookQueueDepth?: () => Promise<number>;
  /** statements of replica-routed reads per target so far (with DATABASE_REPLICA_URLS) */
  readStatements?: () => Record<ReadTarget, number>;
}

/** `poolUse`: the database connections at scrape time. */
export function createMetrics(poolUse: () => PoolUse, sources: MetricSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { webhookQueueDepth, readStatements } = sources;
  if (readStatements) {
    const reported: Record<ReadTarget, number> = { primary: 0, replica: 0 };
    new Counter({
      name: "db_read_statements_total",
      help: "SQL statements of GraphQL queries served by the replicas' clients, per target: replica, or primary when a replica failed one",
      labelNames: ["target"] as const,
      registers: [registry],
      collect() {
        const counts = readStatements();
        for (const target of ["primary", "replica"] as const) {
          this.inc({ target }, counts[target] - reported[target]);
          reported[target] = counts[target];
        }
      },
    });
  }
  if (webhookQueueDepth) {
    new Gauge({
      name: "webhook_queue_depth",
      help: "Webhook deliveries waiting to be sent (PENDING: new or retrying), across every instance",
      registers: [registry],
      // a failed count keeps the last value: a scrape never fails because of it
      async collect() {
        this.set(await webhookQueueDepth().catch(() => this.get().then((metric) => metric.values[0]?.value ?? 0)));
      },
    });
  }

  new Gauge({
    name: "db_pool_connections",
    help: "Database connections: max (DATABASE_POOL_SIZE; 1 for the embedded database), open, idle, and queries waiting for one",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const use = poolUse();
      for (const state of ["max", "open", "idle", "waiting"] as const) this.set({ state }, use[state]);
    },
  });

  const duration = new Histogram({
    name: "graphql_request_duration_seconds",
    help: "Time from receiving a GraphQL request to sending its response, per operation name and type",
    labelNames: ["operation", "type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  const errors = new Counter({
    name: "graphql_errors_total",
    help: "Errors sent in GraphQL responses, per extensions.code",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  const refusals = new Counter({
    name: "graphql_refusals_total",
    help: "Requests refused by the rate limit (RATE_LIMITED) or a query limit (QUERY_TOO_COMPLEX, with the limit: cost, depth, batch, body, timeout…)",
    labelNames: ["code", "limit"] as const,
    registers: [registry],
  });

  const knownNames = new Set<string>();
  const operationLabel = (name: string | undefined | null): string => {
    if (!name) return ANONYMOUS_OPERATION;
    if (knownNames.has(name)) return name;
    if (knownNames.size >= MAX_OPERATION_NAMES) return "other";
    knownNames.add(name);
    return name;
  };

  const countErrors = (list: readonly ReportedError[]) => {
    for (const error of list) {
      const code = typeof error.extensions?.code === "string" ? error.extensions.code : "INTERNAL_SERVER_ERROR";
      errors.inc({ code });
      if (REFUSAL_CODES.has(code)) {
        refusals.inc({ code, limit: typeof error.extensions?.limit === "string" ? error.extensions.limit : code === "RATE_LIMITED" ? "rate" : "unknown" });
      }
    }
  };

  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      const stop = duration.startTimer();
      return {
        async willSendResponse({ operation, response }) {
          // only a resolved operation has a name worth a label (a document that failed to parse or validate has none)
          stop(operation ? { operation: operationLabel(operation.name?.value), type: operation.operation } : { operation: UNRESOLVED_OPERATION, type: "unknown" });
          if (response.body.kind === "single" && response.body.singleResult.errors) countErrors(response.body.singleResult.errors);
        },
      };
    },
  };

  const handler = (token: string | null): RequestHandler => {
    // compared as digests: equal lengths for timingSafeEqual, and no early exit on the first differing byte
    const expected = token === null ? null : createHash("sha256").update(token).digest();
    return async (req, res) => {
      if (expected) {
        const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
        if (!timingSafeEqual(createHash("sha256").update(presented).digest(), expected)) {
          res.setHeader("www-authenticate", 'Bearer realm="metrics"');
          res.status(401).json({ error: "a valid METRICS_TOKEN bearer token is required" });
          return;
        }
      }
      res.setHeader("content-type", registry.contentType);
      res.setHeader("cache-control", "no-store");
      res.send(await registry.metrics());
    };
  };

  return { registry, plugin, countErrors, handler };
}
