// Who may read which field of which entity — asked by every path that shows an entity other than its own
// resolvers: the audit trail's before/after, the organisation timeline, and later feeds and exports. The
// answers come from the very graphql-shield rules that guard the entity's GraphQL type (computed once at
// start-up, src/app/read-policy.ts), so a side path can never show what the front door refuses.
import type { Viewer } from "./viewer.js";

/**
 * How a module's stored columns appear on its GraphQL type, where the name alone does not say it: column →
 * the field that carries it (`street` → `address`), or null for a column no reader ever sees (a hash, a
 * search key). Columns named like a field, or like a field plus `Id`/`Ids` (`ownerId` → `owner`), and the
 * row's bookkeeping (`id`, `createdAt`, `updatedAt`, `version` → `id`) need no entry.
 */
export type ColumnFieldMap = Record<string, Record<string, string | null>>;

/** Entity names written by the audit trail that differ from their GraphQL type (`TerritoryAssignment` → `TerritoryHolder`). */
export type EntityTypeAliases = Record<string, string>;

export interface ReadPolicy {
  /** The fields of a GraphQL object type this viewer may read (empty: the type is closed to them). */
  readableFields(viewer: Viewer | null, typeName: string): ReadonlySet<string>;
  /** Whether the viewer may read every one of these fields of the type. */
  mayRead(viewer: Viewer | null, typeName: string, fields: readonly string[]): boolean;
  /** Entity names (as the audit trail records them) of which the viewer may read at least one field. */
  readableEntities(viewer: Viewer | null): readonly string[];
  /** A stored row of an entity, keeping only the columns carried by a field the viewer may read. */
  visibleColumns(viewer: Viewer | null, entity: string, row: unknown): Record<string, unknown> | null;
  /** The GraphQL type an entity name (as the audit trail records it) is shown as. */
  typeOfEntity(entity: string): string;
  /** The GraphQL field that shows a stored column of an entity, or null when no field does. */
  fieldOfColumn(entity: string, column: string): string | null;
}

const BOOKKEEPING = new Set(["id", "createdAt", "updatedAt", "version"]);

/** The field carrying a column: an explicit entry first, then the naming conventions above; null when none. */
export function fieldCarrying(column: string, fields: ReadonlySet<string>, explicit: Record<string, string | null> | undefined): string | null {
  if (explicit && Object.hasOwn(explicit, column)) return explicit[column] ?? null;
  if (fields.has(column)) return column;
  if (column.endsWith("Id") && fields.has(column.slice(0, -2))) return column.slice(0, -2);
  if (column.endsWith("Ids") && fields.has(`${column.slice(0, -3)}s`)) return `${column.slice(0, -3)}s`;
  if (BOOKKEEPING.has(column) && fields.has("id")) return "id";
  return null;
}
