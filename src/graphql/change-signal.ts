// News that changes were committed, for long-lived readers (GraphQL subscriptions): in memory on one
// instance, Redis pub/sub across instances (REDIS_URL). A notice carries no data — a woken reader reads the
// change feed itself, through its own scope and field rules — so a lost notice delays, never leaks or drops:
// readers also look again after their poll interval.
import { Redis } from "ioredis";

export interface ChangeSignal {
  /** Tells every reader, on every instance, that changes were committed. */
  notify(): void;
  /** Resolves at the next notice, after `timeoutMs` at the latest, or at once when `ended` fires. */
  next(timeoutMs: number, ended: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

type Warn = (details: Record<string, unknown>, message: string) => void;

export function createChangeSignal(redisUrl: string | undefined, namespace: string, warn: Warn): ChangeSignal {
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };
  const next = (timeoutMs: number, ended: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (ended.aborted) return resolve();
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        ended.removeEventListener("abort", wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      timer.unref();
      waiters.add(wake);
      ended.addEventListener("abort", wake, { once: true });
    });
  if (!redisUrl) return { notify: wakeAll, next, close: async () => wakeAll() };

  const channel = `${namespace}:changes`;
  let lastWarned = 0;
  const warnOnce = (error: Error) => {
    if (Date.now() - lastWarned < 10_000) return;
    lastWarned = Date.now();
    warn({ err: error.message }, "change notices: Redis unavailable, subscribers on other instances see changes at their next poll");
  };
  // A subscribed connection can only listen (Redis protocol): one to publish, one to listen, both opened on first use.
  let publisher: Redis | null = null;
  let listener: Redis | null = null;
  const listen = () => {
    if (listener) return;
    listener = new Redis(redisUrl, { maxRetriesPerRequest: null });
    listener.on("error", warnOnce);
    listener.on("message", wakeAll);
    listener.subscribe(channel).catch(warnOnce);
  };
  return {
    notify() {
      publisher ??= new Redis(redisUrl, { maxRetriesPerRequest: 1 }).on("error", warnOnce);
      // this instance's readers hear it from Redis like everyone else's; if Redis is away, at least they wake
      publisher.publish(channel, "").catch((error: Error) => {
        warnOnce(error);
        wakeAll();
      });
    },
    next(timeoutMs, ended) {
      listen();
      return next(timeoutMs, ended);
    },
    async close() {
      wakeAll();
      await Promise.all([publisher, listener].map((redis) => redis?.quit().catch(() => redis.disconnect())));
    },
  };
}
