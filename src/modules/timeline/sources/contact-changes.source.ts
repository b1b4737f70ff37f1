import { Prisma } from "../../../db/generated/client.js";
import { epochMs, timelineSource, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { action: string; contact_id: string; contact_name: string; actor_id: string | null }

/** Contact creations and edits, read from the audit trail (entity Contact). */
export const contactChangesSource = timelineSource<Row>({
  kinds: ["CONTACT_CHANGE"],
  shows: { type: "Contact", fields: ["firstName", "lastName"] },
  rows: { entity: "contacts", alias: "c" },
  at: "a.at",
  id: "a.id",
  select: (org, filter, limit) => Prisma.sql`
      SELECT a.id::text AS id, ${epochMs("a.at")}, a.action, c.id::text AS contact_id, c."firstName" || ' ' || c."lastName" AS contact_name, a."actorId"::text AS actor_id
      FROM "Contact" c JOIN "AuditEvent" a ON a.entity = 'Contact' AND a."entityId" = c.id::text
      WHERE c."organisationId" = ${org} ${filter} ORDER BY a.at DESC, a.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "CONTACT_CHANGE", at: r.at, title: `Contact ${r.action}`, summary: r.contact_name,
    actorId: r.actor_id, subjectType: "Contact", subjectId: r.contact_id,
  }),
});
