// Tasks: created on an organisation, a deal, a pending request, an action plan or for oneself (and by the
// visits module for a preparation or a report); updated, completed, cancelled and reopened with optimistic
// concurrency. Reads go through the viewer's scope (task.scope.ts): out of scope is NOT_FOUND.
import { z } from "zod";
import { organisationScope } from "../../auth/row-scope.js";
import type { RequestScope } from "../../auth/scope/request-scope.js";
import { isTokenViewer, isUserViewer, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import { TaskKind, type Role, type TaskStatus } from "../../db/generated/enums.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { filterTreeWhere } from "../../graphql/filter-tree.js";
import { expectGlobalId, lazyConnection, pageWindow, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { listOrder, NullsOrder, type OrderColumn } from "../../graphql/sorting.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { requestScope } from "../organisation-requests/organisation-request.scope.js";
import { opportunityScope } from "../pipeline/opportunity.scope.js";
import { taskById, tasksByVisit } from "./task.loaders.js";
import { actionPlanScope, taskScope } from "./task.scope.js";
import {
  TaskOrderField,
  type CancelTaskInput,
  type CompleteTaskInput,
  type CreateTaskInput,
  type ReopenTaskInput,
  type TaskDraft,
  type TaskFilter,
  type TaskOrder,
  type TaskRow,
  type UpdateTaskInput,
} from "./task.type.js";

type Tx = Prisma.TransactionClient;

export const MAX_TASKS_PER_CALL = 50;

/** What a task says: the one validation of a task's own fields (the visits module validates its tasks with it). */
export const TaskFields = z.object({
  kind: z.enum(TaskKind, { message: "must be a TaskKind" }),
  title: z.string().trim().min(1, "must not be empty").max(200),
  description: z.string().trim().max(4000).nullish(),
  dueDate: z.date().nullish(),
});
export const TaskList = z.array(TaskFields).max(MAX_TASKS_PER_CALL, `at most ${MAX_TASKS_PER_CALL} tasks at a time`);

const TaskDrafts = z.array(
  TaskFields.extend({
    assigneeId: z.uuid().nullish(),
    organisationId: z.uuid().nullish(),
    requestId: z.uuid().nullish(),
    opportunityId: z.uuid().nullish(),
    visitId: z.uuid().nullish(),
    actionPlanId: z.uuid().nullish(),
  }),
).max(MAX_TASKS_PER_CALL, `at most ${MAX_TASKS_PER_CALL} tasks at a time`);

/**
 * Creates tasks in the caller's transaction (the caller has checked that what they hang on is in scope).
 * A user's task without an assignee is theirs; a token's task records the token.
 */
export async function createTasksInTransaction(tx: Tx, viewer: Viewer, drafts: TaskDraft[]): Promise<TaskRow[]> {
  const valid = validate(TaskDrafts, drafts);
  const user = isUserViewer(viewer) ? viewer.userId : null;
  const tokenJti = isTokenViewer(viewer) ? viewer.jti : null;
  const tasks: TaskRow[] = [];
  for (const draft of valid) {
    const task = await tx.task.create({ data: { ...draft, description: draft.description || null, assigneeId: draft.assigneeId ?? user, createdById: user, tokenJti } });
    await recordAudit(tx, viewer, { entity: "Task", entityId: task.id, action: "create", after: task });
    tasks.push(task);
  }
  return tasks;
}

// ---------------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------------

const ORDER_COLUMNS: Record<TaskOrderField, OrderColumn> = {
  DUE_DATE: { column: "dueDate", nulls: NullsOrder.LAST },
  CREATED_AT: { column: "createdAt" },
  UPDATED_AT: { column: "updatedAt" },
};

/** One filter node's own conditions (AND / OR / NOT are composed by filterTreeWhere). */
function conditionsWhere(filter: TaskFilter): Prisma.TaskWhereInput[] {
  const where: Prisma.TaskWhereInput[] = [];
  if (filter.assignee) where.push({ assigneeId: { equals: expectGlobalId(filter.assignee, "User"), not: null } });
  if (filter.status?.length) where.push({ status: { in: filter.status } });
  if (filter.kind?.length) where.push({ kind: { in: filter.kind } });
  if (filter.dueBefore) where.push({ dueDate: { lte: filter.dueBefore, not: null } });
  if (filter.dueAfter) where.push({ dueDate: { gte: filter.dueAfter, not: null } });
  if (filter.organisation) where.push({ organisationId: { equals: expectGlobalId(filter.organisation, "Organisation"), not: null } });
  if (filter.opportunity) where.push({ opportunityId: { equals: expectGlobalId(filter.opportunity, "Opportunity"), not: null } });
  if (filter.visit) where.push({ visitId: { equals: expectGlobalId(filter.visit, "Visit"), not: null } });
  if (filter.actionPlan) where.push({ actionPlanId: { equals: expectGlobalId(filter.actionPlan, "ActionPlan"), not: null } });
  if (filter.updatedAfter) where.push({ updatedAt: { gt: filter.updatedAfter } });
  return where;
}

export function listTasks(ctx: AuthedContext, filter: TaskFilter | null | undefined, order: readonly TaskOrder[] | null | undefined, pageArgs: PageArgs): Connection<TaskRow> {
  const { orderBy, signature } = listOrder<TaskOrderField, Prisma.TaskOrderByWithRelationInput>(order, ORDER_COLUMNS, { field: TaskOrderField.DUE_DATE });
  const page = readPage(pageArgs, signature);
  const where = { AND: [taskScope(ctx.viewer, ctx.today), ...filterTreeWhere(filter, conditionsWhere)] };
  const rows = async () => {
    const list = await ctx.db.task.findMany({ where, orderBy, ...pageWindow(page) });
    const byId = ctx.loaders.get(taskById);
    for (const row of list) byId.prime(row.id, row);
    return list;
  };
  return lazyConnection(rows, page, () => ctx.db.task.count({ where }));
}

export async function getTask(ctx: AuthedContext, globalId: string): Promise<TaskRow> {
  const task = await ctx.loaders.get(taskById).load(expectGlobalId(globalId, "Task"));
  if (!task) throw notFound("Task");
  return task;
}

export const tasksOfVisit = (ctx: RequestContext, visitId: string) => ctx.loaders.get(tasksByVisit).load(visitId);

/** Open and due before today. */
export const isOverdue = (ctx: RequestContext, task: TaskRow): boolean => task.status === "OPEN" && task.dueDate !== null && task.dueDate < ctx.today;

// ---------------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------------

const ASSIGNABLE_ROLES: Role[] = ["REP", "MANAGER", "HEAD_OFFICE"];

/** Whom a viewer may give a task or a plan: reps themselves, managers themselves or their team, head
 * office any active commercial user; tokens nobody. */
export async function assignableUser(tx: Tx, scope: RequestScope, globalId: string, field: string): Promise<string> {
  const id = expectGlobalId(globalId, "User");
  if (scope.mayAssignTo(id) && (await tx.user.count({ where: { id, active: true, role: { in: ASSIGNABLE_ROLES } } }))) return id;
  throw badInput("You may give this to yourself (managers: also their team; head office: any active commercial user)", { fields: [{ field }] });
}

type Target = Pick<TaskDraft, "organisationId" | "opportunityId" | "requestId" | "actionPlanId">;

/** Resolves what the task hangs on, inside the viewer's scope (NOT_FOUND otherwise). */
async function targetOf(ctx: AuthedContext, tx: Tx, input: CreateTaskInput): Promise<Target> {
  const { viewer, today } = ctx;
  const target: Target = {};
  if (input.actionPlanId) {
    const plan = await tx.actionPlan.findFirst({ where: { id: expectGlobalId(input.actionPlanId, "ActionPlan"), ...actionPlanScope(viewer, today) } });
    if (!plan) throw notFound("ActionPlan");
    if (plan.status !== "ACTIVE") throw badInput("The action plan is closed", { fields: [{ field: "actionPlanId" }] });
    Object.assign(target, { actionPlanId: plan.id, organisationId: plan.organisationId });
  }
  if (input.opportunityId) {
    const opportunity = await tx.opportunity.findFirst({ where: { id: expectGlobalId(input.opportunityId, "Opportunity"), ...opportunityScope(viewer, today) }, select: { id: true, organisationId: true } });
    if (!opportunity) throw notFound("Opportunity");
    if (target.organisationId && target.organisationId !== opportunity.organisationId) throw badInput("The deal is not on the plan's organisation", { fields: [{ field: "opportunityId" }] });
    Object.assign(target, { opportunityId: opportunity.id, organisationId: opportunity.organisationId });
  }
  if (input.organisationId) {
    const id = expectGlobalId(input.organisationId, "Organisation");
    if (!(await tx.organisation.count({ where: { id, ...organisationScope(viewer, today) } }))) throw notFound("Organisation");
    if (target.organisationId && target.organisationId !== id) throw badInput("The organisation is not the deal's or the plan's", { fields: [{ field: "organisationId" }] });
    target.organisationId = id;
  }
  if (input.requestId) {
    const request = await tx.organisationRequest.findFirst({ where: { id: expectGlobalId(input.requestId, "OrganisationRequest"), ...requestScope(viewer) }, select: { id: true, status: true, organisationId: true } });
    if (!request) throw notFound("OrganisationRequest");
    if (target.organisationId) throw badInput("A task hangs on an organisation or a pending request, not both", { fields: [{ field: "requestId" }] });
    // Approved or merged: the work belongs to the organisation now
    if (request.status === "PENDING") target.requestId = request.id;
    else if (request.organisationId) target.organisationId = request.organisationId;
    else throw badInput(`The request is ${request.status}`, { fields: [{ field: "requestId" }] });
  }
  return target;
}

export async function createTask(ctx: AuthedContext, input: CreateTaskInput): Promise<TaskRow> {
  const fields = validate(TaskFields, { kind: input.kind, title: input.title, description: input.description, dueDate: input.dueDate });
  return ctx.db.$transaction(async (tx) => {
    const target = await targetOf(ctx, tx, input);
    if (!Object.values(target).some(Boolean) && !isUserViewer(ctx.viewer)) {
      throw badInput("A token's task needs an organisation, a deal, a request or a plan", { fields: [{ field: "organisationId" }] });
    }
    const assigneeId = input.assigneeId ? await assignableUser(tx, ctx.scope, input.assigneeId, "assigneeId") : null;
    const [task] = await createTasksInTransaction(tx, ctx.viewer, [{ ...fields, assigneeId, ...target }]);
    return task!;
  });
}

/** A versioned, audited change of one task in the viewer's scope (applyVersionedChange). */
function changeTask(ctx: AuthedContext, globalId: string, version: number, action: string, change: (before: TaskRow, tx: Tx) => Promise<Prisma.TaskUncheckedUpdateManyInput>) {
  const id = expectGlobalId(globalId, "Task");
  return ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: "Task",
      action,
      version,
      find: (db) => db.task.findFirst({ where: { id, ...taskScope(ctx.viewer, ctx.today) } }),
      change,
      table: (db) => db.task,
    }),
  );
}

