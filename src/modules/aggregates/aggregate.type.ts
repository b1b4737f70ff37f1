import { Field, Float, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { Prisma } from "../../db/generated/client.js";
import { MoneyScalar } from "../../graphql/scalars.js";

export enum OpportunityDimension {
  STAGE = "STAGE",
  OWNER = "OWNER",
  STATUS = "STATUS",
  ORGANISATION_SEGMENT = "ORGANISATION_SEGMENT",
  ORGANISATION_CATEGORY = "ORGANISATION_CATEGORY",
  ORGANISATION_REGION = "ORGANISATION_REGION",
  EXPECTED_CLOSE_MONTH = "EXPECTED_CLOSE_MONTH",
  EXPECTED_CLOSE_QUARTER = "EXPECTED_CLOSE_QUARTER",
  CREATED_MONTH = "CREATED_MONTH",
  CREATED_QUARTER = "CREATED_QUARTER",
  CUSTOM_FIELD = "CUSTOM_FIELD",
  ORGANISATION_CUSTOM_FIELD = "ORGANISATION_CUSTOM_FIELD",
}
registerEnumType(OpportunityDimension, {
  name: "OpportunityDimension",
  description:
    "Months are YYYY-MM, quarters YYYY-Qn (UTC). CUSTOM_FIELD: an ENUM, MULTI_ENUM or BOOLEAN field the reader may read (a MULTI_ENUM record counts in the group of each option it holds); ORGANISATION_CUSTOM_FIELD: the same, of the record's organisation.",
});

export enum OrganisationDimension {
  SEGMENT = "SEGMENT",
  CATEGORY = "CATEGORY",
  REGION = "REGION",
  STATUS = "STATUS",
  CUSTOM_FIELD = "CUSTOM_FIELD",
}
registerEnumType(OrganisationDimension, { name: "OrganisationDimension", description: "CUSTOM_FIELD: as for OpportunityDimension." });

export enum VisitDimension {
  REP = "REP",
  STATUS = "STATUS",
  CHANNEL = "CHANNEL",
  ORGANISATION_SEGMENT = "ORGANISATION_SEGMENT",
  ORGANISATION_CATEGORY = "ORGANISATION_CATEGORY",
  ORGANISATION_REGION = "ORGANISATION_REGION",
  PLANNED_MONTH = "PLANNED_MONTH",
  PLANNED_QUARTER = "PLANNED_QUARTER",
  CUSTOM_FIELD = "CUSTOM_FIELD",
  ORGANISATION_CUSTOM_FIELD = "ORGANISATION_CUSTOM_FIELD",
}
registerEnumType(VisitDimension, { name: "VisitDimension", description: "Months are YYYY-MM, quarters YYYY-Qn (UTC). CUSTOM_FIELD, ORGANISATION_CUSTOM_FIELD: as for OpportunityDimension." });

export enum OrderDimension {
  CREDITED_REP = "CREDITED_REP",
  DELIVERED = "DELIVERED",
  ORGANISATION_SEGMENT = "ORGANISATION_SEGMENT",
  ORGANISATION_CATEGORY = "ORGANISATION_CATEGORY",
  ORGANISATION_REGION = "ORGANISATION_REGION",
  ORDERED_MONTH = "ORDERED_MONTH",
  ORDERED_QUARTER = "ORDERED_QUARTER",
  ORGANISATION_CUSTOM_FIELD = "ORGANISATION_CUSTOM_FIELD",
}
registerEnumType(OrderDimension, {
  name: "OrderDimension",
  description: "CREDITED_REP: the rep credited with the order (a global id; none: not credited). DELIVERED: \"true\" or \"false\". Months are YYYY-MM, quarters YYYY-Qn. ORGANISATION_CUSTOM_FIELD: as for OpportunityDimension.",
});

export enum OpportunityMeasure {
  AMOUNT = "AMOUNT",
  WEIGHTED_AMOUNT = "WEIGHTED_AMOUNT",
}
registerEnumType(OpportunityMeasure, { name: "OpportunityMeasure", description: "WEIGHTED_AMOUNT: amount × probability / 100, to the cent, as the field weightedAmount." });

/** One groupBy entry of an entity's aggregates: a dimension of its enum, and the field for CUSTOM_FIELD. */
function GroupByInput<D extends string>(dimensions: Record<string, D>, name: string) {
  @InputType(name)
  class GroupBy {
    @Field(() => dimensions) dimension!: D;
    @Field(() => String, { nullable: true, description: "The key of the custom field, for CUSTOM_FIELD and ORGANISATION_CUSTOM_FIELD." }) customField?: string | null;
  }
  return GroupBy;
}

export const OpportunityGroupBy = GroupByInput(OpportunityDimension, "OpportunityGroupBy");
export type OpportunityGroupBy = InstanceType<typeof OpportunityGroupBy>;
export const OrganisationGroupBy = GroupByInput(OrganisationDimension, "OrganisationGroupBy");
export type OrganisationGroupBy = InstanceType<typeof OrganisationGroupBy>;
export const VisitGroupBy = GroupByInput(VisitDimension, "VisitGroupBy");
export type VisitGroupBy = InstanceType<typeof VisitGroupBy>;
export const OrderGroupBy = GroupByInput(OrderDimension, "OrderGroupBy");
export type OrderGroupBy = InstanceType<typeof OrderGroupBy>;

@ObjectType({ description: "One dimension's value for a group." })
export class AggregateKey {
  @Field({ description: "The dimension, or customField.<key>." }) dimension!: string;
  @Field(() => String, { nullable: true, description: "The value (a global id for STAGE and OWNER); null: records without one." }) value!: string | null;
  @Field(() => String, { nullable: true, description: "The stage's or owner's name, the option itself, else null." }) label!: string | null;
}

@ObjectType({ description: "A group of records with an amount (deals, orders): how many, and their amounts added up, averaged, at least and at most." })
export class MoneyAggregateGroup {
  @Field(() => [AggregateKey], { description: "One per groupBy entry, in that order (none for the total)." }) keys!: AggregateKey[];
  @Field(() => Int) count!: number;
  @Field(() => MoneyScalar) sum!: Prisma.Decimal;
  @Field(() => MoneyScalar, { nullable: true }) average!: Prisma.Decimal | null;
  @Field(() => MoneyScalar, { nullable: true }) min!: Prisma.Decimal | null;
  @Field(() => MoneyScalar, { nullable: true }) max!: Prisma.Decimal | null;
}

@ObjectType()
export class OpportunityAggregates {
  @Field(() => [MoneyAggregateGroup], { description: "Ordered by the keys (no value last)." }) groups!: MoneyAggregateGroup[];
  @Field(() => MoneyAggregateGroup, { description: "All the filtered deals once each (a MULTI_ENUM grouping may count a deal in several groups)." }) total!: MoneyAggregateGroup;
}

@ObjectType()
export class OrderAggregates {
  @Field(() => [MoneyAggregateGroup], { description: "Ordered by the keys (no value last)." }) groups!: MoneyAggregateGroup[];
  @Field(() => MoneyAggregateGroup, { description: "All the filtered orders once each (a MULTI_ENUM grouping may count an order in several groups)." }) total!: MoneyAggregateGroup;
}

@ObjectType()
export class OrganisationAggregateGroup {
  @Field(() => [AggregateKey]) keys!: AggregateKey[];
  @Field(() => Int) count!: number;
}

@ObjectType()
export class OrganisationAggregates {
  @Field(() => [OrganisationAggregateGroup]) groups!: OrganisationAggregateGroup[];
  @Field(() => OrganisationAggregateGroup) total!: OrganisationAggregateGroup;
}

@ObjectType({ description: "Visits of a group; the duration figures are in minutes, over the visits whose report gives one." })
export class VisitAggregateGroup {
  @Field(() => [AggregateKey]) keys!: AggregateKey[];
  @Field(() => Int) count!: number;
  @Field(() => Int, { description: "Minutes reported in all." }) totalDuration!: number;
  @Field(() => Float, { nullable: true }) averageDuration!: number | null;
  @Field(() => Int, { nullable: true }) minDuration!: number | null;
  @Field(() => Int, { nullable: true }) maxDuration!: number | null;
}

@ObjectType()
export class VisitAggregates {
  @Field(() => [VisitAggregateGroup]) groups!: VisitAggregateGroup[];
  @Field(() => VisitAggregateGroup) total!: VisitAggregateGroup;
}
