// The recycle bin (docs/trash.md). Contacts, deals, quotes, visits and tasks are soft-deleted: `deletedAt` is
// set, and the one row scope (src/auth/scope/entities.ts) leaves such rows out of every read. Deleting asks
// for the live row in the viewer's scope (who may update it may delete it); restoring, for the binned row
// within the same reach and the retention window; both are versioned, audited changes (the audit trail is the
// change feed's source: a deletion is a removal there, a restore brings the record back). Past the window a
// record is as good as gone (not listed, not restorable) until the purge (trash.purge.ts) removes it.
import type { BinnedEntity } from "../../auth/scope/entities.js";
import { Prisma } from "../../db/generated/client.js";
import type { Contact, Opportunity, Quote, Task, Visit } from "../../db/generated/client.js";
import { badInput } from "../../errors/api-errors.js";
import type { AuthedContext } from "../../graphql/context.js";
import { DEFAULT_PAGE_SIZE, expectGlobalId, MAX_PAGE_SIZE, toGlobalId, type PageArgs } from "../../graphql/relay.js";
import { applyVersionedChange, type VersionedTable } from "../audit/versioned-change.js";
import { TrashEntity, type TrashEntryRow } from "./trash.type.js";

type Tx = Prisma.TransactionClient;
const DAY_MS = 86_400_000;

interface BinnedRow {
  id: string;
  version: number;
  deletedAt: Date | null;
}

type BinWrite = { deletedAt: Date | null; updatedAt: Date; isPrimary?: boolean };

/** Which rows a read asks for: live ones in the viewer's scope, or binned ones within its reach and the window. */
type Side = "live" | "binned";

/** One soft-deleted entity: its table and its scoped reads (the scope's own `where`s). */
export interface BinnedKind<Row extends BinnedRow = BinnedRow> {
  entity: TrashEntity;
  /** the table, also its name in SQL */
  table: string;
  scope: BinnedEntity;
  rows(tx: Tx, ctx: AuthedContext, ids: readonly string[], side: Side): Promise<Row[]>;
  writer(tx: Tx): VersionedTable<Row, BinWrite>;
  /** what else a restore changes (a contact marked primary while another became the primary meanwhile) */
  onRestore?(tx: Tx, row: Row): Promise<Partial<BinWrite>>;
}

/** The bin's reach today within the retention window, or the viewer's live scope. */
function sideWhere(ctx: AuthedContext, side: Side, live: object, binned: object): object[] {
  return side === "live" ? [live] : [binned, { deletedAt: { gt: cutoffOf(ctx.now, ctx.trash.retentionDays) } }];
}

export const cutoffOf = (now: Date, retentionDays: number): Date => new Date(now.getTime() - retentionDays * DAY_MS);

const contacts: BinnedKind<Contact> = {
  entity: TrashEntity.Contact,
  table: "Contact",
  scope: "contacts",
  rows: (tx, ctx, ids, side) =>
    tx.contact.findMany({ where: { AND: [{ id: { in: [...ids] } }, ...sideWhere(ctx, side, ctx.scope.where.contacts(), ctx.scope.trash.where.contacts())] } }),
  writer: (tx) => tx.contact,
  async onRestore(tx, row) {
    if (!row.isPrimary) return {};
    const other = await tx.contact.findFirst({ where: { organisationId: row.organisationId, isPrimary: true, deletedAt: null }, select: { id: true } });
    return other ? { isPrimary: false } : {};
  },
};

const opportunities: BinnedKind<Opportunity> = {
  entity: TrashEntity.Opportunity,
  table: "Opportunity",
  scope: "opportunities",
  rows: (tx, ctx, ids, side) =>
    tx.opportunity.findMany({
      where: { AND: [{ id: { in: [...ids] } }, ...sideWhere(ctx, side, ctx.scope.where.opportunities(), ctx.scope.trash.where.opportunities())] },
    }),
  writer: (tx) => tx.opportunity,
};

const quotes: BinnedKind<Quote> = {
  entity: TrashEntity.Quote,
  table: "Quote",
  scope: "quotes",
  rows: (tx, ctx, ids, side) =>
    tx.quote.findMany({ where: { AND: [{ id: { in: [...ids] } }, ...sideWhere(ctx, side, ctx.scope.where.quotes(), ctx.scope.trash.where.quotes())] } }),
  writer: (tx) => tx.quote,
};

const visits: BinnedKind<Visit> = {
  entity: TrashEntity.Visit,
  table: "Visit",
  scope: "visits",
  rows: (tx, ctx, ids, side) =>
    tx.visit.findMany({ where: { AND: [{ id: { in: [...ids] } }, ...sideWhere(ctx, side, ctx.scope.where.visits(), ctx.scope.trash.where.visits())] } }),
  writer: (tx) => tx.visit,
};

const tasks: BinnedKind<Task> = {
  entity: TrashEntity.Task,
  table: "Task",
  scope: "tasks",
  rows: (tx, ctx, ids, side) =>
    tx.task.findMany({ where: { AND: [{ id: { in: [...ids] } }, ...sideWhere(ctx, side, ctx.scope.where.tasks(), ctx.scope.trash.where.tasks())] } }),
  writer: (tx) => tx.task,
};

