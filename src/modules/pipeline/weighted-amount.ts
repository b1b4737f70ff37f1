// The weighted amount of a deal: amount × probability / 100, exact decimal arithmetic, rounded half-up to
// cents. Never a JS float: 0.1 + 0.2 is not 0.3 and money must add up to the cent.
import { Prisma } from "../../db/generated/client.js";

const { Decimal } = Prisma;

export function weightedAmount(amount: Prisma.Decimal | string, probability: number): Prisma.Decimal {
  return new Decimal(amount).mul(probability).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}
