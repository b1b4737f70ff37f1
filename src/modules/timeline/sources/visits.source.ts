import { Prisma } from "../../../db/generated/client.js";
import { epochMs, everyoneWhoSeesTheOrganisation, perOrganisation, shorten, type TimelineRow, type TimelineSource } from "../timeline.source.js";

interface Row extends TimelineRow { channel: string; status: string; outcome: string | null; objectives: string | null; rep_id: string }

export const visitsSource: TimelineSource = {
  kinds: ["VISIT"],
  visibleTo: everyoneWhoSeesTheOrganisation,
  async fetch(ctx, organisationIds, take, before) {
    const rows = await perOrganisation<Row>(ctx, organisationIds, take, `v."plannedAt"`, "v.id", before, (org, cursor, limit) => Prisma.sql`
      SELECT v.id::text AS id, ${epochMs(`v."plannedAt"`)}, v.channel::text AS channel, v.status::text AS status, v.outcome, v.objectives, v."repId"::text AS rep_id
      FROM "Visit" v WHERE v."organisationId" = ${org} ${cursor} ORDER BY v."plannedAt" DESC, v.id DESC ${limit}`);
    return rows.map((r) => ({
      id: r.id, organisationId: r.organisation_id, kind: "VISIT", at: r.at, title: `Visit (${r.channel}), ${r.status}`,
      summary: shorten(r.outcome ?? r.objectives), actorId: r.rep_id, subjectType: "Visit", subjectId: r.id,
    }));
  },
};