export const BINNED: Readonly<Record<TrashEntity, BinnedKind>> = {
  [TrashEntity.Contact]: contacts,
  [TrashEntity.Opportunity]: opportunities,
  [TrashEntity.Quote]: quotes,
  [TrashEntity.Visit]: visits,
  [TrashEntity.Task]: tasks,
};

const asNode = (kind: BinnedKind, row: BinnedRow): object => ({ ...row, __typename: kind.entity });

function entryOf(ctx: AuthedContext, kind: BinnedKind, row: BinnedRow): TrashEntryRow {
  const deletedAt = row.deletedAt!;
  return {
    entity: kind.entity,
    id: toGlobalId(kind.entity, row.id),
    deletedAt,
    purgeAfter: new Date(deletedAt.getTime() + ctx.trash.retentionDays * DAY_MS),
    record: asNode(kind, row),
  };
}

/** Moves a live record of the viewer's scope to the bin (NOT_FOUND when missing, out of scope or deleted already). */
export async function moveToTrash(ctx: AuthedContext, entity: TrashEntity, globalId: string): Promise<TrashEntryRow> {
  const kind = BINNED[entity];
  const id = expectGlobalId(globalId, entity);
  const row = await ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity,
      action: "delete",
      version: null,
      find: async (db) => (await kind.rows(db, ctx, [id], "live"))[0] ?? null,
      table: kind.writer,
      still: { deletedAt: null },
      change: () => ({ deletedAt: ctx.now, updatedAt: ctx.now }),
    }),
  );
  return entryOf(ctx, kind, row);
}

/** Brings a binned record back under its id (NOT_FOUND when not in the viewer's bin or past the window). */
export async function restoreFromTrash(ctx: AuthedContext, entity: TrashEntity, globalId: string): Promise<{ record: object }> {
  const kind = BINNED[entity];
  const id = expectGlobalId(globalId, entity);
  const row = await ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity,
      action: "restore",
      version: null,
      find: async (db) => (await kind.rows(db, ctx, [id], "binned"))[0] ?? null,
      table: kind.writer,
      still: { deletedAt: { not: null } },
      change: async (before, db) => ({ ...(await kind.onRestore?.(db, before)), deletedAt: null, updatedAt: ctx.now }),
    }),
  );
  return { record: asNode(kind, row) };
}

// --- the trash view -------------------------------------------------------------------------------------

interface BinCursor {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const encodeCursor = (c: BinCursor) => Buffer.from(`t:${c.at.toISOString()}|${c.id}`).toString("base64url");

function decodeCursor(after: string): BinCursor {
  const text = Buffer.from(after, "base64url").toString("utf8");
  const [at, id] = text.startsWith("t:") ? text.slice(2).split("|") : [];
  const day = at ? new Date(at) : null;
  if (!day || Number.isNaN(day.getTime()) || !id || !UUID.test(id)) throw badInput("after is not a cursor of the trash view", { argument: "after" });
  return { at: day, id };
}

/** The viewer's bin, most recently deleted first: deleted rows within each entity's reach and the window. */
export async function listTrash(ctx: AuthedContext, entities: readonly TrashEntity[] | null | undefined, pageArgs: PageArgs) {
  const take = pageArgs.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(take) || take < 0 || take > MAX_PAGE_SIZE) throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: "first", max: MAX_PAGE_SIZE });
  const after = pageArgs.after == null ? null : decodeCursor(pageArgs.after);
  const kinds = (entities?.length ? [...new Set(entities)] : Object.values(TrashEntity)).map((entity) => BINNED[entity]);
  const cutoff = cutoffOf(ctx.now, ctx.trash.retentionDays);
  const parts = kinds.map(
    (kind) => Prisma.sql`SELECT ${kind.entity}::text AS entity, x."id"::text AS id, x."deletedAt" AS deleted_at
      FROM ${Prisma.raw(`"${kind.table}"`)} x WHERE x."deletedAt" > ${cutoff} AND ${ctx.scope.trash.sql(kind.scope, "x")}`,
  );
  const position = after ? Prisma.sql`WHERE (b.deleted_at, b.id) < (${after.at}, ${after.id})` : Prisma.empty;
  const found = await ctx.db.$queryRaw<{ entity: TrashEntity; id: string; deleted_at: Date }[]>`
    SELECT b.entity, b.id, b.deleted_at FROM (${Prisma.join(parts, " UNION ALL ")}) b ${position}
     ORDER BY b.deleted_at DESC, b.id DESC LIMIT ${take + 1}`;
  const page = found.slice(0, take);
  const records = new Map<string, BinnedRow>();
  for (const kind of kinds) {
    const ids = page.filter((row) => row.entity === kind.entity).map((row) => row.id);
    if (!ids.length) continue;
    for (const row of await kind.rows(ctx.db, ctx, ids, "binned")) records.set(`${kind.entity}:${row.id}`, row);
  }
  const edges = page.flatMap((row) => {
    const record = records.get(`${row.entity}:${row.id}`);
    if (!record) return [];
    return [{ cursor: encodeCursor({ at: row.deleted_at, id: row.id }), node: entryOf(ctx, BINNED[row.entity], record) }];
  });
  return {
    edges,
    pageInfo: { hasNextPage: found.length > take, hasPreviousPage: after !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
