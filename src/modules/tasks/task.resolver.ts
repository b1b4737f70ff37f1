import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { ORDER_DOCS } from "../../graphql/sorting.js";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { requestById } from "../organisation-requests/organisation-request.loaders.js";
import { OrganisationRequest } from "../organisation-requests/organisation-request.type.js";
import { loadOrganisation } from "../organisations/organisation.service.js";
import { Organisation } from "../organisations/organisation.type.js";
import { loadOpportunity } from "../pipeline/opportunity.service.js";
import { Opportunity } from "../pipeline/opportunity.type.js";
import { loadUser } from "../users/user.service.js";
import { User } from "../users/user.type.js";
import {
  closeActionPlan,
  createActionPlan,
  getActionPlan,
  listActionPlans,
  loadActionPlan,
  progressOf,
  tasksOfPlan,
  updateActionPlan,
} from "./action-plan.service.js";
import {
  ActionPlan,
  ActionPlanConnection,
  ActionPlanFilter,
  ActionPlanOrder,
  ActionPlanPayload,
  ActionPlanTaskProgress,
  CloseActionPlanInput,
  CreateActionPlanInput,
  UpdateActionPlanInput,
  type ActionPlanRow,
} from "./action-plan.type.js";
import { cancelTask, completeTask, createTask, getTask, isOverdue, listTasks, reopenTask, updateTask } from "./task.service.js";
import {
  CancelTaskInput,
  CompleteTaskInput,
  CreateTaskInput,
  ReopenTaskInput,
  Task,
  TaskConnection,
  TaskFilter,
  TaskOrder,
  TaskPayload,
  UpdateTaskInput,
  type TaskRow,
} from "./task.type.js";

