// Reading the audit trail (head office and data stewards). There is no write path: no mutation touches
// AuditEvent rows except recordAudit's inserts inside other writes. What a reader sees of an event follows
// the read rules of the entity itself (ctx.readPolicy): events of entities they may not read are not listed,
// and before/after keep only the columns carried by fields they may read (src/graphql/side-image.ts).
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { notFound } from "../../errors/api-errors.js";
import { visibleImage } from "../../graphql/side-image.js";
import { type Connection, expectGlobalId, lazyConnection, type PageArgs, pageWindow, parseGlobalId, readPage } from "../../graphql/relay.js";
import type { AuditEventFilter, AuditEventRow } from "./audit.type.js";

/** Events the reader may see at all: those of entities of which they may read something. */
const readableEvents = (ctx: AuthedContext): Prisma.AuditEventWhereInput => ({ entity: { in: [...ctx.readPolicy.readableEntities(ctx.viewer)] } });

/** Newest first. */
export function listAuditEvents(ctx: AuthedContext, filter: AuditEventFilter | null | undefined, pageArgs: PageArgs): Connection<AuditEventRow> {
  const page = readPage(pageArgs);
  const and: Prisma.AuditEventWhereInput[] = [readableEvents(ctx)];
  if (filter?.entity) and.push({ entity: filter.entity });
  if (filter?.entityId) and.push({ entityId: parseGlobalId(filter.entityId)?.id ?? filter.entityId });
  if (filter?.actorId) and.push({ actorId: expectGlobalId(filter.actorId, "User") });
  if (filter?.from) and.push({ at: { gte: filter.from } });
  if (filter?.to) and.push({ at: { lt: filter.to } });
  const where = { AND: and };
  return lazyConnection(
    () =>
      ctx.db.auditEvent.findMany({
        where,
        orderBy: [{ at: "desc" }, { id: "desc" }],
        ...pageWindow(page),
      }),
    page,
    () => ctx.db.auditEvent.count({ where }),
  );
}

/** Through node(id): for those who may read the trail (its type's read rule), an event they may list. */
export async function getAuditEvent(ctx: AuthedContext, globalId: string): Promise<AuditEventRow> {
  const id = expectGlobalId(globalId, "AuditEvent");
  const mayReadTrail = ctx.readPolicy.readableFields(ctx.viewer, "AuditEvent").size > 0;
  const event = mayReadTrail ? await ctx.db.auditEvent.findFirst({ where: { id, ...readableEvents(ctx) } }) : null;
  if (!event) throw notFound("AuditEvent");
  return event;
}

/** One side of an event (`before` or `after`) as this reader may see it (custom values cut to the fields they may read). */
export function eventImage(ctx: AuthedContext, event: AuditEventRow, side: "before" | "after"): Promise<Record<string, unknown> | null> {
  return visibleImage(ctx, event.entity, event[side]);
}
