import { Prisma } from "../../../db/generated/client.js";
import { epochMs, timelineSource, shorten, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { kind: string; status: string; summary: string }

export const incidentsSource = timelineSource<Row>({
  kinds: ["INCIDENT"],
  shows: { type: "Incident", fields: ["kind", "status", "summary"] },
  rows: { entity: "incidents", alias: "i" },
  at: `i."openedAt"`,
  id: "i.id",
  select: (org, filter, limit) => Prisma.sql`
      SELECT i.id::text AS id, ${epochMs(`i."openedAt"`)}, i.kind::text AS kind, i.status::text AS status, i.summary
      FROM "Incident" i WHERE i."organisationId" = ${org} ${filter} ORDER BY i."openedAt" DESC, i.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "INCIDENT", at: r.at, title: `Incident ${r.kind}, ${r.status}`, summary: shorten(r.summary),
    actorId: null, subjectType: "Incident", subjectId: r.id,
  }),
});
