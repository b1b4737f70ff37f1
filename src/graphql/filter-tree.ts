// Composable list filters: a filter input carries its own conditions plus AND / OR / NOT of further filters of
// the same type. One combinator for every list; each list supplies only the mapping of its own conditions.
import { ALL, and, not, or, type Condition } from "../auth/scope/condition.js";
import { badInput } from "../errors/api-errors.js";

/** AND / OR / NOT levels a filter may nest (deeper trees are refused before any statement runs). */
export const MAX_FILTER_DEPTH = 5;

/** The descriptions every composable filter input gives its type and its AND / OR / NOT fields. */
export const FILTER_DOCS = {
  type: `All given criteria must hold, together with AND (all of), OR (any of) and NOT; at most ${MAX_FILTER_DEPTH} levels of AND / OR / NOT.`,
  AND: "Every one of these filters holds.",
  OR: "At least one of these filters holds (an empty list: none).",
  NOT: "This filter does not hold.",
  updatedAfter: "Changed after this instant.",
} as const;

export interface FilterTree<F> {
  AND?: F[] | null;
  OR?: F[] | null;
  NOT?: F | null;
}

/** What every Prisma where input accepts: AND / OR / NOT of itself. */
interface BooleanWhere<W> {
  AND?: W | W[];
  OR?: W[];
  NOT?: W | W[];
}

/** How a tree's nodes combine, for each output: Prisma `where`s, or conditions (src/auth/scope/condition.ts). */
interface Combinators<T> {
  and(parts: T[]): T;
  or(parts: T[]): T;
  not(part: T): T;
}

/**
 * The where fragments (to be AND-ed) of a filter tree: the node's own conditions (`conditions`), AND-ed with
 * its AND list, its OR list and its NOT. The caller AND-s the viewer's scope outside the result, so no
 * expression can widen it.
 *
 * Conditions must be true or false, never SQL's unknown: one on a nullable column adds `not: null`
 * (`{ dueDate: { lte: day, not: null } }`), so that NOT of it keeps the rows that have no value.
 */
export function filterTreeWhere<F extends FilterTree<F>, W extends BooleanWhere<W>>(filter: F | null | undefined, conditions: (node: F) => W[]): W[] {
  const prisma: Combinators<W> = { and: (parts) => ({ AND: parts }) as W, or: (parts) => ({ OR: parts }) as W, not: (part) => ({ NOT: part }) as W };
  return filter ? foldNode(filter, conditions, prisma, 0) : [];
}

/**
 * A filter tree as one condition, for the lists whose filter also runs as SQL (the aggregates): the same
 * tree read as a Prisma `where` (`toWhere`) by the list and as SQL (`toSql`) by the aggregate.
 */
export function filterTreeCondition<F extends FilterTree<F>>(filter: F | null | undefined, conditions: (node: F) => Condition[]): Condition {
  const algebra: Combinators<Condition> = { and: (parts) => and(...parts), or: (parts) => or(...parts), not };
  return filter ? and(...foldNode(filter, conditions, algebra, 0)) : ALL;
}

/** Whether some node of a filter tree satisfies `test` (for conditions that need data loaded beforehand). */
export function someFilterNode<F extends FilterTree<F>>(filter: F | null | undefined, test: (node: F) => boolean): boolean {
  if (!filter) return false;
  return test(filter) || [...(filter.AND ?? []), ...(filter.OR ?? []), ...(filter.NOT ? [filter.NOT] : [])].some((sub) => someFilterNode(sub, test));
}

function foldNode<F extends FilterTree<F>, T>(node: F, conditions: (node: F) => T[], combine: Combinators<T>, depth: number): T[] {
  const combined = node.AND || node.OR || node.NOT;
  if (combined && depth >= MAX_FILTER_DEPTH) throw badInput(`A filter may nest at most ${MAX_FILTER_DEPTH} levels of AND / OR / NOT`, { maxFilterDepth: MAX_FILTER_DEPTH });
  const child = (sub: F): T => combine.and(foldNode(sub, conditions, combine, depth + 1));
  const parts = conditions(node);
  if (node.AND) parts.push(...node.AND.map(child));
  // An empty OR matches nothing, as in logic (and in Prisma).
  if (node.OR) parts.push(combine.or(node.OR.map(child)));
  if (node.NOT) parts.push(combine.not(child(node.NOT)));
  return parts;
}