export function updateTask(ctx: AuthedContext, input: UpdateTaskInput): Promise<TaskRow> {
  for (const field of ["kind", "title", "assigneeId"] as const) {
    if (input[field] === null) throw badInput(`${field} cannot be cleared`, { fields: [{ field }] });
  }
  const fields = validate(TaskFields.partial(), sentFields({ kind: input.kind, title: input.title, description: input.description, dueDate: input.dueDate }));
  return changeTask(ctx, input.id, input.version, "update", async (before, tx) => {
    if (before.status !== "OPEN") throw badInput(`A ${before.status} task cannot be changed: reopen it first`, { status: before.status });
    const data: Prisma.TaskUncheckedUpdateManyInput = { ...fields };
    if (fields.description !== undefined) data.description = fields.description || null;
    if (input.assigneeId) data.assigneeId = await assignableUser(tx, ctx.scope, input.assigneeId, "assigneeId");
    return data;
  });
}

/** The moves of a task's status: from which statuses, to which one. */
const MOVES = {
  complete: { from: ["OPEN"], to: "DONE" },
  cancel: { from: ["OPEN"], to: "CANCELLED" },
  reopen: { from: ["DONE", "CANCELLED"], to: "OPEN" },
} as const satisfies Record<string, { from: readonly TaskStatus[]; to: TaskStatus }>;

function moveTask(ctx: AuthedContext, input: CompleteTaskInput | CancelTaskInput | ReopenTaskInput, action: keyof typeof MOVES): Promise<TaskRow> {
  const move = MOVES[action];
  return changeTask(ctx, input.id, input.version, action, async (before, tx) => {
    if (!(move.from as readonly TaskStatus[]).includes(before.status)) {
      throw badInput(`A ${before.status} task cannot be moved to ${move.to}`, { status: before.status, allowedFrom: move.from });
    }
    if (action === "reopen" && before.actionPlanId && (await tx.actionPlan.count({ where: { id: before.actionPlanId, status: "CLOSED" } }))) {
      throw badInput("The task's action plan is closed");
    }
    return { status: move.to, completedAt: move.to === "DONE" ? ctx.now : null };
  });
}

export const completeTask = (ctx: AuthedContext, input: CompleteTaskInput) => moveTask(ctx, input, "complete");
export const cancelTask = (ctx: AuthedContext, input: CancelTaskInput) => moveTask(ctx, input, "cancel");
export const reopenTask = (ctx: AuthedContext, input: ReopenTaskInput) => moveTask(ctx, input, "reopen");
