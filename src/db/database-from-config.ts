import type { Config } from "../config/config.js";
import type { DatabaseTarget } from "./client.js";

export function databaseTargetFromConfig(config: Config): DatabaseTarget {
  return config.DATABASE_URL
    ? {
        kind: "server",
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
        replicas: { urls: config.replicaUrls, maxLagMs: config.REPLICA_MAX_LAG_MS },
      }
    : { kind: "embedded", dataDir: config.DATA_DIR };
}
