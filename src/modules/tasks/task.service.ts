// Tasks: created on an organisation, a deal, a pending request, an action plan or for oneself (and by the
// visits module for a preparation or a report); completed or cancelled with optimistic concurrency.
import DataLoader from "dataloader";
import { z } from "zod";
import { organisationScope } from "../../auth/row-scope.js";
import { isTokenViewer, isUserViewer, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import { TaskKind } from "../../db/generated/enums.js";
import { groupByKey, type AuthedContext, type RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../graphql/errors.js";
import { expectGlobalId, lazyConnection, pageWindow, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { requestScope } from "../organisation-requests/organisation-request.scope.js";
import { opportunityScope } from "../pipeline/opportunity.scope.js";
import { actionPlanScope, taskScope } from "./task.scope.js";
import type { CancelTaskInput, CompleteTaskInput, CreateTaskInput, TaskDraft, TaskFilter, TaskRow } from "./task.type.js";

type Tx = Prisma.TransactionClient;

export const MAX_TASKS_PER_CALL = 50;

const TaskDraftSchema = z.object({
  kind: z.enum(TaskKind),
  title: z.string().trim().min(1, "must not be empty").max(200),
  description: z.string().trim().max(4000).nullish(),
  dueDate: z.date().nullish(),
  assigneeId: z.uuid().nullish(),
  organisationId: z.uuid().nullish(),
  requestId: z.uuid().nullish(),
  opportunityId: z.uuid().nullish(),
  visitId: z.uuid().nullish(),
  actionPlanId: z.uuid().nullish(),
});
const TaskDrafts = z.array(TaskDraftSchema).max(MAX_TASKS_PER_CALL, `at most ${MAX_TASKS_PER_CALL} tasks at a time`);

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
    const task = await tx.task.create({ data: { ...draft, assigneeId: draft.assigneeId ?? user, createdById: user, tokenJti } });
    await recordAudit(tx, viewer, { entity: "Task", entityId: task.id, action: "create", after: task });
    tasks.push(task);
  }
  return tasks;
}

export function listTasks(ctx: AuthedContext, filter: TaskFilter | null | undefined, pageArgs: PageArgs): Connection<TaskRow> {
  const page = readPage(pageArgs);
  const and: Prisma.TaskWhereInput[] = [taskScope(ctx.viewer, ctx.today)];
  if (filter?.assignee) and.push({ assigneeId: expectGlobalId(filter.assignee, "User") });
  if (filter?.organisation) and.push({ organisationId: expectGlobalId(filter.organisation, "Organisation") });
  if (filter?.status?.length) and.push({ status: { in: filter.status } });
  if (filter?.kind?.length) and.push({ kind: { in: filter.kind } });
  if (filter?.dueBefore) and.push({ dueDate: { lte: filter.dueBefore } });
  if (filter?.due) and.push({ status: "OPEN", dueDate: { lte: ctx.today } });
  const where = { AND: and };
  return lazyConnection(
    () => ctx.db.task.findMany({ where, orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { id: "asc" }], ...pageWindow(page) }),
    page,
    () => ctx.db.task.count({ where }),
  );
}

export async function getTask(ctx: AuthedContext, globalId: string): Promise<TaskRow> {
  const task = await ctx.db.task.findFirst({ where: { id: expectGlobalId(globalId, "Task"), ...taskScope(ctx.viewer, ctx.today) } });
  if (!task) throw notFound("Task");
  return task;
}

/** The assignee a viewer may give: reps themselves, managers their team, head office any active user. */
async function assigneeFor(tx: Tx, viewer: Viewer, requested: string | null | undefined): Promise<string | null> {
  if (!requested) return isUserViewer(viewer) ? viewer.userId : null;
  const id = expectGlobalId(requested, "User");
  const allowed =
    viewer.kind === "HEAD_OFFICE"
      ? (await tx.user.count({ where: { id, active: true, role: { in: ["REP", "MANAGER", "HEAD_OFFICE"] } } })) > 0
      : viewer.kind === "MANAGER"
        ? id === viewer.userId || viewer.teamRepIds.includes(id)
        : isUserViewer(viewer) && id === viewer.userId;
  if (!allowed) throw badInput("You may assign tasks to yourself (managers: their team; head office: anyone)", { fields: [{ field: "assigneeId" }] });
  return id;
}

