// A row-level condition written once and read two ways: as a Prisma `where` (services, loaders) and as a
// parameterised SQL fragment for a table alias (dashboards, timeline, visit plan, feeds). Every scope of
// src/auth/scope/entities.ts is built from these few operators, so the two outputs cannot drift apart.
import { Prisma } from "../../db/generated/client.js";

/** A table a condition reaches from the row it is about, by one column on each side. */
export interface Relation {
  /** the relation field of the Prisma model */
  field: string;
  /** a list relation (Prisma `some`) or a to-one relation */
  cardinality: "many" | "one";
  table: string;
  /** column of the row the condition is about */
  from: string;
  /** column of the related table */
  to: string;
}

/** A day, or (SQL only) an expression of the outer query, e.g. the date of the fact a dashboard credits. */
export type Day = Date | Prisma.Sql;

export type Condition =
  | { op: "all" }
  | { op: "none" }
  | { op: "is"; column: string; value: string | null; type: "uuid" | "text" }
  | { op: "notNull"; column: string }
  | { op: "in"; column: string; values: readonly string[] }
  | { op: "inForce"; day: Day }
  | { op: "notEndedBy"; day: Day }
  | { op: "inForceDuring"; first: Date; last: Date }
  | { op: "notStartedBy"; day: Day }
  | { op: "endedBy"; day: Day }
  | { op: "and"; of: Condition[] }
  | { op: "or"; of: Condition[] }
  | { op: "not"; of: Condition }
  | { op: "through"; relation: Relation; where: Condition }
  // the list filters' conditions (a column compared with a client's value)
  | { op: "compare"; column: string; cmp: Comparison; value: Scalar; nullable: boolean }
  | { op: "oneOf"; column: string; values: readonly string[]; nullable: boolean }
  | { op: "contains"; column: string; text: string; nullable: boolean }
  | { op: "startsWith"; column: string; text: string; nullable: boolean }
  | { op: "json"; column: string; key: string; test: JsonTest };

export type Comparison = "lt" | "lte" | "gt" | "gte" | "equals";

/** A client's value: a number, a text, an instant (timestamp column) or a day (date column, `{ day }`). */
export type Scalar = number | string | Date | { day: Date };

/** A test of one key of a jsonb object column (custom fields): the key holds a value, holds none, holds this
 * scalar, holds a list with this item, or a value compared with this one (numbers; dates as ISO text). */
export type JsonTest =
  | { has: "value" }
  | { has: "none" }
  | { equals: string | number | boolean }
  | { includes: string }
  | { cmp: "gte" | "lte"; value: string | number };

export const ALL: Condition = { op: "all" };
export const NONE: Condition = { op: "none" };

/** A uuid column equal to an id (or IS NULL). */
export const idIs = (column: string, value: string | null): Condition => ({ op: "is", column, value, type: "uuid" });
/** A text column equal to a value (or IS NULL): token jtis. */
export const textIs = (column: string, value: string | null): Condition => ({ op: "is", column, value, type: "text" });
export const notNull = (column: string): Condition => ({ op: "notNull", column });
/** A column IS NULL, whatever its type. */
export const isNull = (column: string): Condition => ({ op: "is", column, value: null, type: "text" });
/** A uuid column among ids; no id: nothing. */
export const idIn = (column: string, values: readonly string[]): Condition => (values.length ? { op: "in", column, values } : NONE);

/**
 * THE "in force on a day" predicate of every effective-dated row (assignments, memberships, holdings, rules):
 * validFrom ≤ day < validTo, validTo null meaning open-ended. Nothing else writes this comparison; its
 * outputs are the Prisma `where`, the SQL (`toSql`, `toSqlText`) and `isInForce` for rows in memory.
 */
export const inForce = (day: Day): Condition => ({ op: "inForce", day });

/** The Prisma shape of `inForce(day)`, which fits every effective-dated model. */
export type InForceWhere = { validFrom: { lte: Date }; OR: ({ validTo: null } | { validTo: { gt: Date } })[] };

/** Rows not ended by the day: in force on it or later (validTo null or after the day). */
export const notEndedBy = (day: Day): Condition => ({ op: "notEndedBy", day });

/** Rows in force on at least one day of [first, last]. */
export const inForceDuring = (first: Date, last: Date): Condition => ({ op: "inForceDuring", first, last });

/** Rows whose window has not begun on the day (scheduled: validFrom after the day). */
export const notStartedBy = (day: Day): Condition => ({ op: "notStartedBy", day });

