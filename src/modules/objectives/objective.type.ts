import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ObjectiveMetric } from "../../db/generated/enums.js";
import type { Objective as ObjectiveRow, Prisma } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import { FILTER_DOCS } from "../../graphql/filter-tree.js";

registerEnumType(ObjectiveMetric, {
  name: "ObjectiveMetric",
  description: "INVOICED_REVENUE and ORDER_AMOUNT in EUR; the others are counts (whole numbers).",
});

export type { ObjectiveRow };

@ObjectType({ implements: Node, description: "A target for a rep or a team over a period (end exclusive)." })
export class Objective extends Node {
  @Field(() => ObjectiveMetric) metric!: ObjectiveMetric;
  @Field(() => DateScalar) periodStart!: Date;
  @Field(() => DateScalar, { description: "Exclusive." }) periodEnd!: Date;
  @Field(() => MoneyScalar, { description: "Exact decimal: EUR for amounts, a whole number for counts." }) target!: Prisma.Decimal;
  @Field(() => Int) version!: number;
}

export const ObjectiveConnection = ConnectionType(Objective, "Objective");

@InputType()
export class ObjectiveFilter {
  @Field(() => ID, { nullable: true }) userId?: string | null;
  @Field(() => ID, { nullable: true }) teamId?: string | null;
  @Field(() => [ObjectiveMetric], { nullable: true }) metric?: ObjectiveMetric[] | null;
  @Field(() => DateScalar, { nullable: true, description: "Periods ending after this date." }) from?: Date | null;
  @Field(() => DateScalar, { nullable: true, description: "Periods starting before this date." }) to?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
}

@InputType({ description: "Sets the target of a rep (userId) or a team (teamId) for a metric and period; replaces an existing one." })
export class SetObjectiveInput {
  @Field(() => ID, { nullable: true }) userId?: string | null;
  @Field(() => ID, { nullable: true }) teamId?: string | null;
  @Field(() => ObjectiveMetric) metric!: ObjectiveMetric;
  @Field(() => DateScalar) periodStart!: Date;
  @Field(() => DateScalar, { description: "Exclusive." }) periodEnd!: Date;
  @Field(() => MoneyScalar) target!: Prisma.Decimal;
  @Field(() => Int, { nullable: true, description: "The version you read when the objective exists: a stale one is CONFLICT (omitted: overwrites whatever is there)." })
  version?: number | null;
}

@ObjectType()
export class ObjectivePayload {
  @Field(() => Objective, { nullable: true }) objective!: ObjectiveRow | null;
}
