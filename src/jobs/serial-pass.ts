// A background pass run on a timer, never two at once on one instance: a second call waits for the first
// and runs after it. Several instances coordinate through the database (FOR UPDATE SKIP LOCKED), not here.
// Used by the webhook worker and the recycle-bin purge; below the modules, it imports none.
export class SerialPass<R> {
  private readonly halting = new AbortController();
  private running: Promise<R> | null = null;
  private halted = false;

  constructor(
    private readonly pass: () => Promise<R>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** True once stop() was called: a long pass checks it between steps. */
  get stopped(): boolean {
    return this.halted;
  }

  /** One pass now (after the one running, if any). */
  run(): Promise<R> {
    const previous = this.running ?? Promise.resolve(null);
    const pass = previous.catch(() => null).then(() => this.pass());
    this.running = pass;
    return pass;
  }

  /**
   * Passes one after another, each after a pause: `intervalMs`, or less when `news` resolves first (a
   * notice that there is work, e.g. committed changes), or none when `again` says the last pass left work
   * undone. The first pass comes after one pause; no timer keeps the process alive.
   */
  every(intervalMs: number, options: { news?: (timeoutMs: number, halted: AbortSignal) => Promise<unknown>; again?: (result: R) => boolean } = {}): void {
    const pause = options.news ?? sleep;
    const loop = async () => {
      let again = false;
      while (!this.halted) {
        if (!again) await pause(intervalMs, this.halting.signal);
        if (this.halted) return;
        const result = await this.run().then(
          (value) => ({ value }),
          (error: unknown) => void this.onError(error),
        );
        again = !!result && !!options.again?.(result.value);
      }
    };
    void loop();
  }

  /** No further pass; resolves when the running one is over (`interrupt` may cut it short first). */
  async stop(interrupt?: () => void): Promise<void> {
    this.halted = true;
    this.halting.abort();
    interrupt?.();
    await this.running?.catch(() => undefined);
  }
}

/** Resolves after `ms`, or at once when `halted` fires; the timer never keeps the process alive. */
function sleep(ms: number, halted: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (halted.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    halted.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      halted.removeEventListener("abort", done);
      resolve();
    }
  });
}