/** Rows whose window is over on the day (validTo on or before it). */
export const endedBy = (day: Day): Condition => ({ op: "endedBy", day });

/** Where a row in memory stands on a day: before its window, in force, or after it. */
export function phaseOn(row: { validFrom: Date; validTo: Date | null }, day: Date): "scheduled" | "inForce" | "ended" {
  if (row.validTo !== null && row.validTo.getTime() <= day.getTime()) return "ended";
  return row.validFrom.getTime() > day.getTime() ? "scheduled" : "inForce";
}

/** `inForce` for a row already in memory. */
export const isInForce = (row: { validFrom: Date; validTo: Date | null }, day: Date): boolean => phaseOn(row, day) === "inForce";

export function and(...of: Condition[]): Condition {
  if (of.some((c) => c.op === "none")) return NONE;
  const kept = of.filter((c) => c.op !== "all");
  return kept.length === 0 ? ALL : kept.length === 1 ? kept[0]! : { op: "and", of: kept };
}

export function or(...of: Condition[]): Condition {
  if (of.some((c) => c.op === "all")) return ALL;
  const kept = of.filter((c) => c.op !== "none");
  return kept.length === 0 ? NONE : kept.length === 1 ? kept[0]! : { op: "or", of: kept };
}

/** Not `of`; `of` is two-valued in both outputs (a NULL column makes it false, never unknown). */
export const not = (of: Condition): Condition => (of.op === "all" ? NONE : of.op === "none" ? ALL : { op: "not", of });

/**
 * The comparisons below are false when the column is NULL. Prisma refuses a NULL test on a required column,
 * so a nullable one says so (`NULLABLE`): its Prisma form adds `not: null`, which keeps NOT of it two-valued.
 */
export const NULLABLE = { nullable: true } as const;
type Nullability = { nullable?: boolean };

/** A column compared with a value. */
export const compare = (column: string, cmp: Comparison, value: Scalar, { nullable = false }: Nullability = {}): Condition => ({ op: "compare", column, cmp, value, nullable });
/** An enum or text column among values; no value: nothing. */
export const oneOf = (column: string, values: readonly string[], { nullable = false }: Nullability = {}): Condition =>
  values.length ? { op: "oneOf", column, values, nullable } : NONE;
/** A text column holding this text (literally, case as given). */
export const contains = (column: string, text: string, { nullable = false }: Nullability = {}): Condition => ({ op: "contains", column, text, nullable });
/** A text column starting with this text. */
export const startsWith = (column: string, text: string, { nullable = false }: Nullability = {}): Condition => ({ op: "startsWith", column, text, nullable });
/** A test of one key of a jsonb object column. */
export const jsonKey = (column: string, key: string, test: JsonTest): Condition => ({ op: "json", column, key, test });

/** The related row(s) satisfy `where` (for a list relation: at least one). */
export const through = (relation: Relation, where: Condition): Condition => (where.op === "none" ? NONE : { op: "through", relation, where });

// ---------------------------------------------------------------------------------------------------
// Output 1: a Prisma `where`
// ---------------------------------------------------------------------------------------------------

type Where = Record<string, unknown>;

const NOTHING_WHERE: Where = { id: { in: [] } };

/** The condition as a Prisma `where` for the model it is about (the caller states which: `toWhere<Prisma.XWhereInput>`). */
export function toWhere<W = Where>(condition: Condition): W {
  return prismaWhere(condition) as W;
}

