// Action plans: an objective for an organisation or a rep, carried by tasks; progress = done / total.
import DataLoader from "dataloader";
import { z } from "zod";
import { assignmentInForce, organisationScope } from "../../auth/row-scope.js";
import { isUserViewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import { indexByKey, type AuthedContext, type RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../graphql/errors.js";
import { expectGlobalId, lazyConnection, pageWindow, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import type { ActionPlanFilter, ActionPlanRow, ActionPlanTaskProgress, CloseActionPlanInput, CreateActionPlanInput } from "./action-plan.type.js";
import { actionPlanScope } from "./task.scope.js";
import { createTasksInTransaction } from "./task.service.js";

type Tx = Prisma.TransactionClient;

const PlanFields = z
  .object({
    objective: z.string().trim().min(1, "must not be empty").max(500),
    startDate: z.date().nullish(),
    endDate: z.date().nullish(),
  })
  .refine((plan) => !plan.startDate || !plan.endDate || plan.startDate <= plan.endDate, { message: "must not be before startDate", path: ["endDate"] });

export function listActionPlans(ctx: AuthedContext, filter: ActionPlanFilter | null | undefined, pageArgs: PageArgs): Connection<ActionPlanRow> {
  const page = readPage(pageArgs);
  const and: Prisma.ActionPlanWhereInput[] = [actionPlanScope(ctx.viewer, ctx.today)];
  if (filter?.organisation) and.push({ organisationId: expectGlobalId(filter.organisation, "Organisation") });
  if (filter?.rep) and.push({ repId: expectGlobalId(filter.rep, "User") });
  if (filter?.status?.length) and.push({ status: { in: filter.status } });
  const where = { AND: and };
  return lazyConnection(
    () => ctx.db.actionPlan.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "asc" }], ...pageWindow(page) }),
    page,
    () => ctx.db.actionPlan.count({ where }),
  );
}

export async function getActionPlan(ctx: AuthedContext, globalId: string): Promise<ActionPlanRow> {
  const plan = await ctx.db.actionPlan.findFirst({ where: { id: expectGlobalId(globalId, "ActionPlan"), ...actionPlanScope(ctx.viewer, ctx.today) } });
  if (!plan) throw notFound("ActionPlan");
  return plan;
}

/** The rep carrying the plan: the one asked for (within what the viewer manages), else the organisation's rep in charge, else the viewer. */
async function planRep(ctx: AuthedContext, tx: Tx, requested: string | null | undefined, organisationId: string | null): Promise<string | null> {
  const viewer = ctx.viewer;
  if (requested) {
    const id = expectGlobalId(requested, "User");
    const allowed = viewer.kind === "HEAD_OFFICE" || (viewer.kind === "MANAGER" && viewer.teamRepIds.includes(id)) || (isUserViewer(viewer) && viewer.userId === id);
    if (!allowed || !(await tx.user.count({ where: { id, active: true } }))) throw notFound("User");
    return id;
  }
  if (organisationId) {
    const inCharge = await tx.organisationAssignment.findFirst({ where: { organisationId, ...assignmentInForce(ctx.today) }, orderBy: { validFrom: "desc" }, select: { repId: true } });
    if (inCharge) return inCharge.repId;
  }
  return isUserViewer(viewer) ? viewer.userId : null;
}

export async function createActionPlan(ctx: AuthedContext, input: CreateActionPlanInput): Promise<ActionPlanRow> {
  const fields = validate(PlanFields, { objective: input.objective, startDate: input.startDate, endDate: input.endDate });
  if (!input.organisationId && !input.repId && !isUserViewer(ctx.viewer)) throw badInput("A token's plan needs an organisation", { fields: [{ field: "organisationId" }] });
  return ctx.db.$transaction(async (tx) => {
    let organisationId: string | null = null;
    if (input.organisationId) {
      organisationId = expectGlobalId(input.organisationId, "Organisation");
      if (!(await tx.organisation.count({ where: { id: organisationId, ...organisationScope(ctx.viewer, ctx.today) } }))) throw notFound("Organisation");
    }
    const repId = await planRep(ctx, tx, input.repId, organisationId);
    const plan = await tx.actionPlan.create({ data: { ...fields, organisationId, repId } });
    await recordAudit(tx, ctx.viewer, { entity: "ActionPlan", entityId: plan.id, action: "create", after: plan });
    await createTasksInTransaction(tx, ctx.viewer, (input.tasks ?? []).map((task) => ({ ...task, organisationId, actionPlanId: plan.id, assigneeId: repId })));
    return plan;
  });
}

export async function closeActionPlan(ctx: AuthedContext, input: CloseActionPlanInput): Promise<ActionPlanRow> {
  const id = expectGlobalId(input.id, "ActionPlan");
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.actionPlan.findFirst({ where: { id, ...actionPlanScope(ctx.viewer, ctx.today) } });
    if (!before) throw notFound("ActionPlan");
    if (before.status === "CLOSED") throw badInput("The action plan is already closed");
    const after = await tx.actionPlan.update({ where: { id }, data: { status: "CLOSED" } });
    await recordAudit(tx, ctx.viewer, { entity: "ActionPlan", entityId: id, action: "close", before, after });
    return after;
  });
}

/** Progress of each plan in one statement: done / (all but cancelled). */
const progressByPlan = (ctx: RequestContext) =>
  new DataLoader<string, ActionPlanTaskProgress, string>(async (planIds) => {
    const rows = await ctx.db.$queryRaw<{ planId: string; done: number; total: number }[]>`
      SELECT "actionPlanId"::text AS "planId",
             (count(*) FILTER (WHERE status = 'DONE'))::int AS done,
             (count(*) FILTER (WHERE status <> 'CANCELLED'))::int AS total
        FROM "Task" WHERE "actionPlanId" = ANY(${[...planIds]}::uuid[]) GROUP BY "actionPlanId"`;
    return indexByKey(planIds, rows, (row) => row.planId).map((row) => {
      const done = row?.done ?? 0;
      const total = row?.total ?? 0;
      return { done, total, ratio: total ? done / total : null };
    });
  });

export const progressOf = (ctx: RequestContext, planId: string) => ctx.loaders.get(progressByPlan).load(planId);

const actionPlanById = (ctx: RequestContext) =>
  new DataLoader<string, ActionPlanRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.actionPlan.findMany({ where: { id: { in: [...ids] }, ...actionPlanScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });

export const loadActionPlan = (ctx: RequestContext, id: string | null) => (id ? ctx.loaders.get(actionPlanById).load(id) : null);
