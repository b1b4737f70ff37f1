// The brief of a visit: what the rest of the company knows about the customer, assembled before the visit.
// Each part is ONE statement for all the visits of a request (a DataLoader batch), run in parallel: the
// number of statements does not depend on the number of visits, incidents, orders or tasks.
// Partner tokens get no amounts (null) and no orders; opportunities and quotes only with opportunities:read.
import { notBinned } from "../../auth/row-scope.js";
import DataLoader from "dataloader";
import { Prisma } from "../../db/generated/client.js";
import type { RequestContext } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/relay.js";
import type { MaterialRequestRow } from "../material-requests/material-request.type.js";
import { announcementInForce, announcementTargets } from "../announcements/announcement.targeting.js";
import { mayReadOpportunities } from "../pipeline/opportunity.scope.js";
import { weightedAmount } from "../pipeline/weighted-amount.js";
import type { TaskRow } from "../tasks/task.type.js";
import type { BriefAnnouncement, BriefIncident, BriefLastReport, BriefOpportunity, BriefOrder, BriefQuote, VisitBrief, VisitRow } from "./visit.type.js";

export const BRIEF_LIST_LIMIT = 50;
export const RECENT_ORDERS = 10;
export const RECENT_INCIDENT_DAYS = 30;

type Keyed<T> = T & { visitId: string };

/** The batch as a derived table k("visitId", "organisationId", "requestId", "at"). */
function keysOf(visits: readonly VisitRow[]): Prisma.Sql {
  const ids = visits.map((v) => v.id);
  const organisations = visits.map((v) => v.organisationId ?? "");
  const requests = visits.map((v) => v.requestId ?? "");
  const at = visits.map((v) => v.plannedAt.toISOString());
  return Prisma.sql`(SELECT u.v AS "visitId", NULLIF(u.o, '')::uuid AS "organisationId", NULLIF(u.r, '')::uuid AS "requestId", u.a::timestamp AS "at"
    FROM unnest(${ids}::uuid[], ${organisations}::text[], ${requests}::text[], ${at}::text[]) AS u(v, o, r, a)) k`;
}

const money = (value: unknown): Prisma.Decimal | null => (value === null || value === undefined ? null : new Prisma.Decimal(String(value)));

function incidents(ctx: RequestContext, k: Prisma.Sql) {
  return ctx.db.$queryRaw<Keyed<BriefIncident>[]>`
    SELECT k."visitId", i."id", i."kind"::text AS kind, i."status"::text AS status, i."summary", i."department", i."openedAt", i."resolvedAt"
    FROM ${k} JOIN LATERAL (
      SELECT * FROM "Incident" i WHERE i."organisationId" = k."organisationId"
        AND (i."status" = 'OPEN' OR i."openedAt" >= k."at" - make_interval(days => ${RECENT_INCIDENT_DAYS}::int))
      ORDER BY (i."status" = 'OPEN') DESC, i."openedAt" DESC, i."id" LIMIT ${BRIEF_LIST_LIMIT}
    ) i ON TRUE`;
}

/** Announcements in force on the visit date whose targeting matches the organisation (one definition: announcements module). */
function announcements(ctx: RequestContext, k: Prisma.Sql) {
  return ctx.db.$queryRaw<Keyed<BriefAnnouncement>[]>`
    SELECT k."visitId", a."id", a."kind"::text AS kind, a."title", a."body", a."validFrom", a."validTo"
    FROM ${k} JOIN "Organisation" org ON org."id" = k."organisationId"
    JOIN LATERAL (
      SELECT * FROM "Announcement" a
      WHERE ${announcementInForce("a", Prisma.sql`k."at"::date`)} AND ${announcementTargets("a", "org")}
      ORDER BY a."validFrom" DESC, a."id" LIMIT ${BRIEF_LIST_LIMIT}
    ) a ON TRUE`;
}

interface OpportunityRaw { visitId: string; id: string; name: string; stage: string; probability: number; amount: unknown; expectedCloseDate: Date | null }

function opportunities(ctx: RequestContext, k: Prisma.Sql) {
  return ctx.db.$queryRaw<OpportunityRaw[]>`
    SELECT k."visitId", op."id", op."name", op."stage", op."probability", op."amount", op."expectedCloseDate"
    FROM ${k} JOIN LATERAL (
      SELECT o."id", o."name", st."name" AS stage, o."probability", o."amount", o."expectedCloseDate"
      FROM "Opportunity" o JOIN "PipelineStage" st ON st."id" = o."stageId"
      WHERE o."organisationId" = k."organisationId" AND ${notBinned("o")} AND o."status" = 'OPEN'
      ORDER BY o."expectedCloseDate" NULLS LAST, o."id" LIMIT ${BRIEF_LIST_LIMIT}
    ) op ON TRUE`;
}

