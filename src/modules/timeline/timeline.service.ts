// The organisation timeline: ONE statement for every organisation asking in the request (through a
// loader): per organisation (LATERAL), each visible source's newest first+1 entries before the cursor,
// UNION ALL, cut to first+1 newest; then merge-sorted newest first in memory and cut to the page.
import DataLoader from "dataloader";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import type { RequestScope } from "../../auth/scope/request-scope.js";
import { badInput } from "../../errors/api-errors.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, toGlobalId } from "../../graphql/relay.js";
import { UUID } from "../../db/uuid.js";
import { Prisma } from "../../db/generated/client.js";
import { TIMELINE_SOURCES } from "./sources/index.js";
import { cursorCondition, type TimelineCursor, type TimelineEntry, type TimelineRow, type TimelineSource } from "./timeline.source.js";

export const timelineCursorOf = (entry: TimelineEntry): string => Buffer.from(`t:${entry.at.toISOString()}|${entry.id}`).toString("base64url");

function readCursor(after: string | null | undefined): TimelineCursor | null {
  if (after == null) return null;
  const decoded = Buffer.from(after, "base64url").toString("utf8");
  const [at, id] = decoded.startsWith("t:") ? decoded.slice(2).split("|") : [];
  const date = at ? new Date(at) : null;
  if (!date || Number.isNaN(date.getTime()) || !id || !UUID.test(id)) throw badInput("after is not a cursor of this timeline", { argument: "after" });
  return { at: date, id };
}

/** Newest first; ties broken by id, the same order every source's query uses. */
const newerFirst = (a: TimelineEntry, b: TimelineEntry) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

interface TimelineKey {
  organisationId: string;
  take: number;
  cursor: TimelineCursor | null;
}

interface UnionRow {
  organisation_id: string;
  source: number;
  row: Omit<TimelineRow, "organisation_id">;
}

/** Every union source's entries for these organisations in one statement (ties by id, as JS sorts them). */
async function unionEntries(ctx: RequestContext, scope: RequestScope, sources: TimelineSource[], organisationIds: string[], take: number, cursor: TimelineCursor | null): Promise<TimelineEntry[]> {
  if (!sources.length || !organisationIds.length || take === 0) return [];
  const filterOf = (source: TimelineSource) => {
    const rows = source.rows ? Prisma.sql`AND ${scope.sql[source.rows.entity](source.rows.alias)}` : Prisma.empty;
    return Prisma.sql`${cursorCondition(source.at, source.id, cursor)} ${rows}`;
  };
  const branches = sources.map(
    (source, index) => Prisma.sql`(SELECT ${index}::int AS source, b.at_ms, b.id, to_jsonb(b) AS row
      FROM (${source.select(Prisma.sql`o.id`, filterOf(source), Prisma.sql`LIMIT ${take}`)}) b)`,
  );
  const rows = await ctx.db.$queryRaw<UnionRow[]>`
    SELECT o.id::text AS organisation_id, x.source, x.row
    FROM unnest(string_to_array(${organisationIds.join(",")}, ',')::uuid[]) AS o(id)
    CROSS JOIN LATERAL (SELECT * FROM (${Prisma.join(branches, " UNION ALL ")}) u ORDER BY u.at_ms DESC, u.id COLLATE "C" DESC LIMIT ${take}) x`;
  return rows.map(({ organisation_id, source, row: { at_ms, ...row } }) =>
    sources[source]!.toEntry({ ...row, organisation_id, at: new Date(Number(at_ms)) }),
  );
}

/** Entries (first+1 per organisation) for every organisation of the request that asks with the same page arguments. */
const timelineEntries = (ctx: RequestContext) =>
  new DataLoader<TimelineKey, TimelineEntry[], string>(
    async (keys) => {
      const groups = new Map<string, TimelineKey[]>();
      for (const key of keys) {
        const group = `${key.take}|${key.cursor?.at.toISOString() ?? ""}|${key.cursor?.id ?? ""}`;
        groups.set(group, [...(groups.get(group) ?? []), key]);
      }
      const byKey = new Map<TimelineKey, TimelineEntry[]>();
      const { viewer, scope } = ctx;
      if (!viewer || !scope) return keys.map(() => []);
      const sources = TIMELINE_SOURCES.filter((source) => ctx.readPolicy.mayRead(viewer, source.shows.type, source.shows.fields));
      for (const group of groups.values()) {
        const { take, cursor } = group[0]!;
        const ids = [...new Set(group.map((key) => key.organisationId))];
        const byOrganisation = new Map<string, TimelineEntry[]>();
        for (const entry of await unionEntries(ctx, scope, sources, ids, take, cursor)) byOrganisation.set(entry.organisationId, [...(byOrganisation.get(entry.organisationId) ?? []), entry]);
        for (const key of group) byKey.set(key, (byOrganisation.get(key.organisationId) ?? []).sort(newerFirst));
      }
      return keys.map((key) => byKey.get(key) ?? []);
    },
    { cacheKeyFn: (key) => `${key.organisationId}|${key.take}|${key.cursor?.at.toISOString() ?? ""}|${key.cursor?.id ?? ""}` },
  );

export async function organisationTimeline(ctx: AuthedContext, organisationId: string, first: number | null | undefined, after: string | null | undefined) {
  const take = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(take) || take < 0 || take > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: "first", max: MAX_PAGE_SIZE });
  }
  const cursor = readCursor(after);
  const merged = await ctx.loaders.get(timelineEntries).load({ organisationId, take: take + 1, cursor });
  const page = merged.slice(0, take);
  const edges = page.map((entry) => ({
    cursor: timelineCursorOf(entry),
    node: { ...entry, subjectId: toGlobalId(entry.subjectType, entry.subjectId) },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: merged.length > take,
      hasPreviousPage: cursor !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
