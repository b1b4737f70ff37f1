// One source per kind of event on an organisation's timeline. A later module adds a file under sources/
// and one line in sources/index.ts; nothing else switches on kinds.
//
// Every source is a branch of the timeline's ONE statement: its SELECT for one organisation becomes a branch
// of a UNION ALL, run LATERAL for every organisation of the request (a list of organisations asking for their
// timelines is one statement, not one per organisation), each with its own ORDER BY at DESC, id DESC, LIMIT
// and the (at, id) cursor.
//
// What a viewer gets follows the entity the entries come from, on both axes: its read rules (`shows`: the
// kind is shown only if the viewer may read those fields of the entity) and its row scope (`rows`: only the
// rows the viewer could fetch through the entity itself, `ctx.scope`). The organisation itself was already
// in scope, or the timeline field would not have resolved.
import { Prisma } from "../../db/generated/client.js";
import type { ScopedEntity } from "../../auth/scope/request-scope.js";

export interface TimelineCursor {
  at: Date;
  id: string;
}

export interface TimelineEntry {
  /** database id of the row the entry comes from (unique across sources: uuids) */
  id: string;
  organisationId: string;
  kind: string;
  at: Date;
  title: string;
  summary: string | null;
  actorId: string | null;
  /** the related object, as a Node type name and database id */
  subjectType: string;
  subjectId: string;
}

export interface TimelineSource<R extends TimelineRow = TimelineRow> {
  kinds: readonly string[];
  /** the entity fields an entry is drawn from: the kind is shown only to who may read all of them */
  shows: { type: string; fields: readonly string[] };
  /** the entity whose row scope the source's rows follow, and the alias its SELECT gives that table; null
   * for entries that follow their organisation's scope alone (notes) */
  rows: { entity: ScopedEntity; alias: string } | null;
  /** column expressions of the entry's time and id, for the cursor condition */
  at: string;
  id: string;
  /** at most `limit` rows of one organisation, newest first (`ORDER BY at DESC, id DESC`), selecting `id`
   * (text) and `at_ms` (see epochMs) plus its own columns; `filter` (the cursor and the row scope, each
   * starting with AND) is appended to its WHERE */
  select(organisationId: Prisma.Sql, filter: Prisma.Sql, limit: Prisma.Sql): Prisma.Sql;
  toEntry(row: Omit<R, "at_ms"> & { at: Date }): TimelineEntry;
}

/** Declares a source with its own row type (rows arrive as JSON objects of the selected columns). */
export const timelineSource = <R extends TimelineRow>(source: TimelineSource<R>): TimelineSource => source as unknown as TimelineSource;

/** Entries strictly before the cursor, in a source's own columns. Stored timestamps are UTC wall-clock
 * times without zone: the cursor is compared the same way. */
export function cursorCondition(at: string, id: string, before: TimelineCursor | null): Prisma.Sql {
  return before
    ? Prisma.sql`AND (${Prisma.raw(at)} < ${before.at.toISOString()}::timestamp OR (${Prisma.raw(at)} = ${before.at.toISOString()}::timestamp AND ${Prisma.raw(id)} < ${before.id}::uuid))`
    : Prisma.empty;
}

/** What every source's SQL returns, plus its own columns. */
export interface TimelineRow {
  id: string;
  organisation_id: string;
  at_ms: number;
}

/** `at` as milliseconds since the epoch (UTC), whatever the column type. */
export const epochMs = (column: string) => Prisma.raw(`(extract(epoch from ${column}::timestamp) * 1000)::float8 AS at_ms`);

export const shorten = (text: string | null | undefined, max = 200): string | null =>
  text == null ? null : text.length > max ? `${text.slice(0, max - 1)}…` : text;
