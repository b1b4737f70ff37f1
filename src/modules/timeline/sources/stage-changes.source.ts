import { Prisma } from "../../../db/generated/client.js";
import { epochMs, timelineSource, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { opportunity_id: string; opportunity_name: string; from_stage_id: string | null; changed_by_id: string | null }

export const stageChangesSource = timelineSource<Row>({
  kinds: ["OPPORTUNITY_STAGE_CHANGE"],
  shows: { type: "Opportunity", fields: ["name", "stageHistory"] },
  rows: { entity: "opportunities", alias: "op" },
  at: "s.at",
  id: "s.id",
  select: (org, filter, limit) => Prisma.sql`
      SELECT s.id::text AS id, ${epochMs("s.at")}, op.id::text AS opportunity_id, op.name AS opportunity_name,
             s."fromStageId"::text AS from_stage_id, s."changedById"::text AS changed_by_id
      FROM "Opportunity" op JOIN "OpportunityStageChange" s ON s."opportunityId" = op.id
      WHERE op."organisationId" = ${org} ${filter} ORDER BY s.at DESC, s.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "OPPORTUNITY_STAGE_CHANGE", at: r.at,
    title: r.from_stage_id ? "Opportunity moved to a new stage" : "Opportunity identified",
    summary: r.opportunity_name, actorId: r.changed_by_id, subjectType: "Opportunity", subjectId: r.opportunity_id,
  }),
});
