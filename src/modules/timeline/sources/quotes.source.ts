import { Prisma } from "../../../db/generated/client.js";
import { epochMs, perOrganisation, seesOpportunities, type TimelineRow, type TimelineSource } from "../timeline.source.js";

interface Row extends TimelineRow { reference: string | null; status: string; opportunity_name: string }

export const quotesSource: TimelineSource = {
  kinds: ["QUOTE"],
  visibleTo: seesOpportunities,
  async fetch(ctx, organisationIds, take, before) {
    const rows = await perOrganisation<Row>(ctx, organisationIds, take, `q."createdAt"`, "q.id", before, (org, cursor, limit) => Prisma.sql`
      SELECT q.id::text AS id, ${epochMs(`q."createdAt"`)}, q.reference, q.status::text AS status, op.name AS opportunity_name
      FROM "Opportunity" op JOIN "Quote" q ON q."opportunityId" = op.id
      WHERE op."organisationId" = ${org} ${cursor} ORDER BY q."createdAt" DESC, q.id DESC ${limit}`);
    return rows.map((r) => ({
      id: r.id, organisationId: r.organisation_id, kind: "QUOTE", at: r.at, title: `Quote ${r.reference ?? ""} ${r.status}`.replace(/\s+/g, " "),
      summary: r.opportunity_name, actorId: null, subjectType: "Quote", subjectId: r.id,
    }));
  },
};
