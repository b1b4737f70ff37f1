// The background loop of the webhook worker and the recycle-bin purge: a pass runs when news comes, at
// once again while the last pass left work, never two at once, and nothing after stop(). The interval is an
// hour throughout, so any pass seen here was started by news or by `again`, never by the timer.
import { describe, expect, it } from "vitest";
import { SerialPass } from "../../src/jobs/serial-pass.js";

const HOUR = 3_600_000;

/** A news source the test releases by hand, one notice at a time. */
function newsSource() {
  const waiting: (() => void)[] = [];
  return {
    news: () => new Promise<void>((resolve) => waiting.push(resolve)),
    release: () => waiting.shift()?.(),
    get waiting() {
      return waiting.length;
    },
  };
}

/** Resolves once `done()` holds, letting the loop's promises run between checks. */
async function settled(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

describe("SerialPass.every", () => {
  it("runs a pass when news comes, and waits for news again", async () => {
    const source = newsSource();
    let passes = 0;
    const loop = new SerialPass(async () => (passes += 1), () => undefined);
    loop.every(HOUR, { news: source.news });
    await settled(() => source.waiting === 1);
    expect(passes).toBe(0);
    source.release();
    await settled(() => passes === 1 && source.waiting === 1);
    source.release();
    await settled(() => passes === 2 && source.waiting === 1);
    await loop.stop();
  });

  it("runs again without waiting while a pass says work is left", async () => {
    const source = newsSource();
    let passes = 0;
    const loop = new SerialPass(async () => ({ more: (passes += 1) < 3 }), () => undefined);
    loop.every(HOUR, { news: source.news, again: (result) => result.more });
    await settled(() => source.waiting === 1);
    source.release();
    // three passes from one notice: the first two left work; then it waits for news
    await settled(() => passes === 3 && source.waiting === 1);
    await loop.stop();
    expect(passes).toBe(3);
  });

  it("a failed pass is reported and the loop goes on", async () => {
    const source = newsSource();
    const errors: unknown[] = [];
    let passes = 0;
    const loop = new SerialPass(async () => {
      passes += 1;
      if (passes === 1) throw new Error("database away");
    }, (error) => errors.push(error));
    loop.every(HOUR, { news: source.news });
    await settled(() => source.waiting === 1);
    source.release();
    await settled(() => errors.length === 1 && source.waiting === 1);
    source.release();
    await settled(() => passes === 2);
    expect(errors).toEqual([new Error("database away")]);
    await loop.stop();
  });

  it("stop() ends the pause (the pause is handed the halting signal) and no pass runs after it", async () => {
    let halted: AbortSignal | null = null;
    let passes = 0;
    const loop = new SerialPass(async () => (passes += 1), () => undefined);
    loop.every(HOUR, {
      news: (_timeoutMs, signal) =>
        new Promise<void>((resolve) => {
          halted = signal;
          signal.addEventListener("abort", () => resolve(), { once: true });
        }),
    });
    await settled(() => halted !== null);
    expect(halted!.aborted).toBe(false);
    await loop.stop();
    expect(halted!.aborted).toBe(true);
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(passes).toBe(0);
  });
});
