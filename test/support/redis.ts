// The Redis of TEST_REDIS_URL for tests that check what instances share through it.
import { Redis } from "ioredis";

/** Connects, or fails naming the URL: a Redis that is set but unreachable is a failure, never a skip. */
export async function connectTestRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => undefined); // reported by connect() below
  try {
    await redis.connect();
    if ((await redis.ping()) !== "PONG") throw new Error("PING was not answered with PONG");
  } catch (error) {
    throw new Error(`TEST_REDIS_URL=${url} is set but Redis is not reachable (${(error as Error).message})`);
  }
  return redis;
}

/** Deletes the keys a test wrote under its own prefix, then disconnects. */
export async function releaseTestRedis(redis: Redis | undefined, prefix: string): Promise<void> {
  if (redis?.status === "ready") {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  } else redis?.disconnect();
}
