// Configuration tables (a handful of rows read by nearly every request: the pipeline stages) kept per
// instance for CONFIGURATION_CACHE_MS. The instance that changes one forgets it at once; the other instances
// follow within the cache time, as for token state. The lifetime runs on real elapsed time, so a test clock
// standing still cannot keep a stale copy alive.
export class ConfigurationCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; expiresAt: number }>();

  constructor(
    private readonly cacheMs: number,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /** The cached value of `key`, loaded by `load` when missing or expired (concurrent callers share one load). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.monotonicMs()) return entry.value as Promise<T>;
    const value = load();
    if (this.cacheMs > 0) {
      this.entries.set(key, { value, expiresAt: this.monotonicMs() + this.cacheMs });
      // a failed read is not kept: the next caller reads again
      value.catch(() => {
        if (this.entries.get(key)?.value === value) this.entries.delete(key);
      });
    }
    return value;
  }

  /** After this instance changed `key`'s table: the next reader loads it again. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
