// One source per kind of event on an organisation's timeline. A later module adds a file under sources/
// and one line in sources/index.ts; nothing else switches on kinds.
//
// A source reads the newest entries of MANY organisations at once (a list of organisations asking for
// their timelines is one query per source, not one per organisation): a LATERAL join per organisation id,
// each with its own ORDER BY at DESC, id DESC LIMIT take and the (at, id) cursor.
import { hasScope, type Viewer } from "../../auth/viewer.js";
import { Prisma } from "../../db/generated/client.js";
import type { RequestContext } from "../../graphql/context.js";

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

interface SourceVisibility {
  kinds: readonly string[];
  /** whether this viewer may see these entries at all (the organisations themselves are already in scope) */
  visibleTo(viewer: Viewer): boolean;
}

/**
 * A source read inside the timeline's ONE statement: its SELECT for one organisation becomes a branch of a
 * UNION ALL, run LATERAL for every organisation of the request (see timeline.service.ts).
 */
export interface UnionTimelineSource<R extends TimelineRow = TimelineRow> extends SourceVisibility {
  /** column expressions of the entry's time and id, for the cursor condition */
  at: string;
  id: string;
  /** at most `limit` rows of one organisation, newest first (`ORDER BY at DESC, id DESC`), selecting `id`
   * (text) and `at_ms` (see epochMs) plus its own columns; `cursor` is ANDed into its WHERE */
  select(organisationId: Prisma.Sql, cursor: Prisma.Sql, limit: Prisma.Sql): Prisma.Sql;
  toEntry(row: Omit<R, "at_ms"> & { at: Date }): TimelineEntry;
}

/** A source that runs its own query (one per source for every organisation asking in the request). */
export interface FetchTimelineSource extends SourceVisibility {
  /** for each organisation, at most `take` entries strictly before the cursor, newest first: ONE query */
  fetch(ctx: RequestContext, organisationIds: readonly string[], take: number, before: TimelineCursor | null): Promise<TimelineEntry[]>;
}

export type TimelineSource = UnionTimelineSource | FetchTimelineSource;

export const isUnionSource = (source: TimelineSource): source is UnionTimelineSource => "select" in source;

/** Declares a union source with its own row type (rows arrive as JSON objects of the selected columns). */
export const unionSource = <R extends TimelineRow>(source: UnionTimelineSource<R>): UnionTimelineSource =>
  source as unknown as UnionTimelineSource;

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

/**
 * Runs `inner` once per organisation id (LATERAL). `inner` receives the SQL for the current organisation
 * id and the cursor condition to AND into its WHERE; it must select `id`, `at_ms` and order by
 * `at DESC, id DESC` itself, with the LIMIT given.
 */
export async function perOrganisation<R extends TimelineRow>(
  ctx: RequestContext,
  organisationIds: readonly string[],
  take: number,
  at: string,
  id: string,
  before: TimelineCursor | null,
  inner: (organisationId: Prisma.Sql, cursor: Prisma.Sql, limit: Prisma.Sql) => Prisma.Sql,
): Promise<(Omit<R, "at_ms"> & { at: Date })[]> {
  if (!organisationIds.length || take === 0) return [];
  const cursor = cursorCondition(at, id, before);
  const rows = await ctx.db.$queryRaw<R[]>`
    SELECT x.*, o.id::text AS organisation_id
    FROM unnest(string_to_array(${organisationIds.join(",")}, ',')::uuid[]) AS o(id)
    CROSS JOIN LATERAL (${inner(Prisma.sql`o.id`, cursor, Prisma.sql`LIMIT ${take}`)}) x`;
  return rows.map(({ at_ms, ...row }) => ({ ...row, at: new Date(Number(at_ms)) }));
}

/** `at` as milliseconds since the epoch (UTC), whatever the column type. */
export const epochMs = (column: string) => Prisma.raw(`(extract(epoch from ${column}::timestamp) * 1000)::float8 AS at_ms`);

/** Commercial kinds: not for data stewards, services, nor partners without an opportunities scope. */
export function seesOpportunities(viewer: Viewer): boolean {
  if (viewer.kind === "REP" || viewer.kind === "MANAGER" || viewer.kind === "HEAD_OFFICE") return true;
  return viewer.kind === "PARTNER" && (hasScope(viewer, "opportunities:read") || hasScope(viewer, "opportunities:write"));
}

/** Orders (revenue) are for the sales force and head office only, never tokens or stewards. */
export const seesOrders = (viewer: Viewer): boolean => viewer.kind === "REP" || viewer.kind === "MANAGER" || viewer.kind === "HEAD_OFFICE";

export const everyoneWhoSeesTheOrganisation = (): boolean => true;

export const shorten = (text: string | null | undefined, max = 200): string | null =>
  text == null ? null : text.length > max ? `${text.slice(0, max - 1)}…` : text;
