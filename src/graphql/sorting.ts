// List orders: one or more keys, each with a direction and, on a column that may be empty, where the rows
// without a value go; the id is always the last key, so that an order is total and paging is stable.
import { registerEnumType } from "type-graphql";
import { badInput } from "../errors/api-errors.js";

export enum SortDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(SortDirection, { name: "SortDirection" });

export enum NullsOrder {
  FIRST = "FIRST",
  LAST = "LAST",
}
registerEnumType(NullsOrder, { name: "NullsOrder", description: "Where the rows without a value go in an order by a column that may be empty." });

export const prismaDirection = (direction: SortDirection | undefined): "asc" | "desc" =>
  direction === SortDirection.DESC ? "desc" : "asc";

/** Keys an `orderBy` list may hold (the id, always last, is not counted). */
export const MAX_ORDER_KEYS = 4;

export const ORDER_DOCS = {
  orderBy: `Keys in order of precedence, at most ${MAX_ORDER_KEYS} (a single key may be given without the list); the id always sorts last, so that paging is stable. A cursor only pages on in the order it was built for.`,
  nulls: "Where the rows without a value go (default: the field's own); ignored for a field every row has.",
} as const;

/**
 * One key of an order as the client gives it. The inputs declare `direction` nullable (default ASC): graphql-jit
 * does not apply the default of a non-null field of an input object inside a list variable.
 */
export interface OrderKey<F extends string> {
  field: F;
  direction?: SortDirection | null;
  nulls?: NullsOrder | null;
}

/** The column behind an order field; `nulls` for a column that may be empty: where its nulls go by default. */
export interface OrderColumn {
  column: string;
  nulls?: "database" | NullsOrder;
}

export interface ListOrder<O> {
  orderBy: O[];
  /** names the order in the list's cursors: a cursor is only valid in the order it was built for */
  signature: string;
}

/**
 * The Prisma orderBy of a list's order, and its signature. Without keys, `fallback`. A nullable column puts
 * its nulls where the key says, else where the field's default says ("database": PostgreSQL's, last when
 * ascending and first when descending).
 */
export function listOrder<F extends string, O>(
  keys: OrderKey<F> | readonly OrderKey<F>[] | null | undefined,
  columns: Readonly<Record<F, OrderColumn>>,
  fallback: OrderKey<F>,
): ListOrder<O> {
  const given = keys == null ? [] : Array.isArray(keys) ? (keys as readonly OrderKey<F>[]) : [keys as OrderKey<F>];
  if (given.length > MAX_ORDER_KEYS) throw badInput(`orderBy holds at most ${MAX_ORDER_KEYS} keys`, { argument: "orderBy", max: MAX_ORDER_KEYS });
  const fields = given.map((key) => key.field);
  if (new Set(fields).size < fields.length) throw badInput("orderBy names a field twice", { argument: "orderBy" });
  const resolved = (given.length ? given : [fallback]).map((key) => {
    const { column, nulls } = columns[key.field];
    const direction = key.direction ?? SortDirection.ASC;
    const placed = nulls === undefined ? null : (key.nulls ?? (nulls === "database" ? (direction === SortDirection.ASC ? NullsOrder.LAST : NullsOrder.FIRST) : nulls));
    return { field: key.field, column, direction, nulls: placed };
  });
  const orderBy = resolved.map(({ column, direction, nulls }) =>
    nulls ? { [column]: { sort: prismaDirection(direction), nulls: nulls === NullsOrder.FIRST ? "first" : "last" } } : { [column]: prismaDirection(direction) },
  );
  orderBy.push({ id: prismaDirection(resolved.at(-1)!.direction) });
  return {
    orderBy: orderBy as O[],
    signature: resolved.map(({ field, direction, nulls }) => [field, direction, nulls].filter(Boolean).join(".")).join(","),
  };
}
