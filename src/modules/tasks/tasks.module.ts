// What the tasks module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { getActionPlan } from "./action-plan.service.js";
import { ActionPlanResolver, TaskResolver } from "./task.resolver.js";
import { taskColumns, taskRules } from "./task.rules.js";
import { getTask } from "./task.service.js";

export const tasksModule: DomainModule = {
  resolvers: [TaskResolver, ActionPlanResolver],
  rules: [taskRules],
  nodes: { Task: getTask, ActionPlan: getActionPlan },
  columns: [taskColumns],
};
