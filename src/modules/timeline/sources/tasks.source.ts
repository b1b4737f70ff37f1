import { Prisma } from "../../../db/generated/client.js";
import { epochMs, timelineSource, shorten, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { kind: string; title: string; description: string | null; actor_id: string | null }

export const tasksSource = timelineSource<Row>({
  kinds: ["TASK"],
  shows: { type: "Task", fields: ["kind", "title", "description"] },
  rows: { entity: "tasks", alias: "t" },
  at: `t."createdAt"`,
  id: "t.id",
  select: (org, filter, limit) => Prisma.sql`
      SELECT t.id::text AS id, ${epochMs(`t."createdAt"`)}, t.kind::text AS kind, t.title, t.description,
             coalesce(t."createdById", t."assigneeId")::text AS actor_id
      FROM "Task" t WHERE t."organisationId" = ${org} ${filter} ORDER BY t."createdAt" DESC, t.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "TASK", at: r.at, title: `Task ${r.kind}: ${r.title}`, summary: shorten(r.description),
    actorId: r.actor_id, subjectType: "Task", subjectId: r.id,
  }),
});