interface QuoteRaw { visitId: string; id: string; reference: string | null; opportunityName: string; amount: unknown; sentAt: Date | null; followUpDate: Date | null; validUntil: Date | null }

/** Sent quotes whose follow-up date has come by the visit date (today for a late visit) and still valid then. */
function quotes(ctx: RequestContext, k: Prisma.Sql) {
  const by = Prisma.sql`GREATEST(k."at"::date, ${ctx.today}::date)`;
  return ctx.db.$queryRaw<QuoteRaw[]>`
    SELECT k."visitId", q."id", q."reference", q."opportunityName", q."amount", q."sentAt", q."followUpDate", q."validUntil"
    FROM ${k} JOIN LATERAL (
      SELECT qu."id", qu."reference", o."name" AS "opportunityName", qu."amount", qu."sentAt", qu."followUpDate", qu."validUntil"
      FROM "Quote" qu JOIN "Opportunity" o ON o."id" = qu."opportunityId"
      WHERE o."organisationId" = k."organisationId" AND ${notBinned("o")} AND ${notBinned("qu")} AND qu."status" = 'SENT' AND qu."followUpDate" <= ${by}
        AND (qu."validUntil" IS NULL OR qu."validUntil" >= ${by})
      ORDER BY qu."followUpDate", qu."id" LIMIT ${BRIEF_LIST_LIMIT}
    ) q ON TRUE`;
}

/** The previous done visit of the same organisation (or, before approval, of the same request). */
function lastReports(ctx: RequestContext, k: Prisma.Sql) {
  return ctx.db.$queryRaw<Keyed<BriefLastReport>[]>`
    SELECT k."visitId", p."id" AS "lastId", p."plannedAt" AS "visitedAt", p."outcome", p."reportNotes" AS notes, p."nextSteps"
    FROM ${k} JOIN LATERAL (
      SELECT v."id", v."plannedAt", v."outcome", v."reportNotes", v."nextSteps" FROM "Visit" v
      WHERE ${notBinned("v")} AND v."status" = 'DONE' AND v."id" <> k."visitId" AND v."plannedAt" <= k."at"
        AND (v."organisationId" = k."organisationId" OR (k."organisationId" IS NULL AND v."requestId" = k."requestId"))
      ORDER BY v."plannedAt" DESC, v."id" DESC LIMIT 1
    ) p ON TRUE`;
}

// Whole Task and MaterialRequest rows (the brief shows the entities themselves); `briefOf` is the visit
// whose brief the row belongs to (the rows have a visitId column of their own).
type TaskRaw = TaskRow & { briefOf: string; assigneeName: string | null };

function openTasks(ctx: RequestContext, k: Prisma.Sql) {
  return ctx.db.$queryRaw<TaskRaw[]>`
    SELECT k."visitId" AS "briefOf", t.*
    FROM ${k} JOIN LATERAL (
      SELECT ta.*, u."name" AS "assigneeName"
      FROM "Task" ta LEFT JOIN "User" u ON u."id" = ta."assigneeId"
      WHERE ${notBinned("ta")} AND ta."status" = 'OPEN' AND (ta."organisationId" = k."organisationId" OR (k."organisationId" IS NULL AND ta."requestId" = k."requestId"))
      ORDER BY ta."dueDate" NULLS LAST, ta."createdAt", ta."id" LIMIT ${BRIEF_LIST_LIMIT}
    ) t ON TRUE`;
}

interface OrderRaw { visitId: string; id: string; externalId: string; orderedAt: Date; amount: unknown; deliveryDate: Date | null; deliveredAt: Date | null }

function recentOrders(ctx: RequestContext, k: Prisma.Sql) {
  return ctx.db.$queryRaw<OrderRaw[]>`
    SELECT k."visitId", o."id", o."externalId", o."orderedAt", o."amount", o."deliveryDate", o."deliveredAt"
    FROM ${k} JOIN LATERAL (
      SELECT * FROM "Order" o WHERE o."organisationId" = k."organisationId"
      ORDER BY o."orderedAt" DESC, o."id" DESC LIMIT ${RECENT_ORDERS}
    ) o ON TRUE`;
}

type MaterialRaw = MaterialRequestRow & { briefOf: string };

function pendingMaterialRequests(ctx: RequestContext, k: Prisma.Sql) {
  return ctx.db.$queryRaw<MaterialRaw[]>`
    SELECT k."visitId" AS "briefOf", m.*
    FROM ${k} JOIN LATERAL (
      SELECT * FROM "MaterialRequest" m WHERE m."organisationId" = k."organisationId" AND m."status" IN ('REQUESTED', 'APPROVED', 'SHIPPED')
      ORDER BY m."createdAt" DESC, m."id" LIMIT ${BRIEF_LIST_LIMIT}
    ) m ON TRUE`;
}

