import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { ActionPlan as ActionPlanRow } from "../../db/generated/client.js";
import { ActionPlanStatus, TaskKind } from "../../db/generated/enums.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";
import { FILTER_DOCS } from "../../graphql/filter-tree.js";
import { SortDirection } from "../../graphql/sorting.js";

registerEnumType(ActionPlanStatus, { name: "ActionPlanStatus", description: "ACTIVE plans take new tasks; CLOSED ones do not." });

export type { ActionPlanRow };

@ObjectType({ implements: Node, description: "An objective for an organisation or a rep, reached through tasks." })
export class ActionPlan extends Node {
  @Field() objective!: string;
  @Field(() => DateScalar, { nullable: true }) startDate!: Date | null;
  @Field(() => DateScalar, { nullable: true }) endDate!: Date | null;
  @Field(() => ActionPlanStatus) status!: ActionPlanStatus;
  @Field(() => Int, { description: "Optimistic-concurrency version: send it back with every change." }) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const ActionPlanConnection = ConnectionType(ActionPlan, "ActionPlan");

@ObjectType({
  description:
    "Progress of a plan = done / total, where total counts every task of the plan except the CANCELLED ones (a cancelled task is not work left to do) and done counts the DONE ones. All the plan's tasks count, whoever may see them.",
})
export class ActionPlanTaskProgress {
  @Field(() => Int, { description: "Tasks DONE." }) done!: number;
  @Field(() => Int, { description: "Tasks OPEN or DONE (CANCELLED ones do not count)." }) total!: number;
  @Field(() => Float, { nullable: true, description: "done / total, between 0 and 1; null when total is 0." }) ratio!: number | null;
}

@InputType({ description: "All given criteria must hold." })
export class ActionPlanFilter {
  @Field(() => ID, { nullable: true }) organisation?: string | null;
  @Field(() => ID, { nullable: true, description: "The rep carrying the plan (a User global id)." }) rep?: string | null;
  @Field(() => [ActionPlanStatus], { nullable: true }) status?: ActionPlanStatus[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
}

export enum ActionPlanOrderField {
  CREATED_AT = "CREATED_AT",
  END_DATE = "END_DATE",
}
registerEnumType(ActionPlanOrderField, { name: "ActionPlanOrderField", description: "END_DATE puts plans without an end date last in either direction." });

@InputType()
export class ActionPlanOrder {
  @Field(() => ActionPlanOrderField) field!: ActionPlanOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@InputType({ description: "A task of a new plan: assigned to the plan's rep, on the plan's organisation." })
export class ActionPlanTaskInput {
  @Field(() => TaskKind) kind!: TaskKind;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateScalar, { nullable: true }) dueDate?: Date | null;
}

@InputType({ description: "For an organisation (its rep in charge carries it out, unless repId says who) or for a rep." })
export class CreateActionPlanInput {
  @Field() objective!: string;
  @Field(() => ID, { nullable: true }) organisationId?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: "Reps: themselves; managers: themselves or their team; head office: anyone. Default: the organisation's rep in charge, else the viewer.",
  })
  repId?: string | null;
  @Field(() => DateScalar, { nullable: true }) startDate?: Date | null;
  @Field(() => DateScalar, { nullable: true }) endDate?: Date | null;
  @Field(() => [ActionPlanTaskInput], { nullable: true, description: "At most 50." }) tasks?: ActionPlanTaskInput[] | null;
}

@InputType({ description: "Changes the fields sent (an active plan only); null clears a date. Add tasks with createTask(actionPlanId)." })
export class UpdateActionPlanInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) objective?: string | null;
  @Field(() => DateScalar, { nullable: true }) startDate?: Date | null;
  @Field(() => DateScalar, { nullable: true }) endDate?: Date | null;
}

@InputType()
export class CloseActionPlanInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}

@ObjectType()
export class ActionPlanPayload {
  @Field(() => ActionPlan, { nullable: true }) actionPlan!: ActionPlanRow | null;
}
