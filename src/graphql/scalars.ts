// Money is exact: a decimal serialised as a string ("1234.50"); dates are ISO 8601.
import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { Prisma } from "../db/generated/client.js";

const { Decimal } = Prisma;
type Decimal = Prisma.Decimal;

// Every amount column is NUMERIC(14, 2): twelve digits before the point, two after.
const MONEY_PATTERN = /^-?\d{1,12}(\.\d{1,2})?$/;

/** Whether a text is an amount every amount column can hold (GraphQL and CSV alike). */
export function isMoneyText(text: string, allowNegative = true): boolean {
  return MONEY_PATTERN.test(text) && (allowNegative || !text.startsWith("-"));
}

function parseMoney(value: unknown): Decimal {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !isMoneyText(text)) {
    throw new GraphQLError("Money must be a decimal string with at most 12 digits before the point and 2 after, e.g. \"1234.50\"", {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return new Decimal(text);
}

export const MoneyScalar = new GraphQLScalarType({
  name: "Money",
  description: 'An exact amount in EUR, serialised as a decimal string with two decimals ("1234.50").',
  serialize: (value) => new Decimal(value as string | number).toFixed(2),
  parseValue: parseMoney,
  parseLiteral: (ast) => parseMoney(ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? ast.value : null),
});

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Years a date may carry: what PostgreSQL, JavaScript and ISO 8601's four-digit years all represent. */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

function inYearRange(date: Date, scalar: string): Date {
  const year = date.getUTCFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new GraphQLError(`${scalar} must lie between the years ${MIN_YEAR} and ${MAX_YEAR}`, { extensions: { code: "BAD_USER_INPUT" } });
  }
  return date;
}

function parseDate(value: unknown): Date {
  if (typeof value !== "string" || !DATE_PATTERN.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new GraphQLError("Date must be an ISO 8601 calendar date, e.g. \"2026-03-31\"", { extensions: { code: "BAD_USER_INPUT" } });
  }
  const date = new Date(`${value}T00:00:00Z`);
  if (date.toISOString().slice(0, 10) !== value) {
    throw new GraphQLError(`"${value}" is not a calendar date`, { extensions: { code: "BAD_USER_INPUT" } });
  }
  return inYearRange(date, "Date");
}

export const DateScalar = new GraphQLScalarType({
  name: "Date",
  description: "An ISO 8601 calendar date (YYYY-MM-DD), in UTC.",
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString().slice(0, 10),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === "string" ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value as string)) {
    throw new GraphQLError("DateTime must be an ISO 8601 timestamp, e.g. \"2026-03-31T09:30:00Z\"", {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return inYearRange(date, "DateTime");
}

export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  description: "An ISO 8601 timestamp in UTC.",
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : null),
});
