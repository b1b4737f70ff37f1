// Which database an operation uses when there are read replicas (DATABASE_REPLICA_URLS, src/db/replicas.ts):
// a query reads from a replica, unless its principal wrote within the read-your-writes window; a mutation,
// its payload and everything else (CSV routes, webhooks, authentication) use the primary. A principal's
// write is noted before its response leaves, in Redis when REDIS_URL is set so that every instance honours
// it, and in this process's memory always (what this instance knows even while Redis is away).
import type { ApolloServerPlugin } from "@apollo/server";
import type { Redis } from "ioredis";
import type { Db } from "../db/client.js";
import { RequestLoaders, type RequestContext } from "./context.js";
import { rateLimitKey, type Warn } from "./rate-limit.js";

export interface RecentWriters {
  /** Notes that `principal` has just written: its reads stay on the primary for the window. */
  note(principal: string): Promise<void>;
  wroteRecently(principal: string): Promise<boolean>;
}

/** Past this many principals in memory, the expired marks are swept. */
const SWEEP_AT = 10_000;

/** Without replicas every read is the primary's: nothing to note. */
export const NO_REPLICA_WRITERS: RecentWriters = { note: async () => undefined, wroteRecently: async () => false };

export function createRecentWriters(windowMs: number, redis: Redis | null, keyPrefix: string, warn: Warn): RecentWriters {
  const until = new Map<string, number>();
  const inMemory = (principal: string) => (until.get(principal) ?? 0) > performance.now();
  const key = (principal: string) => `${keyPrefix}:wrote:${principal}`;
  return {
    async note(principal) {
      if (until.size >= SWEEP_AT) for (const [p, end] of until) if (end <= performance.now()) until.delete(p);
      until.set(principal, performance.now() + windowMs);
      // Redis counts the window down on its own clock: no instance compares its clock with another's
      await redis?.set(key(principal), "1", "PX", windowMs).catch((error: Error) => warn({ err: error.message }, "read-your-writes: Redis unavailable, this write is known to this instance only"));
    },
    async wroteRecently(principal) {
      if (inMemory(principal)) return true;
      if (!redis) return false;
      // Redis away: the primary, which never serves a stale read
      return (await redis.exists(key(principal)).catch(() => 1)) > 0;
    },
  };
}

/** Whose writes a request's reads must see: the principal of the rate limit (token, user, else address). */
export const writerOf = (ctx: Pick<RequestContext, "viewer" | "clientIp">) => rateLimitKey(ctx.viewer, ctx.clientIp);

/**
 * Points a query's context at a replica's client (`reader`: null when none is close enough behind) unless its
 * principal wrote recently; notes the principal of a mutation before the response leaves.
 */
export function readRoutingPlugin(reader: () => Db | null, writers: RecentWriters): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== "query") return;
          const replica = reader();
          if (!replica || (await writers.wroteRecently(writerOf(contextValue)))) return;
          contextValue.db = replica;
          // Apollo runs the operation on a shallow copy of the context: its loaders must read this copy's db
          contextValue.loaders = new RequestLoaders(() => contextValue);
        },
        async willSendResponse({ operation, contextValue }) {
          if (operation?.operation === "mutation") await contextValue.noteWrite();
        },
      };
    },
  };
}
