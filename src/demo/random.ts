import { randomUUID } from "node:crypto";

/** A small seeded PRNG (mulberry32): the demo company and the generator are the same on every run. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /**
   * A random id (crypto.randomUUID): ids must not be guessable, nor the same on every fresh database.
   * It still draws from the stream what the former deterministic id drew, so that the rest of the demo
   * data (names, amounts, dates) stays what it was.
   */
  uuid(): string {
    for (let draw = 0; draw < 33; draw++) this.next();
    return randomUUID();
  }
}
