// The weighted amount of a deal: amount × probability / 100, exact decimal arithmetic, rounded half-up to
// cents. Never a JS float: 0.1 + 0.2 is not 0.3 and money must add up to the cent.
import { Prisma } from "../../db/generated/client.js";

const { Decimal } = Prisma;

export function weightedAmount(amount: Prisma.Decimal | string, probability: number): Prisma.Decimal {
  return new Decimal(amount).mul(probability).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** The same rule in SQL, for the deal of table alias `alias` (PostgreSQL rounds numeric halves away from zero: half-up for amounts ≥ 0). */
export const weightedAmountSql = (alias: string): Prisma.Sql => Prisma.sql`ROUND(${Prisma.raw(`${alias}."amount"`)} * ${Prisma.raw(`${alias}."probability"`)} / 100.0, 2)`;
