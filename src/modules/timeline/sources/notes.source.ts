import { Prisma } from "../../../db/generated/client.js";
import { epochMs, everyoneWhoSeesTheOrganisation, perOrganisation, shorten, type TimelineRow, type TimelineSource } from "../timeline.source.js";

interface Row extends TimelineRow { body: string; author_id: string }

export const notesSource: TimelineSource = {
  kinds: ["NOTE"],
  visibleTo: everyoneWhoSeesTheOrganisation,
  async fetch(ctx, organisationIds, take, before) {
    const rows = await perOrganisation<Row>(ctx, organisationIds, take, `n."createdAt"`, "n.id", before, (org, cursor, limit) => Prisma.sql`
      SELECT n.id::text AS id, ${epochMs(`n."createdAt"`)}, n.body, n."authorId"::text AS author_id
      FROM "Note" n WHERE n."organisationId" = ${org} ${cursor} ORDER BY n."createdAt" DESC, n.id DESC ${limit}`);
    return rows.map((r) => ({
      id: r.id, organisationId: r.organisation_id, kind: "NOTE", at: r.at, title: "Note", summary: shorten(r.body),
      actorId: r.author_id, subjectType: "Note", subjectId: r.id,
    }));
  },
};