const none = <T>(): Promise<T[]> => Promise.resolve([]);

function grouped<T extends { visitId: string }>(visits: readonly VisitRow[], rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>(visits.map((v) => [v.id, []]));
  for (const row of rows) map.get(row.visitId)?.push(row);
  return map;
}

/** Briefs of every visit of the batch (the visits were read through the viewer's scope). */
export const briefByVisit = (ctx: RequestContext) =>
  new DataLoader<VisitRow, VisitBrief, string>(
    async (visits) => {
      const viewer = ctx.viewer;
      const partner = viewer?.kind === "PARTNER";
      const commercial = viewer !== null && mayReadOpportunities(viewer);
      const k = keysOf(visits);
      const [inc, ann, opp, quo, last, tasks, orders, materials] = await Promise.all([
        incidents(ctx, k),
        announcements(ctx, k),
        commercial ? opportunities(ctx, k) : none<OpportunityRaw>(),
        commercial ? quotes(ctx, k) : none<QuoteRaw>(),
        lastReports(ctx, k),
        openTasks(ctx, k),
        commercial && !partner ? recentOrders(ctx, k) : none<OrderRaw>(),
        pendingMaterialRequests(ctx, k),
      ]);
      const byVisit = {
        incidents: grouped(visits, inc),
        announcements: grouped(visits, ann),
        opportunities: grouped(visits, opp),
        quotes: grouped(visits, quo),
        last: grouped(visits, last as (Keyed<BriefLastReport> & { lastId: string })[]),
        tasks: grouped(visits, tasks.map(({ briefOf, assigneeName, ...task }) => ({ visitId: briefOf, assigneeName, task }))),
        orders: grouped(visits, orders),
        materials: grouped(visits, materials.map(({ briefOf, ...request }) => ({ visitId: briefOf, request }))),
      };
      return visits.map((visit): VisitBrief => {
        const lastRow = byVisit.last.get(visit.id)?.[0];
        return {
          incidents: byVisit.incidents.get(visit.id)!.map(({ visitId: _v, ...row }) => ({ ...row, id: toGlobalId("Incident", row.id) })),
          announcements: byVisit.announcements.get(visit.id)!.map(({ visitId: _v, ...row }) => ({ ...row, id: toGlobalId("Announcement", row.id) })),
          opportunities: byVisit.opportunities.get(visit.id)!.map((row): BriefOpportunity => {
            const amount = partner ? null : money(row.amount);
            return {
              id: toGlobalId("Opportunity", row.id),
              name: row.name,
              stage: row.stage,
              probability: row.probability,
              amount,
              weightedAmount: amount ? weightedAmount(amount, row.probability) : null,
              expectedCloseDate: row.expectedCloseDate,
            };
          }),
          quotesToChase: byVisit.quotes.get(visit.id)!.map(
            (row): BriefQuote => ({
              id: toGlobalId("Quote", row.id),
              reference: row.reference,
              opportunityName: row.opportunityName,
              amount: partner ? null : money(row.amount),
              sentAt: row.sentAt,
              followUpDate: row.followUpDate,
              validUntil: row.validUntil,
            }),
          ),
          lastReport: lastRow
            ? { visitId: toGlobalId("Visit", lastRow.lastId), visitedAt: lastRow.visitedAt, outcome: lastRow.outcome, notes: lastRow.notes, nextSteps: lastRow.nextSteps }
            : null,
          openTasks: byVisit.tasks.get(visit.id)!.map(({ task, assigneeName }) => ({
            id: toGlobalId("Task", task.id),
            kind: task.kind,
            title: task.title,
            dueDate: task.dueDate,
            assignee: assigneeName,
          })),
          tasks: byVisit.tasks.get(visit.id)!.map(({ task }) => task),
          recentOrders: byVisit.orders.get(visit.id)!.map(
            (row): BriefOrder => ({
              id: toGlobalId("Order", row.id),
              externalId: row.externalId,
              orderedAt: row.orderedAt,
              amount: money(row.amount)!,
              deliveryDate: row.deliveryDate,
              deliveredAt: row.deliveredAt,
            }),
          ),
          pendingMaterialRequests: byVisit.materials.get(visit.id)!.map(({ request }) => request),
        };
      });
    },
    { cacheKeyFn: (visit) => visit.id },
  );

export const briefOf = (ctx: RequestContext, visit: VisitRow) => ctx.loaders.get(briefByVisit).load(visit);
