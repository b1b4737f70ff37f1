// Cost-based rate limits: each operation spends its computed cost (the same figure as the cost limit) from
// a budget per principal — per API token, per user (all their sessions together), per IP address for
// anonymous calls. The budget lives in memory for one instance, or in Redis when REDIS_URL is set so that
// every instance shares it.
import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, type DocumentNode, type GraphQLSchema } from "graphql";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Viewer } from "../auth/viewer.js";
import { isUserViewer } from "../auth/viewer.js";
import { ErrorCode } from "../errors/api-errors.js";
import { costOverLimit, operationCost } from "./limits.js";

export interface RateLimitSettings {
  /** budget of cost points per principal and window */
  points: number;
  windowSeconds: number;
  /** Redis shared by every instance; memory of this process when absent */
  redisUrl?: string;
  /** Redis key prefix (tests use their own) */
  keyPrefix?: string;
}

export interface RateLimiter {
  readonly backend: "memory" | "redis";
  readonly settings: RateLimitSettings;
  /** Spends `cost` points of `key`'s budget; throws RATE_LIMITED when it is exhausted. */
  spend(key: string, cost: number): Promise<void>;
  close(): Promise<void>;
}

export type Warn = (details: Record<string, unknown>, message: string) => void;

/** Where budgets live: one Redis connection shared by every limiter of the server, or this process's memory. */
export interface LimiterStore {
  readonly backend: "memory" | "redis";
  /** the shared connection (null in memory), for the server's other shared state (read-your-writes marks) */
  readonly redis: Redis | null;
  /** A limiter in this store (in Redis, with an in-memory insurance limiter while Redis is away). */
  limiter(options: { points: number; duration: number; keyPrefix: string }): RateLimiterAbstract;
  close(): Promise<void>;
}

export function createLimiterStore(redisUrl: string | undefined, warn: Warn): LimiterStore {
  if (!redisUrl) {
    return { backend: "memory", redis: null, limiter: (options) => new RateLimiterMemory(options), close: async () => undefined };
  }
  // As rate-limiter-flexible advises: no offline queue (a command fails at once when Redis is away) and an
  // in-memory insurance limiter that takes over until Redis is back.
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  let lastWarned = 0;
  redis.on("error", (error: Error) => {
    if (Date.now() - lastWarned < 10_000) return;
    lastWarned = Date.now();
    warn({ err: error.message }, "rate limiter: Redis unavailable, limiting in memory meanwhile");
  });
  return {
    backend: "redis",
    redis,
    limiter: (options) =>
      new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) }),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** `store`: the server's shared one; without it the limiter opens (and closes) its own. */
export function createRateLimiter(settings: RateLimitSettings, warn: Warn, store?: LimiterStore): RateLimiter {
  const ownStore = store ? null : createLimiterStore(settings.redisUrl, warn);
  const shared = store ?? ownStore!;
  const limiter = shared.limiter({ points: settings.points, duration: settings.windowSeconds, keyPrefix: settings.keyPrefix ?? "crm-rate" });

  return {
    backend: shared.backend,
    settings,
    async spend(key, cost) {
      const points = Math.max(1, Math.ceil(cost));
      try {
        await limiter.consume(key, points);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw rateLimited(rejection, settings, points);
        // the store failed and so did its insurance: let the request through rather than refuse everyone
        warn({ err: rejection instanceof Error ? rejection.message : String(rejection) }, "rate limiter failed");
      }
    },
    async close() {
      await ownStore?.close();
    },
  };
}

function rateLimited(result: RateLimiterRes, settings: RateLimitSettings, cost: number): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
  return new GraphQLError(
    `Rate limit exceeded: this operation costs ${cost} of a budget of ${settings.points} per ${settings.windowSeconds} s; retry in ${retryAfterSeconds} s`,
    {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        retryAfterSeconds,
        budget: settings.points,
        windowSeconds: settings.windowSeconds,
        cost,
        http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfterSeconds)]]) },
      },
    },
  );
}

/** Whose budget a request spends: the token, the user, else the caller's address. */
export function rateLimitKey(viewer: Viewer | null, clientIp: string | undefined): string {
  if (!viewer) return `ip:${clientIp ?? "unknown"}`;
  return isUserViewer(viewer) ? `user:${viewer.userId}` : `token:${viewer.tokenId}`;
}

/**
 * The caller's address, set by the HTTP layer on every request (overwriting anything a client sent), for
 * the anonymous budget: Apollo plugins see headers, not the socket.
 */
export const CLIENT_IP_HEADER = "x-crm-client-ip";

/**
 * Spends each resolved operation's cost. Apollo runs the plugins' hooks side by side, so an operation over
 * the cost limit (refused by costLimitPlugin) is skipped here rather than spending its huge cost.
 */
export function rateLimitPlugin<T extends { viewer: Viewer | null }>(limiter: RateLimiter, schema: () => GraphQLSchema, maxCost: number): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, contextValue }) {
          const cost = operationCost(schema(), document, request.operationName, request.variables) ?? 1;
          if (cost > maxCost) return;
          await limiter.spend(rateLimitKey(contextValue.viewer, request.http?.headers.get(CLIENT_IP_HEADER)), cost);
        },
      };
    },
  };
}

/**
 * For the paths that execute operations themselves (the CSV routes): what the GraphQL endpoint does before
 * running an operation — refuse it over the cost limit, spend its cost from the caller's budget.
 */
export type OperationAdmission = (viewer: Viewer | null, clientIp: string | undefined, document: DocumentNode, variables: Record<string, unknown>) => Promise<void>;

/** `refused` sees each refusal (QUERY_TOO_COMPLEX, RATE_LIMITED), so that /metrics counts these paths' too. */
export function operationAdmission(limiter: RateLimiter, schema: () => GraphQLSchema, maxCost: number, refused: (error: GraphQLError) => void): OperationAdmission {
  return async (viewer, clientIp, document, variables) => {
    try {
      const cost = operationCost(schema(), document, null, variables) ?? 1;
      if (cost > maxCost) throw costOverLimit(cost, maxCost);
      await limiter.spend(rateLimitKey(viewer, clientIp), cost);
    } catch (error) {
      if (error instanceof GraphQLError) refused(error);
      throw error;
    }
  };
}
