import DataLoader from "dataloader";
import { notBinned } from "../../auth/row-scope.js";
import { Prisma } from "../../db/generated/client.js";
import { groupByKey, indexByKey, type RequestContext } from "../../graphql/context.js";
import type { ActionPlanTaskProgress, ActionPlanRow } from "./action-plan.type.js";
import { actionPlanScope, taskScope } from "./task.scope.js";
import type { TaskRow } from "./task.type.js";

const SOONEST_DUE_FIRST = [{ dueDate: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }, { id: "asc" }] as const;

/** Tasks by id, inside the viewer's scope (null when missing or out of scope). */
export const taskById = (ctx: RequestContext) =>
  new DataLoader<string, TaskRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.task.findMany({ where: { id: { in: [...ids] }, ...taskScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });

/** Tasks of each visit the viewer may see, in the order they were created (preparation, then report). */
export const tasksByVisit = (ctx: RequestContext) =>
  new DataLoader<string, TaskRow[], string>(async (visitIds) => {
    const rows = ctx.viewer
      ? await ctx.db.task.findMany({ where: { visitId: { in: [...visitIds] }, ...taskScope(ctx.viewer, ctx.today) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })
      : [];
    return groupByKey(visitIds, rows, (row) => row.visitId!);
  });

/** Tasks of each action plan the viewer may see, soonest due first. */
export const tasksByActionPlan = (ctx: RequestContext) =>
  new DataLoader<string, TaskRow[], string>(async (planIds) => {
    const rows = ctx.viewer
      ? await ctx.db.task.findMany({ where: { actionPlanId: { in: [...planIds] }, ...taskScope(ctx.viewer, ctx.today) }, orderBy: [...SOONEST_DUE_FIRST] })
      : [];
    return groupByKey(planIds, rows, (row) => row.actionPlanId!);
  });

export const actionPlanById = (ctx: RequestContext) =>
  new DataLoader<string, ActionPlanRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.actionPlan.findMany({ where: { id: { in: [...ids] }, ...actionPlanScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });

/**
 * The one definition of a plan's progress, as the SQL aggregates `done` and `total` over the plan's tasks
 * joined as `alias` (see ActionPlanTaskProgress: cancelled tasks are not counted in the total).
 */
export function planProgressColumns(alias: string): Prisma.Sql {
  const t = Prisma.raw(alias);
  return Prisma.sql`(count(${t}."id") FILTER (WHERE ${t}."status" = 'DONE'))::int AS done, (count(${t}."id") FILTER (WHERE ${t}."status" <> 'CANCELLED'))::int AS total`;
}

/** Progress of each plan in one statement. */
export const progressByPlan = (ctx: RequestContext) =>
  new DataLoader<string, ActionPlanTaskProgress, string>(async (planIds) => {
    const rows = await ctx.db.$queryRaw<{ planId: string; done: number; total: number }[]>`
      SELECT t."actionPlanId"::text AS "planId", ${planProgressColumns("t")}
        FROM "Task" t WHERE t."actionPlanId" = ANY(${[...planIds]}::uuid[]) AND ${notBinned("t")} GROUP BY t."actionPlanId"`;
    return indexByKey(planIds, rows, (row) => row.planId).map((row) => {
      const done = row?.done ?? 0;
      const total = row?.total ?? 0;
      return { done, total, ratio: total ? done / total : null };
    });
  });
