import { Prisma } from "../../../db/generated/client.js";
import { epochMs, timelineSource, type TimelineRow } from "../timeline.source.js";

interface Row extends TimelineRow { external_id: string }

export const ordersSource = timelineSource<Row>({
  kinds: ["ORDER"],
  shows: { type: "Order", fields: ["externalId"] },
  rows: { entity: "orders", alias: "o2" },
  at: `o2."orderedAt"`,
  id: "o2.id",
  select: (org, filter, limit) => Prisma.sql`
      SELECT o2.id::text AS id, ${epochMs(`o2."orderedAt"`)}, o2."externalId" AS external_id
      FROM "Order" o2 WHERE o2."organisationId" = ${org} ${filter} ORDER BY o2."orderedAt" DESC, o2.id DESC ${limit}`,
  toEntry: (r) => ({
    id: r.id, organisationId: r.organisation_id, kind: "ORDER", at: r.at, title: `Order ${r.external_id}`, summary: null,
    actorId: null, subjectType: "Order", subjectId: r.id,
  }),
});
