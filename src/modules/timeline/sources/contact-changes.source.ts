import { Prisma } from "../../../db/generated/client.js";
import { hasScope } from "../../../auth/viewer.js";
import { epochMs, unionSource, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { action: string; contact_id: string; contact_name: string; actor_id: string | null }

/** Contact creations and edits, read from the audit trail (entity Contact). */
export const contactChangesSource = unionSource<Row>({
  kinds: ["CONTACT_CHANGE"],
  visibleTo: (viewer) => (viewer.kind === "PARTNER" || viewer.kind === "SERVICE" ? hasScope(viewer, "contacts:read") || hasScope(viewer, "contacts:write") : true),
  at: "a.at",
  id: "a.id",
  select: (org, cursor, limit) => Prisma.sql`
      SELECT a.id::text AS id, ${epochMs("a.at")}, a.action, c.id::text AS contact_id, c."firstName" || ' ' || c."lastName" AS contact_name, a."actorId"::text AS actor_id
      FROM "Contact" c JOIN "AuditEvent" a ON a.entity = 'Contact' AND a."entityId" = c.id::text
      WHERE c."organisationId" = ${org} ${cursor} ORDER BY a.at DESC, a.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "CONTACT_CHANGE", at: r.at, title: `Contact ${r.action}`, summary: r.contact_name,
    actorId: r.actor_id, subjectType: "Contact", subjectId: r.contact_id,
  }),
});
