// Small helpers shared by the dashboard families: ratios, attainment, money arithmetic.
import { Prisma } from "../../db/generated/client.js";

export type Decimal = Prisma.Decimal;
export const ZERO = new Prisma.Decimal(0);

export const toDecimal = (value: Prisma.Decimal | string | number | null | undefined): Prisma.Decimal =>
  value == null ? ZERO : new Prisma.Decimal(value);

export function ratio(numerator: number, denominator: number) {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

export function againstTarget(value: Prisma.Decimal, target: Prisma.Decimal | null) {
  return {
    value,
    target,
    attainment: target && !target.isZero() ? value.div(target).toNumber() : null,
  };
}

export function countAgainstTarget(value: number, target: Prisma.Decimal | null) {
  return { value, target: target?.toNumber() ?? null, attainment: target && !target.isZero() ? value / target.toNumber() : null };
}

export const monthKey = (date: Date) => date.toISOString().slice(0, 7);
