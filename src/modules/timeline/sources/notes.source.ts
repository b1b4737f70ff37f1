import { Prisma } from "../../../db/generated/client.js";
import { epochMs, everyoneWhoSeesTheOrganisation, unionSource, shorten, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { body: string; author_id: string }

export const notesSource = unionSource<Row>({
  kinds: ["NOTE"],
  visibleTo: everyoneWhoSeesTheOrganisation,
  at: `n."createdAt"`,
  id: "n.id",
  select: (org, cursor, limit) => Prisma.sql`
      SELECT n.id::text AS id, ${epochMs(`n."createdAt"`)}, n.body, n."authorId"::text AS author_id
      FROM "Note" n WHERE n."organisationId" = ${org} ${cursor} ORDER BY n."createdAt" DESC, n.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "NOTE", at: r.at, title: "Note", summary: shorten(r.body),
    actorId: r.author_id, subjectType: "Note", subjectId: r.id,
  }),
});
