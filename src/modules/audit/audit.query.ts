// Reading the audit trail (head office and data stewards). There is no write path: no mutation touches
// AuditEvent rows except recordAudit's inserts inside other writes.
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { type Connection, expectGlobalId, lazyConnection, type PageArgs, pageWindow, parseGlobalId, readPage } from "../../graphql/relay.js";
import type { AuditEventFilter, AuditEventRow } from "./audit.type.js";

/** Newest first. */
export function listAuditEvents(ctx: AuthedContext, filter: AuditEventFilter | null | undefined, pageArgs: PageArgs): Connection<AuditEventRow> {
  const page = readPage(pageArgs);
  const and: Prisma.AuditEventWhereInput[] = [];
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
