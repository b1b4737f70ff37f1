// Which tasks and action plans a viewer sees (defined in src/auth/scope/entities.ts): those on organisations
// of their scope, those assigned to them (or their team), those on their own pending requests; partners with
// visits:write the ones on their restriction and the ones their token created. Stewards and services: none.
import { toWhere } from "../../auth/scope/condition.js";
import { actionPlans, tasks } from "../../auth/scope/entities.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

export { mayWriteTasks } from "../../auth/scope/entities.js";

export const taskScope = (viewer: Viewer, day: Date) => toWhere<Prisma.TaskWhereInput>(tasks(viewer, day));

export const actionPlanScope = (viewer: Viewer, day: Date) => toWhere<Prisma.ActionPlanWhereInput>(actionPlans(viewer, day));
