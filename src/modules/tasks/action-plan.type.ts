import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { ActionPlan as ActionPlanRow } from "../../db/generated/client.js";
import { ActionPlanStatus } from "../../db/generated/enums.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";
import { TaskKind } from "../../db/generated/enums.js";

registerEnumType(ActionPlanStatus, { name: "ActionPlanStatus" });

export type { ActionPlanRow };

@ObjectType({ implements: Node, description: "An objective for an organisation or a rep, reached through tasks." })
export class ActionPlan extends Node {
  @Field() objective!: string;
  @Field(() => DateScalar, { nullable: true }) startDate!: Date | null;
  @Field(() => DateScalar, { nullable: true }) endDate!: Date | null;
  @Field(() => ActionPlanStatus) status!: ActionPlanStatus;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

export const ActionPlanConnection = ConnectionType(ActionPlan, "ActionPlan");

@ObjectType({ description: "Done tasks / tasks (cancelled ones do not count)." })
export class ActionPlanTaskProgress {
  @Field(() => Int) done!: number;
  @Field(() => Int) total!: number;
  @Field(() => Float, { nullable: true, description: "done / total; null without tasks." }) ratio!: number | null;
}

@InputType()
export class ActionPlanFilter {
  @Field(() => ID, { nullable: true }) organisation?: string | null;
  @Field(() => ID, { nullable: true }) rep?: string | null;
  @Field(() => [ActionPlanStatus], { nullable: true }) status?: ActionPlanStatus[] | null;
}

@InputType()
export class ActionPlanTaskInput {
  @Field(() => TaskKind) kind!: TaskKind;
  @Field() title!: string;
  @Field(() => DateScalar, { nullable: true }) dueDate?: Date | null;
}

@InputType({ description: "For an organisation (its rep in charge carries it out) or for a rep." })
export class CreateActionPlanInput {
  @Field() objective!: string;
  @Field(() => ID, { nullable: true }) organisationId?: string | null;
  @Field(() => ID, { nullable: true, description: "Default: the organisation's rep in charge, else the viewer." }) repId?: string | null;
  @Field(() => DateScalar, { nullable: true }) startDate?: Date | null;
  @Field(() => DateScalar, { nullable: true }) endDate?: Date | null;
  @Field(() => [ActionPlanTaskInput], { nullable: true }) tasks?: ActionPlanTaskInput[] | null;
}

@InputType()
export class CloseActionPlanInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class ActionPlanPayload {
  @Field(() => ActionPlan, { nullable: true }) actionPlan!: ActionPlanRow | null;
}
