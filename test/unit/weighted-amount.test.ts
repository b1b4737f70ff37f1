// weightedAmount is exact: compared with an independent computation in integer cents (BigInt), for
// amounts from 0.01 to 1 234 567.89 and every probability 0–100.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { weightedAmount } from "../../src/modules/pipeline/weighted-amount.js";

/** amount in cents × probability / 100, rounded half-up, as "units.cc" — integers only. */
function byCents(cents: bigint, probability: number): string {
  const scaled = cents * BigInt(probability); // in 1/100 of a cent
  const rounded = (scaled + 50n) / 100n; // half-up (everything is non-negative)
  return `${rounded / 100n}.${String(rounded % 100n).padStart(2, "0")}`;
}

const asAmount = (cents: bigint) => `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;

describe("weightedAmount", () => {
  it("matches the integer-cents computation for any amount 0.01 … 1 234 567.89 and probability 0–100", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 123_456_789n }), fc.integer({ min: 0, max: 100 }), (cents, probability) => {
        expect(weightedAmount(asAmount(cents), probability).toFixed(2)).toBe(byCents(cents, probability));
      }),
      { numRuns: 5000 },
    );
  });

  it("known values, including the half-cent cases", () => {
    expect(weightedAmount("0.01", 50).toFixed(2)).toBe("0.01"); // 0.005 → 0.01
    expect(weightedAmount("0.01", 49).toFixed(2)).toBe("0.00");
    expect(weightedAmount("1234567.89", 100).toFixed(2)).toBe("1234567.89");
    expect(weightedAmount("1234567.89", 33).toFixed(2)).toBe("407407.40"); // 407 407.4037
    expect(weightedAmount("0.10", 25).toFixed(2)).toBe("0.03"); // 0.025 → 0.03 where a float gives 0.02
    expect(weightedAmount("1234567.89", 0).toFixed(2)).toBe("0.00");
  });
});
