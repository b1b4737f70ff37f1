import { Prisma } from "../../../db/generated/client.js";
import { epochMs, everyoneWhoSeesTheOrganisation, perOrganisation, shorten, type TimelineRow, type TimelineSource } from "../timeline.source.js";

interface Row extends TimelineRow { kind: string; title: string; description: string | null; actor_id: string | null }

export const tasksSource: TimelineSource = {
  kinds: ["TASK"],
  visibleTo: everyoneWhoSeesTheOrganisation,
  async fetch(ctx, organisationIds, take, before) {
    const rows = await perOrganisation<Row>(ctx, organisationIds, take, `t."createdAt"`, "t.id", before, (org, cursor, limit) => Prisma.sql`
      SELECT t.id::text AS id, ${epochMs(`t."createdAt"`)}, t.kind::text AS kind, t.title, t.description,
             coalesce(t."createdById", t."assigneeId")::text AS actor_id
      FROM "Task" t WHERE t."organisationId" = ${org} ${cursor} ORDER BY t."createdAt" DESC, t.id DESC ${limit}`);
    return rows.map((r) => ({
      id: r.id, organisationId: r.organisation_id, kind: "TASK", at: r.at, title: `Task ${r.kind}: ${r.title}`, summary: shorten(r.description),
      actorId: r.actor_id, subjectType: "Task", subjectId: r.id,
    }));
  },
};
