// A background pass run on a timer, never two at once on one instance: a second call waits for the first
// and runs after it. Several instances coordinate through the database (FOR UPDATE SKIP LOCKED), not here.
// Used by the webhook worker and the recycle-bin purge; below the modules, it imports none.
export class SerialPass<R> {
  private timer: NodeJS.Timeout | null = null;
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

  /** A pass every `intervalMs`, the first after one interval; the timer never keeps the process alive. */
  every(intervalMs: number): void {
    const tick = () => {
      this.timer = setTimeout(() => {
        this.run()
          .catch(this.onError)
          .finally(() => {
            if (!this.halted) tick();
          });
      }, intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /** No further pass; resolves when the running one is over (`interrupt` may cut it short first). */
  async stop(interrupt?: () => void): Promise<void> {
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    interrupt?.();
    await this.running?.catch(() => undefined);
  }
}
