import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { Task as TaskRow } from "../../db/generated/client.js";
import { TaskKind, TaskStatus } from "../../db/generated/enums.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { FILTER_DOCS, type FilterTree } from "../../graphql/filter-tree.js";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";
import { NullsOrder, ORDER_DOCS, SortDirection } from "../../graphql/sorting.js";

registerEnumType(TaskKind, { name: "TaskKind", description: "What the task is: a presentation, a training, a project review, a follow-up…" });
registerEnumType(TaskStatus, { name: "TaskStatus", description: "OPEN until completed (DONE) or cancelled (CANCELLED); reopenTask makes either OPEN again." });

export type { TaskRow };

@ObjectType({ implements: Node, description: "Something to do for a customer, a deal, a visit or an action plan — or a personal task." })
export class Task extends Node {
  @Field(() => TaskKind) kind!: TaskKind;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => DateScalar, { nullable: true }) dueDate!: Date | null;
  @Field(() => TaskStatus) status!: TaskStatus;
  @Field(() => DateTimeScalar, { nullable: true, description: "When it was completed (null unless DONE)." }) completedAt!: Date | null;
  @Field(() => Int, { description: "Optimistic-concurrency version: send it back with every change." }) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const TaskConnection = ConnectionType(Task, "Task");

/** What a caller asks to create: the visits module uses it for the tasks of a preparation or a report. */
export interface TaskDraft {
  kind: TaskKind;
  title: string;
  description?: string | null;
  dueDate?: Date | null;
  assigneeId?: string | null;
  organisationId?: string | null;
  requestId?: string | null;
  opportunityId?: string | null;
  visitId?: string | null;
  actionPlanId?: string | null;
}

@InputType({ description: FILTER_DOCS.type })
export class TaskFilter implements FilterTree<TaskFilter> {
  @Field(() => ID, { nullable: true, description: "The assignee (a User global id)." }) assignee?: string | null;
  @Field(() => [TaskStatus], { nullable: true }) status?: TaskStatus[] | null;
  @Field(() => [TaskKind], { nullable: true }) kind?: TaskKind[] | null;
  @Field(() => DateScalar, { nullable: true, description: "Due on or before this day (tasks without a due date are left out)." }) dueBefore?: Date | null;
  @Field(() => DateScalar, { nullable: true, description: "Due on or after this day (tasks without a due date are left out)." }) dueAfter?: Date | null;
  @Field(() => ID, { nullable: true }) organisation?: string | null;
  @Field(() => ID, { nullable: true }) opportunity?: string | null;
  @Field(() => ID, { nullable: true }) visit?: string | null;
  @Field(() => ID, { nullable: true }) actionPlan?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
  @Field(() => [TaskFilter], { nullable: true, description: FILTER_DOCS.AND }) AND?: TaskFilter[] | null;
  @Field(() => [TaskFilter], { nullable: true, description: FILTER_DOCS.OR }) OR?: TaskFilter[] | null;
  @Field(() => TaskFilter, { nullable: true, description: FILTER_DOCS.NOT }) NOT?: TaskFilter | null;
}

export enum TaskOrderField {
  DUE_DATE = "DUE_DATE",
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
}
registerEnumType(TaskOrderField, { name: "TaskOrderField", description: "DUE_DATE puts tasks without a due date last in either direction unless the key says otherwise (nulls)." });

@InputType()
export class TaskOrder {
  @Field(() => TaskOrderField) field!: TaskOrderField;
  @Field(() => SortDirection, { nullable: true, defaultValue: SortDirection.ASC }) direction?: SortDirection | null;
  @Field(() => NullsOrder, { nullable: true, description: ORDER_DOCS.nulls }) nulls?: NullsOrder | null;
}

@InputType({
  description:
    "On an organisation, a deal, a pending organisation request or an action plan — or a personal task (users only). Tasks on a visit are created by prepareVisit and reportVisit.",
})
export class CreateTaskInput {
  @Field(() => TaskKind) kind!: TaskKind;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateScalar, { nullable: true }) dueDate?: Date | null;
  @Field(() => ID, { nullable: true, description: "Default: the viewer (a token's task has none). Reps: themselves; managers: themselves or their team; head office: any active commercial user." })
  assigneeId?: string | null;
  @Field(() => ID, { nullable: true }) organisationId?: string | null;
  @Field(() => ID, { nullable: true, description: "The task also hangs on the deal's organisation." }) opportunityId?: string | null;
  @Field(() => ID, { nullable: true, description: "A pending organisation request (the task moves to the organisation on approval)." }) requestId?: string | null;
  @Field(() => ID, { nullable: true, description: "An active action plan (the task also hangs on the plan's organisation)." }) actionPlanId?: string | null;
}

@InputType({ description: "Changes the fields sent (an open task only); null clears description and dueDate. `version` must be the one last read." })
export class UpdateTaskInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => TaskKind, { nullable: true }) kind?: TaskKind | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateScalar, { nullable: true }) dueDate?: Date | null;
  @Field(() => ID, { nullable: true, description: "Reassigns the task, with the same rules as createTask." }) assigneeId?: string | null;
}

@InputType()
export class CompleteTaskInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}

@InputType()
export class CancelTaskInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}

@InputType()
export class ReopenTaskInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}

@ObjectType()
export class TaskPayload {
  @Field(() => Task, { nullable: true }) task!: TaskRow | null;
}
