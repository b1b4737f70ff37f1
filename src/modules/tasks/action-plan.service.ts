// Action plans: an objective for an organisation or a rep, carried by tasks; progress = done / total
// (ActionPlanTaskProgress). Versioned updates and closing go through applyVersionedChange.
import { z } from "zod";
import { assignmentInForce, organisationScope } from "../../auth/row-scope.js";
import { isUserViewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { expectGlobalId, lazyConnection, pageOfList, pageWindow, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { prismaDirection } from "../../graphql/sorting.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import {
  ActionPlanOrderField,
  type ActionPlanFilter,
  type ActionPlanOrder,
  type ActionPlanRow,
  type CloseActionPlanInput,
  type CreateActionPlanInput,
  type UpdateActionPlanInput,
} from "./action-plan.type.js";
import { actionPlanById, progressByPlan, tasksByActionPlan } from "./task.loaders.js";
import { actionPlanScope } from "./task.scope.js";
import { assignableUser, createTasksInTransaction, TaskList } from "./task.service.js";

type Tx = Prisma.TransactionClient;

const PlanShape = z.object({
  objective: z.string().trim().min(1, "must not be empty").max(500),
  startDate: z.date().nullish(),
  endDate: z.date().nullish(),
});
const PlanFields = PlanShape.refine((plan) => !plan.startDate || !plan.endDate || plan.startDate <= plan.endDate, { message: "must not be before startDate", path: ["endDate"] });

const ORDER: Record<ActionPlanOrderField, (direction: "asc" | "desc") => Prisma.ActionPlanOrderByWithRelationInput> = {
  CREATED_AT: (direction) => ({ createdAt: direction }),
  END_DATE: (direction) => ({ endDate: { sort: direction, nulls: "last" } }),
};

export function listActionPlans(
  ctx: AuthedContext,
  filter: ActionPlanFilter | null | undefined,
  order: ActionPlanOrder | null | undefined,
  pageArgs: PageArgs,
): Connection<ActionPlanRow> {
  const page = readPage(pageArgs);
  const and: Prisma.ActionPlanWhereInput[] = [actionPlanScope(ctx.viewer, ctx.today)];
  if (filter?.organisation) and.push({ organisationId: expectGlobalId(filter.organisation, "Organisation") });
  if (filter?.rep) and.push({ repId: expectGlobalId(filter.rep, "User") });
  if (filter?.status?.length) and.push({ status: { in: filter.status } });
  if (filter?.updatedAfter) and.push({ updatedAt: { gt: filter.updatedAfter } });
  const where = { AND: and };
  // Default: the newest first
  const direction = order ? prismaDirection(order.direction) : "desc";
  const orderBy = [ORDER[order?.field ?? ActionPlanOrderField.CREATED_AT](direction), { id: direction }];
  return lazyConnection(() => ctx.db.actionPlan.findMany({ where, orderBy, ...pageWindow(page) }), page, () => ctx.db.actionPlan.count({ where }));
}

export async function getActionPlan(ctx: AuthedContext, globalId: string): Promise<ActionPlanRow> {
  const plan = await ctx.loaders.get(actionPlanById).load(expectGlobalId(globalId, "ActionPlan"));
  if (!plan) throw notFound("ActionPlan");
  return plan;
}

export const loadActionPlan = (ctx: RequestContext, id: string | null) => (id ? ctx.loaders.get(actionPlanById).load(id) : null);
export const progressOf = (ctx: RequestContext, planId: string) => ctx.loaders.get(progressByPlan).load(planId);

export async function tasksOfPlan(ctx: RequestContext, planId: string, pageArgs: PageArgs) {
  return pageOfList(await ctx.loaders.get(tasksByActionPlan).load(planId), readPage(pageArgs));
}

/** The rep carrying the plan: the one asked for (within whom the viewer may give work), else the
 * organisation's rep in charge, else the viewer. */
async function planRep(ctx: AuthedContext, tx: Tx, requested: string | null | undefined, organisationId: string | null): Promise<string | null> {
  if (requested) return assignableUser(tx, ctx.scope, requested, "repId");
  if (organisationId) {
    const inCharge = await tx.organisationAssignment.findFirst({ where: { organisationId, ...assignmentInForce(ctx.today) }, orderBy: { validFrom: "desc" }, select: { repId: true } });
    if (inCharge) return inCharge.repId;
  }
  return isUserViewer(ctx.viewer) ? ctx.viewer.userId : null;
}

export async function createActionPlan(ctx: AuthedContext, input: CreateActionPlanInput): Promise<ActionPlanRow> {
  const fields = validate(PlanFields, { objective: input.objective, startDate: input.startDate, endDate: input.endDate });
  const tasks = validate(z.object({ tasks: TaskList }), { tasks: input.tasks ?? [] }).tasks;
  return ctx.db.$transaction(async (tx) => {
    let organisationId: string | null = null;
    if (input.organisationId) {
      organisationId = expectGlobalId(input.organisationId, "Organisation");
      if (!(await tx.organisation.count({ where: { id: organisationId, ...organisationScope(ctx.viewer, ctx.today) } }))) throw notFound("Organisation");
    }
    const repId = await planRep(ctx, tx, input.repId, organisationId);
    const createdById = isUserViewer(ctx.viewer) ? ctx.viewer.userId : null;
    const plan = await tx.actionPlan.create({ data: { ...fields, organisationId, repId, createdById } });
    await recordAudit(tx, ctx.viewer, { entity: "ActionPlan", entityId: plan.id, action: "create", after: plan });
    await createTasksInTransaction(tx, ctx.viewer, tasks.map((task) => ({ ...task, organisationId, actionPlanId: plan.id, assigneeId: repId })));
    return plan;
  });
}

/** A versioned, audited change of one active plan in the viewer's scope. */
function changePlan(ctx: AuthedContext, globalId: string, version: number, action: string, change: (before: ActionPlanRow) => Prisma.ActionPlanUncheckedUpdateManyInput) {
  const id = expectGlobalId(globalId, "ActionPlan");
  return ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: "ActionPlan",
      action,
      version,
      find: (db) => db.actionPlan.findFirst({ where: { id, ...actionPlanScope(ctx.viewer, ctx.today) } }),
      change: (before) => {
        if (before.status !== "ACTIVE") throw badInput("The action plan is closed", { status: before.status });
        return change(before);
      },
      table: (db) => db.actionPlan,
    }),
  );
}

export function updateActionPlan(ctx: AuthedContext, input: UpdateActionPlanInput): Promise<ActionPlanRow> {
  if (input.objective === null) throw badInput("objective cannot be cleared", { fields: [{ field: "objective" }] });
  const sent = sentFields({ objective: input.objective, startDate: input.startDate, endDate: input.endDate });
  return changePlan(ctx, input.id, input.version, "update", (before) => {
    // the dates are checked together, as they will stand
    validate(PlanFields, { objective: before.objective, startDate: before.startDate, endDate: before.endDate, ...sent });
    return validate(PlanShape.partial(), sent);
  });
}

export const closeActionPlan = (ctx: AuthedContext, input: CloseActionPlanInput): Promise<ActionPlanRow> =>
  changePlan(ctx, input.id, input.version, "close", () => ({ status: "CLOSED" }));