/** Resolves what the task hangs on, inside the viewer's scope (NOT_FOUND otherwise). */
async function targetOf(ctx: AuthedContext, tx: Tx, input: CreateTaskInput): Promise<Pick<TaskDraft, "organisationId" | "opportunityId" | "requestId" | "actionPlanId">> {
  const { viewer, today } = ctx;
  const target: Pick<TaskDraft, "organisationId" | "opportunityId" | "requestId" | "actionPlanId"> = {};
  if (input.actionPlanId) {
    const plan = await tx.actionPlan.findFirst({ where: { id: expectGlobalId(input.actionPlanId, "ActionPlan"), ...actionPlanScope(viewer, today) } });
    if (!plan) throw notFound("ActionPlan");
    if (plan.status !== "ACTIVE") throw badInput("The action plan is closed", { fields: [{ field: "actionPlanId" }] });
    Object.assign(target, { actionPlanId: plan.id, organisationId: plan.organisationId });
  }
  if (input.opportunityId) {
    const opportunity = await tx.opportunity.findFirst({ where: { id: expectGlobalId(input.opportunityId, "Opportunity"), ...opportunityScope(viewer, today) }, select: { id: true, organisationId: true } });
    if (!opportunity) throw notFound("Opportunity");
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
    // Approved or merged: the work belongs to the organisation now
    if (request.status === "PENDING") target.requestId = request.id;
    else if (request.organisationId && !target.organisationId) target.organisationId = request.organisationId;
    else if (!request.organisationId) throw badInput(`The request is ${request.status}`, { fields: [{ field: "requestId" }] });
  }
  return target;
}

export async function createTask(ctx: AuthedContext, input: CreateTaskInput): Promise<TaskRow> {
  return ctx.db.$transaction(async (tx) => {
    const target = await targetOf(ctx, tx, input);
    const hangsOnSomething = Object.values(target).some(Boolean);
    if (!hangsOnSomething && !isUserViewer(ctx.viewer)) throw badInput("A token's task needs an organisation, a deal, a request or a plan", { fields: [{ field: "organisationId" }] });
    const assigneeId = await assigneeFor(tx, ctx.viewer, input.assigneeId);
    const [task] = await createTasksInTransaction(tx, ctx.viewer, [
      { kind: input.kind, title: input.title, description: input.description, dueDate: input.dueDate, assigneeId, ...target },
    ]);
    return task!;
  });
}

function changeTaskStatus(ctx: AuthedContext, input: CompleteTaskInput | CancelTaskInput, action: "complete" | "cancel"): Promise<TaskRow> {
  const id = expectGlobalId(input.id, "Task");
  return ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: "Task",
      action,
      version: input.version,
      find: (db) => db.task.findFirst({ where: { id, ...taskScope(ctx.viewer, ctx.today) } }),
      change: (before): Prisma.TaskUpdateManyMutationInput => {
        if (before.status !== "OPEN") throw badInput(`The task is already ${before.status}`);
        return action === "complete" ? { status: "DONE", completedAt: ctx.now } : { status: "CANCELLED" };
      },
      write: (db, data, version) => db.task.updateManyAndReturn({ where: { id, version }, data: { ...data, version: { increment: 1 } } }),
    }),
  );
}

export const completeTask = (ctx: AuthedContext, input: CompleteTaskInput) => changeTaskStatus(ctx, input, "complete");
export const cancelTask = (ctx: AuthedContext, input: CancelTaskInput) => changeTaskStatus(ctx, input, "cancel");

// ───────────── loaders ─────────────

const tasksByActionPlan = (ctx: RequestContext) =>
  new DataLoader<string, TaskRow[], string>(async (planIds) => {
    const rows = ctx.viewer
      ? await ctx.db.task.findMany({ where: { actionPlanId: { in: [...planIds] }, ...taskScope(ctx.viewer, ctx.today) }, orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { id: "asc" }] })
      : [];
    return groupByKey(planIds, rows, (row) => row.actionPlanId!);
  });

export const loadActionPlanTasks = (ctx: RequestContext, planId: string) => ctx.loaders.get(tasksByActionPlan).load(planId);
