import { Prisma } from "../../../db/generated/client.js";
import { epochMs, everyoneWhoSeesTheOrganisation, unionSource, shorten, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { kind: string; status: string; summary: string }

export const incidentsSource = unionSource<Row>({
  kinds: ["INCIDENT"],
  visibleTo: everyoneWhoSeesTheOrganisation,
  at: `i."openedAt"`,
  id: "i.id",
  select: (org, cursor, limit) => Prisma.sql`
      SELECT i.id::text AS id, ${epochMs(`i."openedAt"`)}, i.kind::text AS kind, i.status::text AS status, i.summary
      FROM "Incident" i WHERE i."organisationId" = ${org} ${cursor} ORDER BY i."openedAt" DESC, i.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "INCIDENT", at: r.at, title: `Incident ${r.kind}, ${r.status}`, summary: shorten(r.summary),
    actorId: null, subjectType: "Incident", subjectId: r.id,
  }),
});
