import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { anyOf, COMMERCIAL_ROLES, everyone, role, scope, type RuleMap } from "../../auth/rules.js";

/**
 * Tasks are field work: the commercial roles, and partners granted visits:write (their visits' preparations
 * and reports create tasks). Data stewards and service tokens never. Whoever reads tasks writes them, head
 * office included (it may give a task to anyone); which ones is the row scope's business (task.scope.ts).
 */
export const readTasks = anyOf(role(...COMMERCIAL_ROLES), scope("visits:write"));
export const writeTasks = readTasks;

/** Action plans steer a portfolio against objectives: the commercial roles only (no token scope grants them). */
export const readActionPlans = role(...COMMERCIAL_ROLES);
const writeActionPlans = readActionPlans;

export const taskRules: RuleMap = {
  Query: { tasks: readTasks, task: readTasks, actionPlans: readActionPlans, actionPlan: readActionPlans },
  Mutation: {
    createTask: writeTasks,
    updateTask: writeTasks,
    completeTask: writeTasks,
    cancelTask: writeTasks,
    reopenTask: writeTasks,
    createActionPlan: writeActionPlans,
    updateActionPlan: writeActionPlans,
    closeActionPlan: writeActionPlans,
  },
  // Nested path: closed (FORBIDDEN) for partners, who may read tasks but not plans.
  Task: { "*": readTasks, actionPlan: readActionPlans },
  TaskConnection: { "*": everyone },
  TaskEdge: { "*": everyone },
  TaskPayload: { "*": everyone },
  ActionPlan: { "*": readActionPlans },
  ActionPlanConnection: { "*": everyone },
  ActionPlanEdge: { "*": everyone },
  ActionPlanPayload: { "*": everyone },
  ActionPlanTaskProgress: { "*": everyone },
};

/** A task created through a token shows as created by its issuer. */
export const taskColumns: ColumnFieldMap = { Task: { tokenJti: "createdBy" } };
