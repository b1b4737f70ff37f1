import type { Config } from "../config/config.js";
import type { DatabaseTarget } from "./client.js";

/**
 * `readReplicas`: open DATABASE_REPLICA_URLS too (the API server, whose GraphQL queries read there); the
 * worker and the admin scripts use the primary only.
 */
export function databaseTargetFromConfig(config: Config, options: { readReplicas?: boolean } = {}): DatabaseTarget {
  return config.DATABASE_URL
    ? {
        kind: "server",
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
        ...(options.readReplicas && config.replicaUrls.length && { replicas: { urls: config.replicaUrls, maxLagMs: config.REPLICA_MAX_LAG_MS } }),
      }
    : { kind: "embedded", dataDir: config.DATA_DIR };
}
