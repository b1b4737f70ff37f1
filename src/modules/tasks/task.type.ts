import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { Task as TaskRow } from "../../db/generated/client.js";
import { TaskKind, TaskStatus } from "../../db/generated/enums.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";

registerEnumType(TaskKind, { name: "TaskKind", description: "What the task is: a presentation, a training, a project review, a follow-up…" });
registerEnumType(TaskStatus, { name: "TaskStatus" });

export type { TaskRow };

@ObjectType({ implements: Node, description: "Something to do for a customer, a deal, a visit or an action plan." })
export class Task extends Node {
  @Field(() => TaskKind) kind!: TaskKind;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => DateScalar, { nullable: true }) dueDate!: Date | null;
  @Field(() => TaskStatus) status!: TaskStatus;
  @Field(() => DateTimeScalar, { nullable: true }) completedAt!: Date | null;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
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

@InputType()
export class TaskFilter {
  @Field(() => ID, { nullable: true }) assignee?: string | null;
  @Field(() => ID, { nullable: true }) organisation?: string | null;
  @Field(() => [TaskStatus], { nullable: true }) status?: TaskStatus[] | null;
  @Field(() => [TaskKind], { nullable: true }) kind?: TaskKind[] | null;
  @Field(() => DateScalar, { nullable: true, description: "Due on or before this day." }) dueBefore?: Date | null;
  @Field(() => Boolean, { nullable: true, description: "Tasks due: open and due today or earlier." }) due?: boolean | null;
}

@InputType({ description: "On an organisation, a deal, a pending organisation request or an action plan — or a personal task." })
export class CreateTaskInput {
  @Field(() => TaskKind) kind!: TaskKind;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateScalar, { nullable: true }) dueDate?: Date | null;
  @Field(() => ID, { nullable: true, description: "Default: the viewer. Managers: a rep of their team; head office: any rep." }) assigneeId?: string | null;
  @Field(() => ID, { nullable: true }) organisationId?: string | null;
  @Field(() => ID, { nullable: true }) opportunityId?: string | null;
  @Field(() => ID, { nullable: true, description: "A pending organisation request (the task moves to the organisation on approval)." }) requestId?: string | null;
  @Field(() => ID, { nullable: true }) actionPlanId?: string | null;
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

@ObjectType()
export class TaskPayload {
  @Field(() => Task, { nullable: true }) task!: TaskRow | null;
}
