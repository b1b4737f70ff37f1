// The change feed: the reader's changes in commit order, each with the record as the reader may read it now,
// or a removal when it was deleted, merged or left the reader's sight.
//
// Source: the audit trail (one record of change, written in the writing transaction). Order: the writing
// transaction's id, then the sequence — and a page only reads events of transactions older than the oldest
// one of this database still open, so a transaction that commits late is never passed over.
//
// Who sees what is decided at read time by the one scope definition (ctx.scope), twice: on the record now
// (the scope node(id) and the lists apply; the GraphQL types then apply their field rules), and on the record as it was before the
// change (its stored image, at the change's day) — a record the reader saw and no longer sees is a removal,
// one the reader never saw is nothing at all. Changes of who is in charge (territories) are events with the
// day they take effect; a reader passing that day re-evaluates the organisation and what hangs on it, so
// a scheduled change reaches each rep's copy on its date without anyone acting then.
import { columnsRead, toSql, type Condition, type Day } from "../../auth/scope/condition.js";
import { isBinned } from "../../auth/scope/entities.js";
import { Prisma } from "../../db/generated/client.js";
import { badInput, DomainError, ErrorCode } from "../../errors/api-errors.js";
import type { AuthedContext } from "../../graphql/context.js";
import type { NodeFetcher } from "../../graphql/domain-module.js";
import { toGlobalId } from "../../graphql/relay.js";
import { decodeCursor, encodeCursor, type FeedCursor } from "./change-cursor.js";
import { CHARGE_CHANGED, FEED_ENTITIES, feedEntity, type FeedEntity } from "./change-feed.catalogue.js";
import { ChangeKind, RemovalReason, type Change, type ChangePage } from "./change.type.js";

export const MAX_CHANGES_PAGE = 500;
const DAY_MS = 86_400_000;

export interface ChangesArgs {
  after: string;
  first: number;
  entities: readonly string[] | null;
  kinds: readonly ChangeKind[] | null;
}

export interface FeedSettings {
  retentionDays: number;
}

interface EventRow {
  id: string;
  entity: string;
  entity_id: string;
  action: string;
  version: number | null;
  changed_fields: string[];
  at: Date;
  txid: string;
  seq: string;
  effective_on: Date | null;
  has_before: boolean;
}

const isoDay = (day: Date) => day.toISOString().slice(0, 10);
const dayOf = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** The scope condition of a feed entity for the reader on a day. */
function conditionOf(ctx: AuthedContext, entry: FeedEntity, day: Day): Condition {
  return entry.scope === "requests" ? ctx.scope.conditions.requests() : ctx.scope.conditions[entry.scope](day);
}

/** The cursor of "now": everything committed so far is behind it (start a copy with it, then download). */
export async function currentCursor(ctx: AuthedContext): Promise<string> {
  return encodeCursor({ txid: await horizon(ctx), seq: 0n, day: isoDay(ctx.today) });
}

/**
 * Transactions of this database below this id are all finished: their events are final. The snapshot's
 * in-progress list is cluster-wide; only those of this database's sessions can still write its events, so a
 * long transaction in another database of the same server never holds this feed back. (xid8 carries the
 * epoch, backend_xid not: they are compared on the low 32 bits.)
 */
async function horizon(ctx: AuthedContext): Promise<bigint> {
  const [row] = await ctx.db.$queryRaw<{ x: string }[]>`
    WITH snapshot AS (SELECT pg_current_snapshot() AS s),
    ours AS (SELECT backend_xid::text::bigint AS xid FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL)
    SELECT coalesce(
      (SELECT min(x::text::bigint) FROM snapshot, pg_snapshot_xip(snapshot.s) x WHERE (x::text::bigint % 4294967296) IN (SELECT xid FROM ours)),
      (SELECT pg_snapshot_xmax(s)::text::bigint FROM snapshot))::text AS x`;
  return BigInt(row!.x);
}

