import { Prisma } from "../../../db/generated/client.js";
import { epochMs, timelineSource, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { reference: string | null; status: string; opportunity_name: string }

export const quotesSource = timelineSource<Row>({
  kinds: ["QUOTE"],
  shows: { type: "Quote", fields: ["reference", "status", "opportunity"] },
  rows: { entity: "quotes", alias: "q" },
  at: `q."createdAt"`,
  id: "q.id",
  select: (org, filter, limit) => Prisma.sql`
      SELECT q.id::text AS id, ${epochMs(`q."createdAt"`)}, q.reference, q.status::text AS status, op.name AS opportunity_name
      FROM "Opportunity" op JOIN "Quote" q ON q."opportunityId" = op.id
      WHERE op."organisationId" = ${org} ${filter} ORDER BY q."createdAt" DESC, q.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "QUOTE", at: r.at, title: `Quote ${r.reference ?? ""} ${r.status}`.replace(/\s+/g, " "),
    summary: r.opportunity_name, actorId: null, subjectType: "Quote", subjectId: r.id,
  }),
});
