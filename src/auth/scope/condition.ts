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
  | { op: "through"; relation: Relation; where: Condition };

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
  }
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
      default:
        return;
    }
  };
  walk(condition);
  return [...columns];
}
