// Announcements: head office authors them (create, update with version, end); the field reads those in force
// today that target one of its organisations (announcement.targeting.ts: the one definition, which the visit
// brief reads too); head office reads all of them.
import DataLoader from "dataloader";
import { z } from "zod";
import { organisationScope } from "../../auth/row-scope.js";
import { actorOf, seesFieldWork, type Viewer } from "../../auth/viewer.js";
import { Prisma } from "../../db/generated/client.js";
import { AnnouncementKind, PortfolioCategory, Segment } from "../../db/generated/enums.js";
import { indexByKey, type AuthedContext, type RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { expectGlobalId, lazyConnection, pageWindow, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { prismaDirection, SortDirection } from "../../graphql/sorting.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { announcementInForce, announcementStatus, announcementStatusWhere, announcementTargets } from "./announcement.targeting.js";
import {
  AnnouncementOrderField,
  type AnnouncementFilter,
  type AnnouncementOrder,
  type AnnouncementRow,
  type AnnouncementStatus,
  type CreateAnnouncementInput,
  type EndAnnouncementInput,
  type UpdateAnnouncementInput,
} from "./announcement.type.js";

type Tx = Prisma.TransactionClient;

// ───────────── Who sees which announcements ─────────────

/**
 * The announcements a viewer may read, as a `where`: head office all; the field (reps, managers, partner
 * tokens with visits:write) those in force today that target one of the organisations they see; nobody
 * else any (data stewards and service tokens do not read them). The
 * organisations are read as their distinct targeting profiles (segment, category, region, banner): a
 * portfolio of thousands is a few dozen profiles, matched against the announcements in one statement.
 */
async function visibleAnnouncements(ctx: RequestContext, viewer: Viewer): Promise<Prisma.AnnouncementWhereInput> {
  if (viewer.kind === "HEAD_OFFICE") return {};
  if (!seesFieldWork(viewer, "visits:write")) return { id: { in: [] } };
  const profiles = await ctx.db.organisation.groupBy({ by: ["segment", "category", "region", "banner"], where: organisationScope(viewer, ctx.today) });
  if (!profiles.length) return { id: { in: [] } };
  const rows = await ctx.db.$queryRaw<{ id: string }[]>`
    SELECT a.id::text AS id FROM "Announcement" a
    WHERE ${announcementInForce("a", Prisma.sql`${ctx.today}::date`)}
      AND EXISTS (
        SELECT 1 FROM unnest(${profiles.map((p) => p.segment)}::text[]::"Segment"[], ${profiles.map((p) => p.category)}::text[]::"PortfolioCategory"[],
                             ${profiles.map((p) => p.region)}::text[], ${profiles.map((p) => p.banner)}::text[]) AS org(segment, category, region, banner)
        WHERE ${announcementTargets("a", "org")})`;
  return { id: { in: rows.map((row) => row.id) } };
}

/** Computed once per request (lists and node(id) share it). */
const visibleAnnouncementsOfRequest = (ctx: RequestContext) =>
  new DataLoader<"visible", Prisma.AnnouncementWhereInput, string>(async (keys) => {
    const where = ctx.viewer ? await visibleAnnouncements(ctx, ctx.viewer) : { id: { in: [] } };
    return keys.map(() => where);
  });

const visibleWhere = (ctx: RequestContext) => ctx.loaders.get(visibleAnnouncementsOfRequest).load("visible");

export const announcementById = (ctx: RequestContext) =>
  new DataLoader<string, AnnouncementRow | null, string>(async (ids) => {
    const rows = await ctx.db.announcement.findMany({ where: { AND: [{ id: { in: [...ids] } }, await visibleWhere(ctx)] } });
    return indexByKey(ids, rows, (row) => row.id);
  });

// ───────────── Reads ─────────────

const ORDER_COLUMN: Record<AnnouncementOrderField, "validFrom" | "createdAt" | "title"> = { VALID_FROM: "validFrom", CREATED_AT: "createdAt", TITLE: "title" };

export async function listAnnouncements(
  ctx: AuthedContext,
  filter: AnnouncementFilter | null | undefined,
  order: AnnouncementOrder | null | undefined,
  pageArgs: PageArgs,
): Promise<Connection<AnnouncementRow>> {
  const page = readPage(pageArgs);
  const and: Prisma.AnnouncementWhereInput[] = [await visibleWhere(ctx)];
  if (filter?.status?.length) and.push({ OR: filter.status.map((status) => announcementStatusWhere(status, ctx.today)) });
  if (filter?.kind?.length) and.push({ kind: { in: filter.kind } });
  if (filter?.updatedAfter) and.push({ updatedAt: { gt: filter.updatedAfter } });
  const where = { AND: and };
  const orderBy: Prisma.AnnouncementOrderByWithRelationInput[] = order
    ? [{ [ORDER_COLUMN[order.field]]: prismaDirection(order.direction ?? SortDirection.ASC) }, { id: prismaDirection(order.direction ?? SortDirection.ASC) }]
    : [{ validFrom: "desc" }, { id: "desc" }];
  return lazyConnection(() => ctx.db.announcement.findMany({ where, orderBy, ...pageWindow(page) }), page, () => ctx.db.announcement.count({ where }));
}

export async function getAnnouncement(ctx: AuthedContext, globalId: string): Promise<AnnouncementRow> {
  const announcement = await ctx.loaders.get(announcementById).load(expectGlobalId(globalId, "Announcement"));
  if (!announcement) throw notFound("Announcement");
  return announcement;
}

export const statusOf = (ctx: RequestContext, row: AnnouncementRow): AnnouncementStatus => announcementStatus(row, ctx.today);

// ───────────── Head office's writes ─────────────

const names = z.array(z.string().trim().min(1, "must not be empty").max(100)).max(50, "at most 50 values");
const Targeting = z.object({
  segments: z.array(z.enum(Segment)).max(3).nullish(),
  categories: z.array(z.enum(PortfolioCategory)).max(3).nullish(),
  regions: names.nullish(),
  banners: names.nullish(),
});
const AnnouncementFields = z.object({
  kind: z.enum(AnnouncementKind),
  title: z.string().trim().min(1, "must not be empty").max(200),
  body: z.string().trim().min(1, "must not be empty").max(10_000),
  validFrom: z.date(),
  validTo: z.date().nullish(),
  targeting: Targeting.nullish(),
});
// Built once: zod compiles a schema on first use.
const AnnouncementChanges = AnnouncementFields.partial();

function targetingData(targeting: z.infer<typeof Targeting> | null | undefined) {
  const unique = <T>(values: T[] | null | undefined) => [...new Set(values ?? [])];
  return { segments: unique(targeting?.segments), categories: unique(targeting?.categories), regions: unique(targeting?.regions), banners: unique(targeting?.banners) };
}

/** validTo is exclusive: the window holds at least its first day. */
function checkWindow(validFrom: Date, validTo: Date | null) {
  if (validTo && validTo.getTime() <= validFrom.getTime()) throw badInput("validTo (exclusive) must be after validFrom", { fields: [{ field: "validTo" }] });
}

export async function createAnnouncement(ctx: AuthedContext, input: CreateAnnouncementInput): Promise<AnnouncementRow> {
  const fields = validate(AnnouncementFields, input);
  checkWindow(fields.validFrom, fields.validTo ?? null);
  return ctx.db.$transaction(async (tx) => {
    const announcement = await tx.announcement.create({
      data: {
        kind: fields.kind,
        title: fields.title,
        body: fields.body,
        validFrom: fields.validFrom,
        validTo: fields.validTo ?? null,
        ...targetingData(fields.targeting),
        createdById: actorOf(ctx.viewer).actorId,
      },
    });
    await recordAudit(tx, ctx.viewer, { entity: "Announcement", entityId: announcement.id, action: "create", after: announcement });
    return announcement;
  });
}

function versionedChange(ctx: AuthedContext, globalId: string, version: number, action: string, change: (before: AnnouncementRow) => Prisma.AnnouncementUpdateManyMutationInput) {
  const id = expectGlobalId(globalId, "Announcement");
  return ctx.db.$transaction((tx: Tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: "Announcement",
      action,
      version,
      find: (db) => db.announcement.findUnique({ where: { id } }),
      change: (before) => {
        if (before.endedAt) throw badInput("An ended announcement cannot be changed");
        return change(before);
      },
      table: (db) => db.announcement,
    }),
  );
}

export function updateAnnouncement(ctx: AuthedContext, input: UpdateAnnouncementInput): Promise<AnnouncementRow> {
  const { id, version, ...rest } = input;
  const changes = sentFields(validate(AnnouncementChanges, rest));
  for (const key of ["kind", "title", "body", "validFrom"] as const) {
    if (key in changes && changes[key] == null) throw badInput(`${key} cannot be cleared`, { fields: [{ field: key }] });
  }
  return versionedChange(ctx, id, version, "update", (before) => {
    checkWindow(changes.validFrom ?? before.validFrom, "validTo" in changes ? (changes.validTo ?? null) : before.validTo);
    const { targeting, ...plain } = changes;
    return { ...plain, ...("targeting" in changes ? targetingData(targeting) : {}) } as Prisma.AnnouncementUpdateManyMutationInput;
  });
}

/** Ends it today: its window closes on today (in force until yesterday; a scheduled one never runs); the
 * record stays, read-only. */
export function endAnnouncement(ctx: AuthedContext, input: EndAnnouncementInput): Promise<AnnouncementRow> {
  return versionedChange(ctx, input.id, input.version, "end", (before) => {
    const closes = before.validTo && before.validTo.getTime() < ctx.today.getTime() ? before.validTo : ctx.today;
    return { endedAt: ctx.now, validTo: closes.getTime() < before.validFrom.getTime() ? before.validFrom : closes };
  });
}
