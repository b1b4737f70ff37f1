// Which tasks and action plans a viewer sees: defined in src/auth/scope/entities.ts (`tasks`, `actionPlans`).
import { toWhere } from "../../auth/scope/condition.js";
import { actionPlans, tasks } from "../../auth/scope/entities.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

export { maySeeActionPlans, maySeeTasks } from "../../auth/scope/entities.js";

export const taskScope = (viewer: Viewer, day: Date) => toWhere<Prisma.TaskWhereInput>(tasks(viewer, day));

export const actionPlanScope = (viewer: Viewer, day: Date) => toWhere<Prisma.ActionPlanWhereInput>(actionPlans(viewer, day));
