// Visits: one record from planning to report. Reads go through the viewer's scope; writes are validated,
// versioned (CONFLICT when stale), audited, and create their tasks and material requests in the same
// transaction. The report is the preparation pre-filled (reportOf): a client sends only what changed.
import { z } from "zod";
import { assignmentInForce, organisationScope } from "../../auth/row-scope.js";
import { isUserViewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { badInput, forbidden, notFound } from "../../errors/api-errors.js";
import { filterTreeCondition } from "../../graphql/filter-tree.js";
import { CustomFieldEntity, type VisitStatus } from "../../db/generated/enums.js";
import { customFieldFilterOf, prepareCustomFieldWrite } from "../custom-fields/custom-field.service.js";
import { expectGlobalId, lazyConnection, pageOfList, pageWindow, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { listOrder, type OrderColumn } from "../../graphql/sorting.js";
import { validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { createMaterialRequestsInTransaction } from "../material-requests/material-request.service.js";
import type { MaterialRequestDraft, MaterialRequestRow } from "../material-requests/material-request.type.js";
import { requestScope } from "../organisation-requests/organisation-request.scope.js";
import { createTasksInTransaction, TaskList } from "../tasks/task.service.js";
import type { TaskDraft, TaskRow } from "../tasks/task.type.js";
import { visitById, visitsByOrganisation } from "./visit.loaders.js";
import { mayWriteVisits, visitScope } from "./visit.scope.js";
import { and, compare, idIs, not, NULLABLE, oneOf, toWhere, type Condition } from "../../auth/scope/condition.js";
import {
  VisitOrderField,
  type CancelVisitInput,
  type PlanVisitInput,
  type PrepareVisitInput,
  type ReportVisitInput,
  type RescheduleVisitInput,
  type VisitFilter,
  type VisitOrder,
  type VisitReportValues,
  type VisitRow,
} from "./visit.type.js";

type Tx = Prisma.TransactionClient;

const OPEN_STATUSES: VisitStatus[] = ["PLANNED", "PREPARED"];
const text = (max: number) => z.string().trim().max(max).nullish();
const PreparationFields = z.object({ objectives: text(4000), agenda: text(4000), notes: text(8000), tasks: TaskList.nullish() });
const ReportFields = z.object({
  outcome: text(4000),
  notes: text(8000),
  nextSteps: text(4000),
  durationMinutes: z.number().int().min(0, "must be between 0 and 1440").max(1440, "must be between 0 and 1440").nullish(),
  followUpTasks: TaskList.nullish(),
});
const PlanFields = z.object({ plannedAt: z.date(), cancelReason: text(1000) });

// ---------------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------------

const ORDER_COLUMNS: Record<VisitOrderField, OrderColumn> = {
  PLANNED_AT: { column: "plannedAt" },
  CREATED_AT: { column: "createdAt" },
  UPDATED_AT: { column: "updatedAt" },
};

/** Planned or prepared, and planned before today: the visit did not happen when it should have. */
/** Late: still open and planned before today. */
const lateCondition = (today: Date): Condition => and(oneOf("status", OPEN_STATUSES), compare("plannedAt", "lt", today));

/** One filter node's own conditions (AND / OR / NOT are composed by filterTreeCondition). */
function nodeConditions(ctx: AuthedContext, filter: VisitFilter, custom: (node: VisitFilter) => Condition[]): Condition[] {
  const conditions = custom(filter);
  if (filter.rep) conditions.push(idIs("repId", expectGlobalId(filter.rep, "User")));
  if (filter.organisation) conditions.push(compare("organisationId", "equals", expectGlobalId(filter.organisation, "Organisation"), NULLABLE));
  if (filter.status?.length) conditions.push(oneOf("status", filter.status));
  if (filter.from) conditions.push(compare("plannedAt", "gte", filter.from));
  if (filter.to) conditions.push(compare("plannedAt", "lt", filter.to));
  if (filter.late != null) conditions.push(filter.late ? lateCondition(ctx.today) : not(lateCondition(ctx.today)));
  if (filter.updatedAfter) conditions.push(compare("updatedAt", "gt", filter.updatedAfter));
  return conditions;
}

/** THE meaning of a visit filter (the list reads it as a Prisma `where`, the aggregates as SQL); the scope is the caller's. */
export async function visitFilterCondition(ctx: AuthedContext, filter: VisitFilter | null | undefined): Promise<Condition> {
  const custom = await customFieldFilterOf<VisitFilter>(ctx, CustomFieldEntity.VISIT, filter);
  return filterTreeCondition(filter, (node) => nodeConditions(ctx, node, custom));
}

export async function listVisits(
  ctx: AuthedContext,
  filter: VisitFilter | null | undefined,
  order: readonly VisitOrder[] | null | undefined,
  pageArgs: PageArgs,
): Promise<Connection<VisitRow>> {
  const filtered = await visitFilterCondition(ctx, filter);
  const { orderBy, signature } = listOrder<VisitOrderField, Prisma.VisitOrderByWithRelationInput>(order, ORDER_COLUMNS, { field: VisitOrderField.PLANNED_AT });
  const page = readPage(pageArgs, signature);
  const where: Prisma.VisitWhereInput = { AND: [visitScope(ctx.viewer, ctx.today), toWhere<Prisma.VisitWhereInput>(filtered)] };
  const rows = async () => {
    const list = await ctx.db.visit.findMany({
      where,
      orderBy,
      ...pageWindow(page),
    });
    const byId = ctx.loaders.get(visitById);
    for (const row of list) byId.prime(row.id, row);
    return list;
  };
  return lazyConnection(rows, page, () => ctx.db.visit.count({ where }));
}

export const listLateVisits = (ctx: AuthedContext, pageArgs: PageArgs) => listVisits(ctx, { late: true }, null, pageArgs);

export async function getVisit(ctx: AuthedContext, globalId: string): Promise<VisitRow> {
  const visit = await ctx.loaders.get(visitById).load(expectGlobalId(globalId, "Visit"));
  if (!visit) throw notFound("Visit");
  return visit;
}

export const loadVisit = (ctx: RequestContext, id: string | null) => (id ? ctx.loaders.get(visitById).load(id) : null);

export async function visitsOfOrganisation(ctx: RequestContext, organisationId: string, pageArgs: PageArgs) {
  const page = readPage(pageArgs);
  return pageOfList(await ctx.loaders.get(visitsByOrganisation).load(organisationId), page);
}

const joinNotes = (...parts: (string | null)[]) => parts.filter((part) => part && part.trim()).join("\n\n") || null;

/**
 * The report as it stands: once DONE, what was reported; before, the draft pre-filled from the preparation
 * (outcome ← objectives, notes ← agenda + preparation notes, contacts met ← contacts to meet).
 */
export function reportOf(visit: VisitRow): VisitReportValues {
  if (visit.status === "DONE") {
    return {
      visit,
      isDraft: false,
      outcome: visit.outcome,
      notes: visit.reportNotes,
      nextSteps: visit.nextSteps,
      durationMinutes: visit.durationMinutes,
      contactIdsMet: visit.contactIdsMet,
    };
  }
  return {
    visit,
    isDraft: true,
    outcome: visit.outcome ?? visit.objectives,
    notes: visit.reportNotes ?? joinNotes(visit.agenda, visit.preparationNotes),
    nextSteps: visit.nextSteps,
    durationMinutes: visit.durationMinutes,
    contactIdsMet: visit.contactIdsMet.length ? visit.contactIdsMet : visit.contactIdsToMeet,
  };
}

// ---------------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------------

function requireWriter(ctx: AuthedContext) {
  // The rules refuse head office, stewards and services already; the service holds the same line.
  if (!mayWriteVisits(ctx.viewer)) throw forbidden("Only reps, managers and partners with visits:write change visits");
}

/** Contacts of the organisation, by global id (a visit on a pending request has no contacts yet). */
async function checkContacts(tx: Tx, organisationId: string | null, globalIds: readonly string[] | null | undefined, field: string): Promise<string[]> {
  if (!globalIds?.length) return [];
  const ids = [...new Set(globalIds.map((id) => expectGlobalId(id, "Contact")))];
  if (!organisationId) throw badInput("A visit on a pending request has no contacts to name", { fields: [{ field }] });
  const found = await tx.contact.count({ where: { id: { in: ids }, organisationId } });
  if (found !== ids.length) throw badInput("Contacts must belong to the visit's organisation", { fields: [{ field }] });
  return ids;
}

/** Who makes the visit: reps themselves; managers a rep of their team (default: the rep in charge);
 * partners cannot choose (the rep in charge, else the user who issued the token). */
async function resolveRep(ctx: AuthedContext, tx: Tx, organisationId: string | null, requesterId: string | null, repGlobalId: string | null | undefined) {
  const viewer = ctx.viewer;
  if (repGlobalId) {
    const repId = expectGlobalId(repGlobalId, "User");
    const rep = ctx.scope.mayAssignTo(repId) ? await tx.user.findFirst({ where: { id: repId, active: true }, select: { id: true } }) : null;
    if (!rep) throw badInput("The rep must be yourself or a rep of your team", { fields: [{ field: "repId" }] });
    return repId;
  }
  if (viewer.kind === "REP") return viewer.userId;
  const inCharge = organisationId
    ? (await tx.organisationAssignment.findFirst({ where: { organisationId, ...assignmentInForce(ctx.today) }, orderBy: { validFrom: "desc" }, select: { repId: true } }))?.repId
    : requesterId;
  if (viewer.kind === "MANAGER") return inCharge && ctx.scope.mayActFor(inCharge) ? inCharge : viewer.userId;
  return inCharge ?? (isUserViewer(viewer) ? viewer.userId : viewer.issuedById);
}

export async function planVisit(ctx: AuthedContext, input: PlanVisitInput): Promise<VisitRow> {
  requireWriter(ctx);
  const { plannedAt } = validate(PlanFields, input);
  if (Boolean(input.organisationId) === Boolean(input.requestId)) {
    throw badInput("Give exactly one of organisationId and requestId", { fields: [{ field: "organisationId" }, { field: "requestId" }] });
  }
  const custom = await prepareCustomFieldWrite(ctx, CustomFieldEntity.VISIT, input.customFields, "create");
  return ctx.db.$transaction(async (tx) => {
    let organisationId: string | null = null;
    let requestId: string | null = null;
    let requesterId: string | null = null;
    if (input.organisationId) {
      organisationId = expectGlobalId(input.organisationId, "Organisation");
      const organisation = await tx.organisation.findFirst({ where: { id: organisationId, ...organisationScope(ctx.viewer, ctx.today) }, select: { id: true } });
      if (!organisation) throw notFound("Organisation");
    } else {
      requestId = expectGlobalId(input.requestId!, "OrganisationRequest");
      const request = await tx.organisationRequest.findFirst({ where: { id: requestId, ...requestScope(ctx.viewer) }, select: { status: true, requestedById: true } });
      if (!request) throw notFound("OrganisationRequest");
      if (request.status !== "PENDING") throw badInput("Only a pending request takes visits; plan it on the organisation", { fields: [{ field: "requestId" }] });
      requesterId = request.requestedById;
    }
    const contactIdsToMeet = await checkContacts(tx, organisationId, input.contactIdsToMeet, "contactIdsToMeet");
    const repId = await resolveRep(ctx, tx, organisationId, requesterId, input.repId);
    const visit = await tx.visit.create({
      data: {
        organisationId,
        requestId,
        repId,
        plannedAt,
        channel: input.channel ?? "ON_SITE",
        contactIdsToMeet,
        createdByTokenJti: isUserViewer(ctx.viewer) ? null : ctx.viewer.jti,
        createdAt: ctx.now,
        ...custom({}),
      },
    });
    await recordAudit(tx, ctx.viewer, { entity: "Visit", entityId: visit.id, action: "plan", after: visit });
    return visit;
  });
}

type VisitUpdate = Prisma.VisitUncheckedUpdateManyInput;
const noFollowUp = async (): Promise<undefined> => undefined;

/**
 * Reads the visit in scope, checks its status and version, applies the change guarded by the version and
 * audits it (applyVersionedChange); `followUp` then creates what the change brings (tasks, material
 * requests) in the same transaction.
 */
async function changeVisit<T>(
  ctx: AuthedContext,
  globalId: string,
  version: number,
  action: string,
  allowed: readonly VisitStatus[],
  change: (tx: Tx, before: VisitRow) => Promise<VisitUpdate>,
  followUp: (tx: Tx, after: VisitRow) => Promise<T>,
): Promise<{ visit: VisitRow; followUp: T }> {
  requireWriter(ctx);
  const id = expectGlobalId(globalId, "Visit");
  return ctx.db.$transaction(async (tx) => {
    const visit = await applyVersionedChange(tx, ctx.viewer, {
      entity: "Visit",
      action,
      version,
      find: (db) => db.visit.findFirst({ where: { id, ...visitScope(ctx.viewer, ctx.today) } }),
      table: (db) => db.visit,
      change: async (before, db): Promise<VisitUpdate> => {
        if (!allowed.includes(before.status)) throw badInput(`A ${before.status} visit cannot be changed by ${action}`, { status: before.status });
        return { ...(await change(db, before)), updatedAt: ctx.now };
      },
    });
    return { visit, followUp: await followUp(tx, visit) };
  });
}

function taskDrafts(visit: VisitRow, tasks: z.infer<typeof TaskList> | null | undefined): TaskDraft[] {
  return (tasks ?? []).map((task) => ({
    kind: task.kind,
    title: task.title,
    description: task.description ?? null,
    dueDate: task.dueDate ?? null,
    assigneeId: visit.repId,
    organisationId: visit.organisationId,
    requestId: visit.organisationId ? null : visit.requestId,
    visitId: visit.id,
  }));
}

export async function prepareVisit(ctx: AuthedContext, input: PrepareVisitInput): Promise<{ visit: VisitRow; tasks: TaskRow[] }> {
  const fields = validate(PreparationFields, { objectives: input.objectives, agenda: input.agenda, notes: input.notes, tasks: input.tasks });
  const result = await changeVisit(ctx, input.id, input.version, "prepare", OPEN_STATUSES, async (tx, before) => {
    const data: VisitUpdate = { status: "PREPARED", preparedAt: ctx.now };
    if (fields.objectives !== undefined) data.objectives = fields.objectives || null;
    if (fields.agenda !== undefined) data.agenda = fields.agenda || null;
    if (fields.notes !== undefined) data.preparationNotes = fields.notes || null;
    if (input.contactIdsToMeet) data.contactIdsToMeet = await checkContacts(tx, before.organisationId, input.contactIdsToMeet, "contactIdsToMeet");
    return data;
  }, (tx, after) => createTasksInTransaction(tx, ctx.viewer, taskDrafts(after, fields.tasks)));
  return { visit: result.visit, tasks: result.followUp };
}

export async function reportVisit(
  ctx: AuthedContext,
  input: ReportVisitInput,
): Promise<{ visit: VisitRow; followUpTasks: TaskRow[]; materialRequests: MaterialRequestRow[] }> {
  const fields = validate(ReportFields, {
    outcome: input.outcome,
    notes: input.notes,
    nextSteps: input.nextSteps,
    durationMinutes: input.durationMinutes,
    followUpTasks: input.followUpTasks,
  });
  const custom = await prepareCustomFieldWrite(ctx, CustomFieldEntity.VISIT, input.customFields, "update");
  const result = await changeVisit(ctx, input.id, input.version, "report", [...OPEN_STATUSES, "DONE"], async (tx, before) => {
    const draft = reportOf(before);
    // Sent = the client's value (null clears); not sent = the draft's value.
    const pick = <T>(sent: T | undefined, kept: T) => (sent === undefined ? kept : sent);
    const contactIdsMet =
      input.contactIdsMet === undefined || input.contactIdsMet === null
        ? draft.contactIdsMet
        : await checkContacts(tx, before.organisationId, input.contactIdsMet, "contactIdsMet");
    if (input.materialRequests?.length && !before.organisationId) {
      throw badInput("Material requests need an organisation: wait for the request's approval", { fields: [{ field: "materialRequests" }] });
    }
    return {
      status: "DONE",
      reportedAt: before.reportedAt ?? ctx.now,
      outcome: pick(fields.outcome, draft.outcome) || null,
      reportNotes: pick(fields.notes, draft.notes) || null,
      nextSteps: pick(fields.nextSteps, draft.nextSteps) || null,
      durationMinutes: pick(fields.durationMinutes, draft.durationMinutes) ?? null,
      contactIdsMet,
      ...custom(before.customFields),
    };
  }, async (tx, after) => {
    const followUpTasks = await createTasksInTransaction(tx, ctx.viewer, taskDrafts(after, fields.followUpTasks));
    const drafts: MaterialRequestDraft[] = (input.materialRequests ?? []).map((request) => ({
      visitId: after.id,
      organisationId: after.organisationId!,
      repId: after.repId,
      items: request.items.map((item) => ({ item: item.item, quantity: item.quantity })),
    }));
    const materialRequests = drafts.length ? await createMaterialRequestsInTransaction(tx, ctx.viewer, drafts) : [];
    return { followUpTasks, materialRequests };
  });
  return { visit: result.visit, ...result.followUp };
}

export async function cancelVisit(ctx: AuthedContext, input: CancelVisitInput): Promise<VisitRow> {
  const reason = input.reason.trim();
  if (!reason) throw badInput("A cancellation needs a reason", { fields: [{ field: "reason" }] });
  validate(PlanFields.pick({ cancelReason: true }), { cancelReason: reason });
  const { visit } = await changeVisit(ctx, input.id, input.version, "cancel", OPEN_STATUSES, async () => ({ status: "CANCELLED" as const, cancelledAt: ctx.now, cancelReason: reason }), noFollowUp);
  return visit;
}

export async function rescheduleVisit(ctx: AuthedContext, input: RescheduleVisitInput): Promise<VisitRow> {
  const { plannedAt } = validate(PlanFields.pick({ plannedAt: true }), input);
  const { visit } = await changeVisit(ctx, input.id, input.version, "reschedule", OPEN_STATUSES, async () => ({ plannedAt, ...(input.channel ? { channel: input.channel } : {}) }), noFollowUp);
  return visit;
}
