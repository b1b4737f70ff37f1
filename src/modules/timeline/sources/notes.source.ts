import { Prisma } from "../../../db/generated/client.js";
import { epochMs, timelineSource, shorten, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { body: string; author_id: string }

export const notesSource = timelineSource<Row>({
  kinds: ["NOTE"],
  // notes have no path of their own: whoever reads the organisation's timeline reads them
  shows: { type: "Organisation", fields: ["timeline"] },
  rows: null,
  at: `n."createdAt"`,
  id: "n.id",
  select: (org, filter, limit) => Prisma.sql`
      SELECT n.id::text AS id, ${epochMs(`n."createdAt"`)}, n.body, n."authorId"::text AS author_id
      FROM "Note" n WHERE n."organisationId" = ${org} ${filter} ORDER BY n."createdAt" DESC, n.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "NOTE", at: r.at, title: "Note", summary: shorten(r.body),
    actorId: r.author_id, subjectType: "Note", subjectId: r.id,
  }),
});
