import { Prisma } from "../../../db/generated/client.js";
import { epochMs, timelineSource, shorten, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { kind: string; status: string; note: string | null; resolution_note: string | null; requested_by_id: string }

/** Requests about the organisation (to change it, or to merge it with another). */
export const requestsSource = timelineSource<Row>({
  kinds: ["ORGANISATION_REQUEST"],
  shows: { type: "OrganisationRequest", fields: ["kind", "status", "note", "resolutionNote", "requestedBy"] },
  rows: { entity: "requests", alias: "r" },
  at: `r."createdAt"`,
  id: "r.id",
  select: (org, filter, limit) => Prisma.sql`
      SELECT r.id::text AS id, ${epochMs(`r."createdAt"`)}, r.kind::text AS kind, r.status::text AS status, r.note,
             r."resolutionNote" AS resolution_note, r."requestedById"::text AS requested_by_id
      FROM "OrganisationRequest" r WHERE (r."organisationId" = ${org} OR r."otherOrganisationId" = ${org}) ${filter}
      ORDER BY r."createdAt" DESC, r.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "ORGANISATION_REQUEST", at: r.at, title: `${r.kind} request, ${r.status}`,
    summary: shorten(r.resolution_note ?? r.note), actorId: r.requested_by_id, subjectType: "OrganisationRequest", subjectId: r.id,
  }),
});