export async function readChanges(ctx: AuthedContext, fetchers: Readonly<Record<string, NodeFetcher>>, settings: FeedSettings, args: ChangesArgs): Promise<ChangePage> {
  if (args.first < 1 || args.first > MAX_CHANGES_PAGE) throw badInput(`first must be between 1 and ${MAX_CHANGES_PAGE}`, { field: "first" });
  const unknown = (args.entities ?? []).filter((entity) => !feedEntity.has(entity));
  if (unknown.length) throw badInput(`Not carried by the change feed: ${unknown.join(", ")} (known: ${FEED_ENTITIES.map((e) => e.entity).join(", ")})`, { field: "entities" });
  const cursor = decodeCursor(args.after);
  const today = isoDay(ctx.today);
  if (dayOf(cursor.day).getTime() < ctx.today.getTime() - settings.retentionDays * DAY_MS) {
    throw badInput(`This cursor is older than the ${settings.retentionDays} days the change feed keeps: download the records again, starting from changesCursor`, {
      field: "after",
      reason: "RESYNC_REQUIRED",
    });
  }
  if (dayOf(cursor.day).getTime() > ctx.today.getTime() + DAY_MS) throw badInput("This cursor is from a later day than today", { field: "after" });
  const entities = args.entities?.length ? [...args.entities] : FEED_ENTITIES.map((e) => e.entity);
  const reader = new PageReader(ctx, fetchers, entities, args.kinds);

  // 1. Changes of charge that took effect since the reader's day (decided earlier, effective now).
  let next: FeedCursor = { ...cursor };
  if (cursor.block || cursor.day < today) {
    const until = cursor.block?.until ?? today;
    const rows = await ctx.db.$queryRaw<EventRow[]>`
      SELECT ${EVENT_COLUMNS} FROM "AuditEvent" e
       WHERE e."action" = ${CHARGE_CHANGED} AND e."effectiveOn" > ${cursor.day}::date AND e."effectiveOn" <= ${until}::date
         AND (e."txid", e."seq") <= (${cursor.txid}, ${cursor.seq}) AND e."seq" > ${cursor.block?.seq ?? 0n}
       ORDER BY e."seq" LIMIT ${args.first + 1}`;
    const page = rows.slice(0, args.first);
    await reader.add(page);
    if (rows.length > args.first) {
      next = { ...cursor, block: { until, seq: BigInt(page.at(-1)!.seq) } };
      return { changes: reader.changes(), cursor: encodeCursor(next), hasMore: true };
    }
    next = { txid: cursor.txid, seq: cursor.seq, day: until };
  }

  // 2. Events after the position, up to the horizon; a change of charge shows from its day on.
  const limit = Math.max(1, args.first - reader.eventCount);
  const finished = await horizon(ctx);
  const rows = await ctx.db.$queryRaw<EventRow[]>`
    SELECT ${EVENT_COLUMNS} FROM "AuditEvent" e
     WHERE (e."txid", e."seq") > (${next.txid}, ${next.seq}) AND e."txid" < ${finished}
       AND (e."effectiveOn" IS NULL OR e."effectiveOn" <= ${today}::date)
       AND (e."entity" = ANY(${entities}::text[]) OR e."action" = ${CHARGE_CHANGED})
     ORDER BY e."txid", e."seq" LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  await reader.add(page);
  const hasMore = rows.length > limit;
  const last = page.at(-1);
  const position = hasMore && last ? { txid: BigInt(last.txid), seq: BigInt(last.seq) } : { txid: finished, seq: 0n };
  // never behind where the reader already was (the horizon of a replica or a restarted server may lag)
  const ahead = position.txid > next.txid || (position.txid === next.txid && position.seq > next.seq);
  return { changes: reader.changes(), cursor: encodeCursor({ ...(ahead ? position : { txid: next.txid, seq: next.seq }), day: next.day }), hasMore };
}

/** The Prisma model of a feed entity (models are named like the entities). */
interface ModelReader {
  findMany(args: { where: object }): Promise<{ id: string }[]>;
}
const modelOf = (ctx: AuthedContext, entity: string): ModelReader =>
  (ctx.db as unknown as Record<string, ModelReader>)[entity.charAt(0).toLowerCase() + entity.slice(1)]!;

const EVENT_COLUMNS = Prisma.sql`e."id"::text AS id, e."entity", e."entityId" AS entity_id, e."action", e."version", e."changedFields" AS changed_fields,
  e."at", e."txid"::text AS txid, e."seq"::text AS seq, e."effectiveOn" AS effective_on, (e."before" IS NOT NULL) AS has_before`;

/** Turns a page of events into the reader's changes, with a bounded number of statements per entity. */
class PageReader {
  private readonly items: { event: EventRow; entity: string; id: string; visibleBefore: boolean; eventAt: Date; changedFields: string[] }[] = [];
  eventCount = 0;

  constructor(
    private readonly ctx: AuthedContext,
    private readonly fetchers: Readonly<Record<string, NodeFetcher>>,
    private readonly entities: readonly string[],
    private readonly kinds: readonly ChangeKind[] | null,
  ) {}

  private results: Change[] = [];

  changes(): Change[] {
    return this.results;
  }

  async add(events: EventRow[]): Promise<void> {
    this.eventCount += events.length;
    this.items.length = 0;
    const charges = events.filter((e) => e.action === CHARGE_CHANGED && e.entity === "Organisation");
    const rows = events.filter((e) => e.action !== CHARGE_CHANGED && this.entities.includes(e.entity) && feedEntity.has(e.entity));
    const seenBefore = await this.visibleBefore(rows);
    for (const event of rows) {
      this.items.push({
        event,
        entity: event.entity,
        id: event.entity_id,
        visibleBefore: seenBefore.has(event.id),
        eventAt: event.at,
        changedFields: this.readableFields(event.entity, event.changed_fields),
      });
    }
    await this.addChargeChanges(charges);
    this.results.push(...(await this.resolve()));
  }

  /** Events whose record, as stored before the change, was in the reader's scope on the change's day. */
  private async visibleBefore(events: EventRow[]): Promise<Set<string>> {
    const seen = new Set<string>();
    const byEntity = new Map<string, string[]>();
    for (const event of events) if (event.has_before) byEntity.set(event.entity, [...(byEntity.get(event.entity) ?? []), event.id]);
    for (const [entity, ids] of byEntity) {
      const entry = feedEntity.get(entity)!;
      const condition = conditionOf(this.ctx, entry, Prisma.sql`(e."at")::date`);
      // the image reduced to the columns the condition reads (picked by name: cheaper than walking every
      // stored field), typed as the table's row
      const columns = columnsRead(condition).map((column) => Prisma.sql`${column}::text, e."before"->${column}::text`);
      const image = columns.length ? Prisma.sql`jsonb_build_object(${Prisma.join(columns, ", ")})` : Prisma.sql`'{}'::jsonb`;
      // the page's events first (materialised): otherwise the planner may build the image of every event
      const found = await this.ctx.db.$queryRaw<{ id: string }[]>`
        WITH page AS MATERIALIZED (
          SELECT e."id", e."at", CASE WHEN jsonb_typeof(e."before") = 'object' THEN e."before" ELSE '{}'::jsonb END AS "before"
            FROM "AuditEvent" e WHERE e."id" = ANY(${ids}::uuid[]))
        SELECT e."id"::text AS id FROM page e
         CROSS JOIN LATERAL jsonb_populate_record(NULL::${Prisma.raw(`"${entry.entity}"`)}, ${image}) AS x
         WHERE ${toSql(condition, "x")}`;
      for (const row of found) seen.add(row.id);
    }
    return seen;
  }

  /**
   * A change of charge on day D: the organisation and the records a copy holds with it, each compared
   * between the day before D and now — gained, lost, or (for the organisation) still seen with a new rep.
   */
  private async addChargeChanges(events: EventRow[]): Promise<void> {
    const byDay = new Map<string, EventRow[]>();
    for (const event of events) {
      const day = isoDay(event.effective_on ?? event.at);
      byDay.set(day, [...(byDay.get(day) ?? []), event]);
    }
    const held = FEED_ENTITIES.filter((entry) => entry.entity === "Organisation" || entry.heldWithOrganisation);
    for (const [day, dayEvents] of byDay) {
      const before = new Date(dayOf(day).getTime() - DAY_MS);
      const eventOf = new Map(dayEvents.map((event) => [event.entity_id, event]));
      const organisationIds = [...eventOf.keys()];
      for (const entry of held) {
        if (!this.entities.includes(entry.entity)) continue;
        const organisationColumn = entry.entity === "Organisation" ? "id" : "organisationId";
        const rows = await this.ctx.db.$queryRaw<{ id: string; org: string; before: boolean; now: boolean }[]>`
          SELECT x."id"::text AS id, x.${Prisma.raw(`"${organisationColumn}"`)}::text AS org,
                 ${toSql(conditionOf(this.ctx, entry, before), "x")} AS before, ${toSql(conditionOf(this.ctx, entry, this.ctx.today), "x")} AS now
            FROM ${Prisma.raw(`"${entry.entity}"`)} x
           WHERE x.${Prisma.raw(`"${organisationColumn}"`)} = ANY(${organisationIds}::uuid[]) AND ${Prisma.raw(entry.heldWithOrganisation ?? "TRUE")}`;
        for (const row of rows) {
          if (!row.before && !row.now) continue;
          if (row.before && row.now && entry.entity !== "Organisation") continue;
          const event = eventOf.get(row.org)!;
          const effective = event.effective_on && event.effective_on > event.at ? event.effective_on : event.at;
          this.items.push({ event, entity: entry.entity, id: row.id, visibleBefore: row.before, eventAt: effective, changedFields: entry.entity === "Organisation" ? this.readable("Organisation", ["assignedRep"]) : [] });
        }
      }
    }
  }

  /** The stored columns a change touched, as the fields that show them, among those the reader may read. */
  private readableFields(entity: string, columns: readonly string[]): string[] {
    const fields = columns.map((column) => this.ctx.readPolicy.fieldOfColumn(entity, column)).filter((field): field is string => field !== null);
    return this.readable(entity, fields);
  }

  /** The fields among these that the reader may read on the entity's type (the same rules as its resolvers). */
  private readable(entity: string, fields: readonly string[]): string[] {
    const readable = this.ctx.readPolicy.readableFields(this.ctx.viewer, this.ctx.readPolicy.typeOfEntity(entity));
    return [...new Set(fields.filter((field) => readable.has(field)))].sort();
  }

  /** Each item as the reader may read the record now (node(id)'s own fetch), or as a removal. */
  private async resolve(): Promise<Change[]> {
    const current = await this.readNow();
    const fetched = await Promise.all(
      this.items.map((item) => current.get(`${item.entity}:${item.id}`) ?? (item.entity === "Organisation" ? this.fetchNow(item.entity, item.id) : null)),
    );
    // node(id) of a merged record answers with the record it was merged into: for the copy, a removal
    const reasons = new Map<string, { reason: RemovalReason; mergedInto: string | null }>();
    const nodes = fetched.map((node, i) => {
      const item = this.items[i]!;
      const answeredId = (node as { id?: unknown } | null)?.id;
      if (node === null || answeredId === item.id) return node;
      reasons.set(`${item.entity}:${item.id}`, { reason: RemovalReason.MERGED, mergedInto: toGlobalId(item.entity, String(answeredId)) });
      item.visibleBefore = true;
      return null;
    });
    const removed = this.items.filter((item, i) => nodes[i] === null && item.visibleBefore && !reasons.has(`${item.entity}:${item.id}`));
    for (const [key, reason] of await this.removalReasons(removed)) reasons.set(key, reason);
    const changes: Change[] = [];
    this.items.forEach((item, i) => {
      const node = nodes[i]!;
      if (node === null && !item.visibleBefore) return;
      const kind = node === null ? ChangeKind.REMOVED : item.visibleBefore ? ChangeKind.UPDATED : item.event.has_before || item.event.action === CHARGE_CHANGED ? ChangeKind.ENTERED_SCOPE : ChangeKind.CREATED;
      if (this.kinds?.length && !this.kinds.includes(kind)) return;
      changes.push({
        kind,
        entity: item.entity,
        id: toGlobalId(item.entity, item.id),
        action: item.event.action,
        version: item.entity === item.event.entity ? item.event.version : null,
        changedFields: item.changedFields,
        at: item.eventAt,
        node,
        removal: node === null ? (reasons.get(`${item.entity}:${item.id}`) ?? { reason: RemovalReason.LEFT_SCOPE, mergedInto: null }) : null,
      });
    });
    return changes;
  }

  /**
   * The page's records as the reader may read them now: one read per entity, through the entity's scope
   * (the definition node(id) and the lists use). An organisation not found there goes through node(id)'s own
   * fetch, which answers for a merged record with the one it was merged into.
   */
  private async readNow(): Promise<Map<string, object>> {
    const found = new Map<string, object>();
    const byEntity = new Map<string, Set<string>>();
    for (const item of this.items) byEntity.set(item.entity, (byEntity.get(item.entity) ?? new Set()).add(item.id));
    for (const [entity, ids] of byEntity) {
      const entry = feedEntity.get(entity)!;
      const rows = await modelOf(this.ctx, entity).findMany({ where: { AND: [this.ctx.scope.where[entry.scope](), { id: { in: [...ids] } }] } });
      for (const row of rows) found.set(`${entity}:${row.id}`, { ...row, __typename: entity });
    }
    return found;
  }

  private async fetchNow(entity: string, id: string): Promise<object | null> {
    const fetch = this.fetchers[entity];
    if (!fetch) return null;
    try {
      return { ...(await fetch(this.ctx, toGlobalId(entity, id))), __typename: entity };
    } catch (error) {
      if (error instanceof DomainError && error.extensions.code === ErrorCode.NOT_FOUND) return null;
      throw error;
    }
  }

  /** Why records the reader saw are no longer readable: gone, merged, or out of sight (the default). */
  private async removalReasons(items: { entity: string; id: string }[]): Promise<Map<string, { reason: RemovalReason; mergedInto: string | null }>> {
    const reasons = new Map<string, { reason: RemovalReason; mergedInto: string | null }>();
    const byEntity = new Map<string, string[]>();
    for (const item of items) byEntity.set(item.entity, [...(byEntity.get(item.entity) ?? []), item.id]);
    for (const [entity, ids] of byEntity) {
      const merged = entity === "Organisation" ? Prisma.sql`x."mergedIntoId"::text` : Prisma.sql`NULL::text`;
      // a record in the recycle bin is deleted for the reader (a restore brings it back as ENTERED_SCOPE)
      const binned = isBinned(feedEntity.get(entity)!.scope) ? Prisma.sql`x."deletedAt" IS NOT NULL` : Prisma.sql`FALSE`;
      const rows = await this.ctx.db.$queryRaw<{ id: string; merged_into: string | null; binned: boolean }[]>`
        SELECT x."id"::text AS id, ${merged} AS merged_into, ${binned} AS binned FROM ${Prisma.raw(`"${entity}"`)} x WHERE x."id" = ANY(${ids}::uuid[])`;
      const existing = new Map(rows.map((row) => [row.id, row.merged_into]));
      const inBin = new Set(rows.filter((row) => row.binned).map((row) => row.id));
      for (const id of ids) {
        const mergedInto = existing.get(id);
        if (!existing.has(id) || inBin.has(id)) reasons.set(`${entity}:${id}`, { reason: RemovalReason.DELETED, mergedInto: null });
        else if (mergedInto) reasons.set(`${entity}:${id}`, { reason: RemovalReason.MERGED, mergedInto: toGlobalId(entity, mergedInto) });
      }
    }
    return reasons;
  }
}
