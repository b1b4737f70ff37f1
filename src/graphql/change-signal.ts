// News that changes were committed, for long-lived readers (GraphQL subscriptions): in memory on one
// instance, Redis pub/sub across instances (REDIS_URL). A notice carries no data — a woken reader reads the
// change feed itself, through its own scope and field rules — so a lost notice delays, never leaks or drops:
// readers also look again after their poll interval.
import { Redis } from "ioredis";

export interface ChangeSignal {
  /** Tells every reader, on every instance, that changes were committed. */
  notify(): void;
  /** Resolves once this instance hears every notice from now on (Redis: its subscription is in place). */
  listening(): Promise<void>;
  /** How many notices this instance has heard: a reader keeps the count it last acted on. */
  heard(): number;
  /**
   * Resolves with the count at once if a notice came after `since` (none is lost between a read and the
   * wait), else at the next notice, after `timeoutMs` at the latest, or when `ended` fires.
   */
  next(since: number, timeoutMs: number, ended: AbortSignal): Promise<number>;
  close(): Promise<void>;
}

type Warn = (details: Record<string, unknown>, message: string) => void;

export function createChangeSignal(redisUrl: string | undefined, namespace: string, warn: Warn): ChangeSignal {
  let notices = 0;
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    notices += 1;
    for (const wake of [...waiters]) wake();
  };
  const next = (since: number, timeoutMs: number, ended: AbortSignal) =>
    new Promise<number>((resolve) => {
      if (notices !== since || ended.aborted) return resolve(notices);
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        ended.removeEventListener("abort", wake);
        resolve(notices);
      };
      const timer = setTimeout(wake, timeoutMs);
      timer.unref();
      waiters.add(wake);
      ended.addEventListener("abort", wake, { once: true });
    });
  const heard = () => notices;
  if (!redisUrl) return { notify: wakeAll, listening: async () => undefined, heard, next, close: async () => wakeAll() };

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
  let subscribed: Promise<void> | null = null;
  return {
    notify() {
      publisher ??= new Redis(redisUrl, { maxRetriesPerRequest: 1 }).on("error", warnOnce);
      // this instance's readers hear it from Redis like everyone else's; if Redis is away, at least they wake
      publisher.publish(channel, "").catch((error: Error) => {
        warnOnce(error);
        wakeAll();
      });
    },
    listening() {
      if (!subscribed) {
        listener = new Redis(redisUrl, { maxRetriesPerRequest: null });
        listener.on("error", warnOnce);
        listener.on("message", wakeAll);
        // without Redis the subscriber still works, on its poll interval
        subscribed = listener.subscribe(channel).then(
          () => undefined,
          (error: Error) => warnOnce(error),
        );
      }
      return subscribed;
    },
    heard,
    next,
    async close() {
      wakeAll();
      await Promise.all([publisher, listener].map((redis) => redis?.quit().catch(() => redis.disconnect())));
    },
  };
}