function prismaWhere(c: Condition): Where {
  switch (c.op) {
    case "all":
      return {};
    case "none":
      return NOTHING_WHERE;
    case "is":
      return { [c.column]: c.value };
    case "notNull":
      return { [c.column]: { not: null } };
    case "in":
      return { [c.column]: { in: [...c.values] } };
    case "inForce":
      if (!(c.day instanceof Date)) throw new Error("inForce on an SQL expression has no Prisma form");
      return { validFrom: { lte: c.day }, OR: [{ validTo: null }, { validTo: { gt: c.day } }] };
    case "notEndedBy":
      if (!(c.day instanceof Date)) throw new Error("notEndedBy on an SQL expression has no Prisma form");
      return { OR: [{ validTo: null }, { validTo: { gt: c.day } }] };
    case "inForceDuring":
      return { validFrom: { lte: c.last }, OR: [{ validTo: null }, { validTo: { gt: c.first } }] };
    case "notStartedBy":
      if (!(c.day instanceof Date)) throw new Error("notStartedBy on an SQL expression has no Prisma form");
      return { validFrom: { gt: c.day } };
    case "endedBy":
      if (!(c.day instanceof Date)) throw new Error("endedBy on an SQL expression has no Prisma form");
      return { validTo: { lte: c.day } };
    case "and":
      return { AND: c.of.map(prismaWhere) };
    case "or":
      return { OR: c.of.map(prismaWhere) };
    case "through":
      return { [c.relation.field]: c.relation.cardinality === "many" ? { some: prismaWhere(c.where) } : prismaWhere(c.where) };
    case "not":
      return { NOT: prismaWhere(c.of) };
    case "compare":
      return { [c.column]: { [c.cmp]: scalarValue(c.value), ...notNullIf(c.nullable) } };
    case "oneOf":
      return { [c.column]: { in: [...c.values], ...notNullIf(c.nullable) } };
    case "contains":
      return { [c.column]: { contains: c.text, ...notNullIf(c.nullable) } };
    case "startsWith":
      return { [c.column]: { startsWith: c.text, ...notNullIf(c.nullable) } };
    case "json":
      return { [c.column]: jsonWhere(c.key, c.test) };
  }
}

const notNullIf = (nullable: boolean) => (nullable ? { not: null } : {});

const scalarValue = (value: Scalar): number | string | Date => (typeof value === "object" && !(value instanceof Date) ? value.day : value);

function jsonWhere(key: string, test: JsonTest): Where {
  const path = [key];
  if ("has" in test) return test.has === "value" ? { path, not: Prisma.AnyNull } : { path, equals: Prisma.AnyNull };
  if ("equals" in test) return { path, equals: test.equals };
  if ("includes" in test) return { path, array_contains: [test.includes] };
  return { path, [test.cmp]: test.value };
}

// ---------------------------------------------------------------------------------------------------
// Output 2: SQL for a table alias
// ---------------------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A quoted column of an alias; identifiers come from our own code, checked anyway. */
function column(alias: string, name: string): Prisma.Sql {
  if (!IDENTIFIER.test(alias) || !IDENTIFIER.test(name)) throw new Error(`not an identifier: ${alias}.${name}`);
  return Prisma.raw(`${alias}."${name}"`);
}

const dayValue = (day: Day): Prisma.Sql => (day instanceof Date ? Prisma.sql`${day}::date` : day);

/** The condition as SQL about the row of table alias `alias` (a boolean expression, parenthesised). */
export function toSql(condition: Condition, alias: string): Prisma.Sql {
  let next = 0;
  const fresh = () => `sc${(next += 1)}`;
  const sql = (c: Condition, a: string): Prisma.Sql => {
    switch (c.op) {
      case "all":
        return Prisma.sql`TRUE`;
      case "none":
        return Prisma.sql`FALSE`;
      case "is":
        if (c.value === null) return Prisma.sql`${column(a, c.column)} IS NULL`;
        return c.type === "uuid" ? Prisma.sql`${column(a, c.column)} = ${c.value}::uuid` : Prisma.sql`${column(a, c.column)} = ${c.value}`;
      case "notNull":
        return Prisma.sql`${column(a, c.column)} IS NOT NULL`;
      case "in":
        return Prisma.sql`${column(a, c.column)} = ANY(${[...c.values]}::uuid[])`;
      case "inForce": {
        const day = dayValue(c.day);
        return Prisma.sql`(${column(a, "validFrom")} <= ${day} AND (${column(a, "validTo")} IS NULL OR ${column(a, "validTo")} > ${day}))`;
      }
      case "notEndedBy":
        return Prisma.sql`(${column(a, "validTo")} IS NULL OR ${column(a, "validTo")} > ${dayValue(c.day)})`;
      case "notStartedBy":
        return Prisma.sql`${column(a, "validFrom")} > ${dayValue(c.day)}`;
      case "endedBy":
        return Prisma.sql`${column(a, "validTo")} <= ${dayValue(c.day)}`;
      case "inForceDuring":
        return Prisma.sql`(${column(a, "validFrom")} <= ${dayValue(c.last)} AND (${column(a, "validTo")} IS NULL OR ${column(a, "validTo")} > ${dayValue(c.first)}))`;
      case "and":
        return Prisma.sql`(${Prisma.join(c.of.map((x) => sql(x, a)), " AND ")})`;
      case "or":
        return Prisma.sql`(${Prisma.join(c.of.map((x) => sql(x, a)), " OR ")})`;
      case "not":
        // EXISTS is never NULL, and a bare NOT EXISTS is what the planner turns into an anti-join
        if (c.of.op === "through") return Prisma.sql`(NOT ${sql(c.of, a)})`;
        return Prisma.sql`(NOT COALESCE(${sql(c.of, a)}, FALSE))`;
      case "compare":
        return Prisma.sql`((${column(a, c.column)} ${Prisma.raw(SQL_COMPARISON[c.cmp])} ${sqlScalar(c.value)}) IS TRUE)`;
      case "oneOf":
        return Prisma.sql`((${column(a, c.column)})::text = ANY(${[...c.values]}::text[]) IS TRUE)`;
      case "contains":
        return Prisma.sql`(strpos(${column(a, c.column)}, ${c.text}) > 0 IS TRUE)`;
      case "startsWith":
        return Prisma.sql`(starts_with(${column(a, c.column)}, ${c.text}) IS TRUE)`;
      case "json":
        return jsonSql(column(a, c.column), c.key, c.test);
      case "through": {
        const b = fresh();
        const { relation } = c;
        if (!IDENTIFIER.test(relation.table)) throw new Error(`not a table: ${relation.table}`);
        return Prisma.sql`EXISTS (SELECT 1 FROM ${Prisma.raw(`"${relation.table}"`)} ${Prisma.raw(b)}
          WHERE ${column(b, relation.to)} = ${column(a, relation.from)} AND ${sql(c.where, b)})`;
      }
    }
  };
  return sql(condition, alias);
}

