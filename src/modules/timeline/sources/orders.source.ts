import { Prisma } from "../../../db/generated/client.js";
import { epochMs, perOrganisation, seesOrders, type TimelineRow, type TimelineSource } from "../timeline.source.js";

interface Row extends TimelineRow { external_id: string }

export const ordersSource: TimelineSource = {
  kinds: ["ORDER"],
  visibleTo: seesOrders,
  async fetch(ctx, organisationIds, take, before) {
    const rows = await perOrganisation<Row>(ctx, organisationIds, take, `o2."orderedAt"`, "o2.id", before, (org, cursor, limit) => Prisma.sql`
      SELECT o2.id::text AS id, ${epochMs(`o2."orderedAt"`)}, o2."externalId" AS external_id
      FROM "Order" o2 WHERE o2."organisationId" = ${org} ${cursor} ORDER BY o2."orderedAt" DESC, o2.id DESC ${limit}`);
    return rows.map((r) => ({
      id: r.id, organisationId: r.organisation_id, kind: "ORDER", at: r.at, title: `Order ${r.external_id}`, summary: null,
      actorId: null, subjectType: "Order", subjectId: r.id,
    }));
  },
};