@Resolver(() => Task)
export class TaskResolver {
  @Query(() => TaskConnection, {
    description:
      "Tasks the viewer may see: those on organisations of their scope (or their pending requests), those of the people whose work they see, their own. Default order: soonest due first.",
  })
  tasks(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => TaskFilter, { nullable: true }) filter: TaskFilter | null,
    @Arg("orderBy", () => [TaskOrder], { nullable: true, description: ORDER_DOCS.orderBy }) orderBy: TaskOrder[] | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listTasks(ctx, filter, orderBy, page);
  }

  @Query(() => Task, { description: "NOT_FOUND when missing or outside the viewer's scope." })
  task(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return getTask(ctx, id);
  }

  @Mutation(() => TaskPayload, { description: "Creates an OPEN task on what the viewer may see (NOT_FOUND otherwise)." })
  async createTask(@Arg("input", () => CreateTaskInput) input: CreateTaskInput, @Ctx() ctx: AuthedContext) {
    return { task: await createTask(ctx, input) };
  }

  @Mutation(() => TaskPayload, { description: "Changes an open task; CONFLICT when `version` is stale." })
  async updateTask(@Arg("input", () => UpdateTaskInput) input: UpdateTaskInput, @Ctx() ctx: AuthedContext) {
    return { task: await updateTask(ctx, input) };
  }

  @Mutation(() => TaskPayload, { description: "OPEN → DONE; CONFLICT when `version` is stale." })
  async completeTask(@Arg("input", () => CompleteTaskInput) input: CompleteTaskInput, @Ctx() ctx: AuthedContext) {
    return { task: await completeTask(ctx, input) };
  }

  @Mutation(() => TaskPayload, { description: "OPEN → CANCELLED; CONFLICT when `version` is stale." })
  async cancelTask(@Arg("input", () => CancelTaskInput) input: CancelTaskInput, @Ctx() ctx: AuthedContext) {
    return { task: await cancelTask(ctx, input) };
  }

  @Mutation(() => TaskPayload, { description: "DONE or CANCELLED → OPEN (not in a closed action plan); CONFLICT when `version` is stale." })
  async reopenTask(@Arg("input", () => ReopenTaskInput) input: ReopenTaskInput, @Ctx() ctx: AuthedContext) {
    return { task: await reopenTask(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() task: TaskRow): string {
    return toGlobalId("Task", task.id);
  }

  @FieldResolver(() => Boolean, { description: "Open and due before today." })
  isOverdue(@Root() task: TaskRow, @Ctx() ctx: AuthedContext): boolean {
    return isOverdue(ctx, task);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who carries it out (null for a partner token's task)." })
  assignee(@Root() task: TaskRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, task.assigneeId);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who created it (null when a token did)." })
  createdBy(@Root() task: TaskRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, task.createdById);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation it is for, when the viewer may see it." })
  organisation(@Root() task: TaskRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, task.organisationId);
  }

  @FieldResolver(() => Opportunity, { nullable: true, description: "The deal it is for, when the viewer may see it." })
  opportunity(@Root() task: TaskRow, @Ctx() ctx: AuthedContext) {
    return task.opportunityId ? loadOpportunity(ctx, task.opportunityId) : null;
  }

  @FieldResolver(() => OrganisationRequest, { nullable: true, description: "The organisation request it was logged against, when the viewer may see it." })
  request(@Root() task: TaskRow, @Ctx() ctx: AuthedContext) {
    return task.requestId ? ctx.loaders.get(requestById).load(task.requestId) : null;
  }

  @FieldResolver(() => ActionPlan, { nullable: true, description: "The action plan it belongs to, when the viewer may see it." })
  actionPlan(@Root() task: TaskRow, @Ctx() ctx: AuthedContext) {
    return loadActionPlan(ctx, task.actionPlanId);
  }
}

@Resolver(() => ActionPlan)
export class ActionPlanResolver {
  @Query(() => ActionPlanConnection, { description: "Action plans on organisations of the viewer's scope and of the people whose work they see. Default order: newest first." })
  actionPlans(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => ActionPlanFilter, { nullable: true }) filter: ActionPlanFilter | null,
    @Arg("orderBy", () => ActionPlanOrder, { nullable: true }) orderBy: ActionPlanOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listActionPlans(ctx, filter, orderBy, page);
  }

  @Query(() => ActionPlan, { description: "NOT_FOUND when missing or outside the viewer's scope." })
  actionPlan(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return getActionPlan(ctx, id);
  }

  @Mutation(() => ActionPlanPayload, { description: "Creates an ACTIVE plan with its first tasks (assigned to the plan's rep)." })
  async createActionPlan(@Arg("input", () => CreateActionPlanInput) input: CreateActionPlanInput, @Ctx() ctx: AuthedContext) {
    return { actionPlan: await createActionPlan(ctx, input) };
  }

  @Mutation(() => ActionPlanPayload, { description: "Changes an active plan; CONFLICT when `version` is stale." })
  async updateActionPlan(@Arg("input", () => UpdateActionPlanInput) input: UpdateActionPlanInput, @Ctx() ctx: AuthedContext) {
    return { actionPlan: await updateActionPlan(ctx, input) };
  }

  @Mutation(() => ActionPlanPayload, { description: "ACTIVE → CLOSED: the plan takes no new task and its tasks cannot be reopened." })
  async closeActionPlan(@Arg("input", () => CloseActionPlanInput) input: CloseActionPlanInput, @Ctx() ctx: AuthedContext) {
    return { actionPlan: await closeActionPlan(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() plan: ActionPlanRow): string {
    return toGlobalId("ActionPlan", plan.id);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation it is for, when the viewer may see it." })
  organisation(@Root() plan: ActionPlanRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, plan.organisationId);
  }

  @FieldResolver(() => User, { nullable: true, description: "The rep carrying it out." })
  rep(@Root() plan: ActionPlanRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, plan.repId);
  }

  @FieldResolver(() => User, { nullable: true })
  createdBy(@Root() plan: ActionPlanRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, plan.createdById);
  }

  @FieldResolver(() => TaskConnection, { description: "The plan's tasks the viewer may see, soonest due first." })
  tasks(@Root() plan: ActionPlanRow, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return tasksOfPlan(ctx, plan.id, page);
  }

  @FieldResolver(() => ActionPlanTaskProgress, { description: "done / total; cancelled tasks are not counted in the total (see ActionPlanTaskProgress)." })
  progress(@Root() plan: ActionPlanRow, @Ctx() ctx: AuthedContext) {
    return progressOf(ctx, plan.id);
  }
}
