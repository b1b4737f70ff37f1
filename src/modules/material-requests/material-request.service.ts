// Material requests: filed by a visit report (the visits module calls createMaterialRequestsInTransaction),
// decided by the rep's manager or head office, shipped, delivered. Each move is checked against MOVES
// (anything else is BAD_USER_INPUT), versioned and audited through applyVersionedChange.
import { z } from "zod";
import { isTokenViewer, isUserViewer, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import type { MaterialRequestStatus } from "../../db/generated/enums.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { badInput, forbidden, notFound } from "../../errors/api-errors.js";
import { expectGlobalId, lazyConnection, pageWindow, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { prismaDirection } from "../../graphql/sorting.js";
import { validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { materialRequestById, materialRequestsByVisit } from "./material-request.loaders.js";
import { materialRequestScope } from "./material-request.scope.js";
import {
  MaterialRequestDecision,
  MaterialRequestOrderField,
  type DecideMaterialRequestInput,
  type MarkMaterialRequestDeliveredInput,
  type MarkMaterialRequestShippedInput,
  type MaterialItem,
  type MaterialRequestDraft,
  type MaterialRequestFilter,
  type MaterialRequestOrder,
  type MaterialRequestRow,
} from "./material-request.type.js";

type Tx = Prisma.TransactionClient;

const Items = z
  .array(z.object({ item: z.string().trim().min(1, "must not be empty").max(200), quantity: z.number().int().min(1, "must be between 1 and 10000").max(10_000, "must be between 1 and 10000") }))
  .min(1, "must hold 1 to 50 items")
  .max(50, "must hold 1 to 50 items");

/** Creates REQUESTED material requests (1–50 items, quantities 1–10 000), audited; the caller checked the scope. */
export async function createMaterialRequestsInTransaction(tx: Tx, viewer: Viewer, drafts: MaterialRequestDraft[]): Promise<MaterialRequestRow[]> {
  const rows: MaterialRequestRow[] = [];
  for (const draft of drafts) {
    const items = validate(z.object({ items: Items }), { items: draft.items }).items;
    const request = await tx.materialRequest.create({
      data: {
        visitId: draft.visitId ?? null,
        organisationId: draft.organisationId,
        repId: draft.repId,
        items,
        requestedById: isUserViewer(viewer) ? viewer.userId : viewer.issuedById,
        requestedByTokenJti: isTokenViewer(viewer) ? viewer.jti : null,
      },
    });
    await recordAudit(tx, viewer, { entity: "MaterialRequest", entityId: request.id, action: "create", after: request });
    rows.push(request);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------------

const ORDER_COLUMN: Record<MaterialRequestOrderField, "createdAt" | "updatedAt"> = { CREATED_AT: "createdAt", UPDATED_AT: "updatedAt" };

export function listMaterialRequests(
  ctx: AuthedContext,
  filter: MaterialRequestFilter | null | undefined,
  order: MaterialRequestOrder | null | undefined,
  pageArgs: PageArgs,
): Connection<MaterialRequestRow> {
  const page = readPage(pageArgs);
  const and: Prisma.MaterialRequestWhereInput[] = [materialRequestScope(ctx.viewer, ctx.today)];
  if (filter?.status?.length) and.push({ status: { in: filter.status } });
  if (filter?.organisation) and.push({ organisationId: expectGlobalId(filter.organisation, "Organisation") });
  if (filter?.visit) and.push({ visitId: expectGlobalId(filter.visit, "Visit") });
  if (filter?.requestedBy) and.push({ requestedById: expectGlobalId(filter.requestedBy, "User") });
  if (filter?.rep) and.push({ repId: expectGlobalId(filter.rep, "User") });
  if (filter?.updatedAfter) and.push({ updatedAt: { gt: filter.updatedAfter } });
  const where = { AND: and };
  // Default: the newest first
  const direction = order ? prismaDirection(order.direction) : "desc";
  const column = ORDER_COLUMN[order?.field ?? MaterialRequestOrderField.CREATED_AT];
  return lazyConnection(
    () => ctx.db.materialRequest.findMany({ where, orderBy: [{ [column]: direction }, { id: direction }], ...pageWindow(page) }),
    page,
    () => ctx.db.materialRequest.count({ where }),
  );
}

export async function getMaterialRequest(ctx: AuthedContext, globalId: string): Promise<MaterialRequestRow> {
  const request = await ctx.loaders.get(materialRequestById).load(expectGlobalId(globalId, "MaterialRequest"));
  if (!request) throw notFound("MaterialRequest");
  return request;
}

export const materialRequestsOfVisit = (ctx: RequestContext, visitId: string) => ctx.loaders.get(materialRequestsByVisit).load(visitId);

/** The stored items ([{ item, quantity }]); JSON read by raw SQL may arrive as text. */
export function itemsOf(value: unknown): MaterialItem[] {
  const list = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(list)) return [];
  return list.map((entry) => {
    const { item, quantity } = (entry ?? {}) as { item?: unknown; quantity?: unknown };
    return { item: String(item ?? ""), quantity: Number(quantity ?? 0) };
  });
}

// ---------------------------------------------------------------------------------------------------
// Moves
// ---------------------------------------------------------------------------------------------------

/** The only moves of a request: from each status, the statuses it may go to. */
const MOVES: Record<MaterialRequestStatus, readonly MaterialRequestStatus[]> = {
  REQUESTED: ["APPROVED", "REFUSED"],
  APPROVED: ["SHIPPED"],
  SHIPPED: ["DELIVERED"],
  DELIVERED: [],
  REFUSED: [],
};

/** Deciding and shipping are for the rep's manager or head office; delivery is confirmed by whoever sees it. */
const FOR_MANAGEMENT: ReadonlySet<MaterialRequestStatus> = new Set(["APPROVED", "REFUSED", "SHIPPED"]);

function moveMaterialRequest(
  ctx: AuthedContext,
  input: { id: string; version: number },
  action: string,
  to: MaterialRequestStatus,
  data: Prisma.MaterialRequestUncheckedUpdateManyInput,
): Promise<MaterialRequestRow> {
  const id = expectGlobalId(input.id, "MaterialRequest");
  return ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: "MaterialRequest",
      action,
      version: input.version,
      find: (db) => db.materialRequest.findFirst({ where: { id, ...materialRequestScope(ctx.viewer, ctx.today) } }),
      change: (before) => {
        // who decides on a request and ships it: head office, or the manager of the rep it is for
        if (FOR_MANAGEMENT.has(to) && !ctx.scope.mayManage(before.repId)) throw forbidden("Only the rep's manager or head office decide on and ship material requests");
        if (!MOVES[before.status].includes(to)) {
          throw badInput(`A ${before.status} material request cannot become ${to}`, { status: before.status, allowed: MOVES[before.status] });
        }
        return { ...data, status: to };
      },
      table: (db) => db.materialRequest,
    }),
  );
}

export function decideMaterialRequest(ctx: AuthedContext, input: DecideMaterialRequestInput): Promise<MaterialRequestRow> {
  const { reason } = validate(z.object({ reason: z.string().trim().max(1000).nullish() }), { reason: input.reason });
  const refused = input.decision === MaterialRequestDecision.REFUSED;
  if (refused && !reason) throw badInput("A refusal needs a reason", { fields: [{ field: "reason" }] });
  return moveMaterialRequest(ctx, input, refused ? "refuse" : "approve", refused ? "REFUSED" : "APPROVED", {
    decisionReason: reason || null,
    decidedById: isUserViewer(ctx.viewer) ? ctx.viewer.userId : null,
    decidedAt: ctx.now,
  });
}

export const markMaterialRequestShipped = (ctx: AuthedContext, input: MarkMaterialRequestShippedInput) =>
  moveMaterialRequest(ctx, input, "ship", "SHIPPED", { shippedAt: ctx.now });

export const markMaterialRequestDelivered = (ctx: AuthedContext, input: MarkMaterialRequestDeliveredInput) =>
  moveMaterialRequest(ctx, input, "deliver", "DELIVERED", { deliveredAt: ctx.now });