const SQL_COMPARISON: Record<Comparison, string> = { lt: "<", lte: "<=", gt: ">", gte: ">=", equals: "=" };

/** A value with its type stated: instants as UTC timestamps and days as dates, whatever the session's time zone. */
function sqlScalar(value: Scalar): Prisma.Sql {
  if (value instanceof Date) return Prisma.sql`${value.toISOString().slice(0, 23)}::timestamp`;
  if (typeof value === "object") return Prisma.sql`${value.day.toISOString().slice(0, 10)}::date`;
  return typeof value === "number" ? Prisma.sql`${value}::numeric` : Prisma.sql`${value}`;
}

/** A key of a jsonb object: containment (@>, which the column's GIN index answers) for values and items. */
function jsonSql(target: Prisma.Sql, key: string, test: JsonTest): Prisma.Sql {
  const held = Prisma.sql`COALESCE(jsonb_typeof(${target} -> ${key}) <> 'null', FALSE)`;
  if ("has" in test) return test.has === "value" ? held : Prisma.sql`(NOT ${held})`;
  if ("equals" in test) return Prisma.sql`(${target} @> jsonb_build_object(${key}::text, ${JSON.stringify(test.equals)}::jsonb))`;
  if ("includes" in test) return Prisma.sql`(${target} @> jsonb_build_object(${key}::text, jsonb_build_array(${test.includes}::text)))`;
  return Prisma.sql`(COALESCE((${target} -> ${key}) ${Prisma.raw(SQL_COMPARISON[test.cmp])} ${JSON.stringify(test.value)}::jsonb, FALSE))`;
}

/**
 * The condition as SQL text, for statements written as strings with positional parameters (the territory
 * materialisation): days must be SQL expressions (`Prisma.raw("$1::date")`), and nothing may be a value.
 */
export function toSqlText(condition: Condition, alias: string): string {
  const sql = toSql(condition, alias);
  if (sql.values.length) throw new Error("toSqlText: the condition holds values; use toSql with a tagged statement");
  return sql.text;
}

/** The columns of the row itself that a condition reads (to evaluate it on a stored image of the row). */
export function columnsRead(condition: Condition): string[] {
  const columns = new Set<string>();
  const walk = (c: Condition): void => {
    switch (c.op) {
      case "is":
      case "notNull":
      case "in":
        columns.add(c.column);
        return;
      case "inForce":
      case "notEndedBy":
      case "inForceDuring":
      case "notStartedBy":
      case "endedBy":
        columns.add("validFrom");
        columns.add("validTo");
        return;
      case "and":
      case "or":
        c.of.forEach(walk);
        return;
      case "through":
        columns.add(c.relation.from);
        return;
      case "not":
        walk(c.of);
        return;
      case "compare":
      case "oneOf":
      case "contains":
      case "startsWith":
      case "json":
        columns.add(c.column);
        return;
      default:
        return;
    }
  };
  walk(condition);
  return [...columns];
}
