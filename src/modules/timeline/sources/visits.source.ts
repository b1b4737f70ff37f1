import { Prisma } from "../../../db/generated/client.js";
import { epochMs, timelineSource, shorten, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { channel: string; status: string; outcome: string | null; objectives: string | null; rep_id: string }

export const visitsSource = timelineSource<Row>({
  kinds: ["VISIT"],
  shows: { type: "Visit", fields: ["channel", "status", "preparation", "report", "rep"] },
  rows: { entity: "visits", alias: "v" },
  at: `v."plannedAt"`,
  id: "v.id",
  select: (org, filter, limit) => Prisma.sql`
      SELECT v.id::text AS id, ${epochMs(`v."plannedAt"`)}, v.channel::text AS channel, v.status::text AS status, v.outcome, v.objectives, v."repId"::text AS rep_id
      FROM "Visit" v WHERE v."organisationId" = ${org} ${filter} ORDER BY v."plannedAt" DESC, v.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "VISIT", at: r.at, title: `Visit (${r.channel}), ${r.status}`,
    summary: shorten(r.outcome ?? r.objectives), actorId: r.rep_id, subjectType: "Visit", subjectId: r.id,
  }),
});
