import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ContactRole, ForecastCategory, OpportunitySource, OpportunityStatus } from "../../db/generated/enums.js";
import type {
  Opportunity as OpportunityRow,
  OpportunityContact as OpportunityContactRow,
  OpportunityStageChange as StageChangeRow,
  Prisma,
} from "../../db/generated/client.js";
import { sameNameColumns, type ColumnMap } from "../../graphql/projection.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { FILTER_DOCS, type FilterTree } from "../../graphql/filter-tree.js";
import { DateScalar, DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import { NullsOrder, ORDER_DOCS, SortDirection } from "../../graphql/sorting.js";
import { CustomFieldCondition, CustomFieldValueInput } from "../custom-fields/custom-field.type.js";

registerEnumType(OpportunitySource, { name: "OpportunitySource" });
registerEnumType(OpportunityStatus, { name: "OpportunityStatus" });

export type { OpportunityRow, OpportunityContactRow, StageChangeRow };

export enum CloseOutcome {
  WON = "WON",
  LOST = "LOST",
}
registerEnumType(CloseOutcome, { name: "CloseOutcome" });

@ObjectType({ description: "What is known about the deal (the qualification checklist)." })
export class Qualification {
  @Field() decisionMakersKnown!: boolean;
  @Field() budgetKnown!: boolean;
  @Field() stakesKnown!: boolean;
  @Field() timingKnown!: boolean;
}

@ObjectType({ implements: Node, description: "A sales opportunity on an organisation." })
export class Opportunity extends Node {
  @Field() name!: string;
  @Field(() => MoneyScalar, { description: "Gross amount." }) amount!: Prisma.Decimal;
  @Field(() => Int, { description: "Chance of winning, 0–100 (defaults from the stage, overridable)." }) probability!: number;
  @Field(() => DateScalar, { nullable: true }) expectedCloseDate!: Date | null;
  @Field(() => DateScalar, { nullable: true, description: "The first expected close date (to spot slipped deals)." })
  initialCloseDate!: Date | null;
  @Field(() => DateScalar, { nullable: true }) desiredDeliveryDate!: Date | null;
  @Field(() => String, { nullable: true }) needs!: string | null;
  @Field(() => MoneyScalar, { nullable: true, description: "The customer's budget, when known." }) budget!: Prisma.Decimal | null;
  @Field(() => [String]) competitors!: string[];
  @Field(() => OpportunitySource) source!: OpportunitySource;
  @Field(() => OpportunityStatus) status!: OpportunityStatus;
  @Field(() => String, { nullable: true }) lostReason!: string | null;
  @Field(() => DateTimeScalar) stageEnteredAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) closedAt!: Date | null;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar, { description: "Created = identified." }) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const OpportunityConnection = ConnectionType(Opportunity, "Opportunity");

/** What each field of Opportunity reads (the fields of the type and the resolvers in pipeline.resolver.ts). */
export const OPPORTUNITY_COLUMNS: ColumnMap<OpportunityRow> = {
  always: ["id", "organisationId"],
  fields: {
    customFields: ["customFields"],
    customField: ["customFields"],
    ...sameNameColumns<OpportunityRow>("name", "amount", "probability", "expectedCloseDate", "initialCloseDate", "desiredDeliveryDate", "needs", "budget"),
    ...sameNameColumns<OpportunityRow>("competitors", "source", "status", "lostReason", "stageEnteredAt", "closedAt", "version", "createdAt", "updatedAt"),
    id: ["id"],
    organisation: ["organisationId"],
    owner: ["ownerId"],
    stage: ["stageId"],
    weightedAmount: ["amount", "probability"],
    qualification: ["decisionMakersKnown", "budgetKnown", "stakesKnown", "timingKnown"],
    contacts: ["id"],
    stageHistory: ["id"],
    daysInStage: ["stageEnteredAt", "closedAt"],
    isStale: ["status", "stageId", "stageEnteredAt", "closedAt"],
    probabilityRegressed: ["id"],
    forecastCategory: ["stageId", "forecastCategoryOverride"],
    closeDateSlipped: ["expectedCloseDate", "initialCloseDate"],
    quotes: ["id"],
  },
};

@ObjectType({ description: "A contact's roles on this deal (who decides this deal, not the organisation in general)." })
export class OpportunityContactRole {
  @Field(() => [ContactRole]) roles!: ContactRole[];
}

@ObjectType({ description: "One change of stage, amount or probability." })
export class OpportunityStageChange {
  @Field(() => MoneyScalar, { description: "Amount after the change." }) amount!: Prisma.Decimal;
  @Field(() => Int, { description: "Probability after the change." }) probability!: number;
  @Field(() => DateTimeScalar) at!: Date;
}

@InputType()
export class OpportunityContactInput {
  @Field(() => ID) contactId!: string;
  @Field(() => [ContactRole]) roles!: ContactRole[];
}

@InputType()
export class QualificationInput {
  @Field(() => Boolean, { nullable: true }) decisionMakersKnown?: boolean | null;
  @Field(() => Boolean, { nullable: true }) budgetKnown?: boolean | null;
  @Field(() => Boolean, { nullable: true }) stakesKnown?: boolean | null;
  @Field(() => Boolean, { nullable: true }) timingKnown?: boolean | null;
}

@InputType({ description: FILTER_DOCS.type })
export class OpportunityFilter implements FilterTree<OpportunityFilter> {
  @Field(() => [OpportunityStatus], { nullable: true }) status?: OpportunityStatus[] | null;
  @Field(() => [ID], { nullable: true, description: "Pipeline stages (global ids)." }) stage?: string[] | null;
  @Field(() => ID, { nullable: true, description: "Owner (a User global id)." }) owner?: string | null;
  @Field(() => ID, { nullable: true }) organisation?: string | null;
  @Field(() => DateScalar, { nullable: true, description: "Expected close date strictly before." }) closingBefore?: Date | null;
  @Field(() => DateScalar, { nullable: true, description: "Expected close date on or after." }) closingAfter?: Date | null;
  @Field(() => Boolean, { nullable: true, description: "Only open deals longer in their stage than its maximum (true) or the others (false)." })
  stale?: boolean | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
  @Field(() => [CustomFieldCondition], { nullable: true, description: "Conditions on custom fields the reader may read (all must hold)." }) customFields?: CustomFieldCondition[] | null;
  @Field(() => [OpportunityFilter], { nullable: true, description: FILTER_DOCS.AND }) AND?: OpportunityFilter[] | null;
  @Field(() => [OpportunityFilter], { nullable: true, description: FILTER_DOCS.OR }) OR?: OpportunityFilter[] | null;
  @Field(() => OpportunityFilter, { nullable: true, description: FILTER_DOCS.NOT }) NOT?: OpportunityFilter | null;
}

export enum OpportunityOrderField {
  EXPECTED_CLOSE_DATE = "EXPECTED_CLOSE_DATE",
  AMOUNT = "AMOUNT",
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
  NAME = "NAME",
}
registerEnumType(OpportunityOrderField, { name: "OpportunityOrderField" });

@InputType()
export class OpportunityOrder {
  @Field(() => OpportunityOrderField) field!: OpportunityOrderField;
  @Field(() => SortDirection, { nullable: true, defaultValue: SortDirection.ASC }) direction?: SortDirection | null;
  @Field(() => NullsOrder, { nullable: true, description: ORDER_DOCS.nulls }) nulls?: NullsOrder | null;
}

@InputType()
export class CreateOpportunityInput {
  @Field(() => ID) organisationId!: string;
  @Field() name!: string;
  @Field(() => MoneyScalar) amount!: Prisma.Decimal;
  @Field(() => ID, { nullable: true, description: "Default: the first active stage." }) stageId?: string | null;
  @Field(() => Int, { nullable: true, description: "Default: the stage's probability." }) probability?: number | null;
  @Field(() => ID, { nullable: true, description: "Default: the rep creating it, else the rep in charge of the organisation." })
  ownerId?: string | null;
  @Field(() => DateScalar, { nullable: true }) expectedCloseDate?: Date | null;
  @Field(() => DateScalar, { nullable: true }) desiredDeliveryDate?: Date | null;
  @Field(() => String, { nullable: true }) needs?: string | null;
  @Field(() => MoneyScalar, { nullable: true }) budget?: Prisma.Decimal | null;
  @Field(() => [String], { nullable: true }) competitors?: string[] | null;
  @Field(() => OpportunitySource, { nullable: true }) source?: OpportunitySource | null;
  @Field(() => QualificationInput, { nullable: true }) qualification?: QualificationInput | null;
  @Field(() => [OpportunityContactInput], { nullable: true }) contacts?: OpportunityContactInput[] | null;
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields to set (null or an empty list as a value clears one); each must be writable by the viewer." }) customFields?: CustomFieldValueInput[] | null;
}

@InputType({ description: "Changes the fields sent (not the stage: see moveOpportunityStage); `version` must be the one last read." })
export class UpdateOpportunityInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => MoneyScalar, { nullable: true }) amount?: Prisma.Decimal | null;
  @Field(() => Int, { nullable: true }) probability?: number | null;
  @Field(() => ID, { nullable: true }) ownerId?: string | null;
  @Field(() => DateScalar, { nullable: true }) expectedCloseDate?: Date | null;
  @Field(() => DateScalar, { nullable: true }) desiredDeliveryDate?: Date | null;
  @Field(() => String, { nullable: true }) needs?: string | null;
  @Field(() => MoneyScalar, { nullable: true }) budget?: Prisma.Decimal | null;
  @Field(() => [String], { nullable: true }) competitors?: string[] | null;
  @Field(() => OpportunitySource, { nullable: true }) source?: OpportunitySource | null;
  @Field(() => QualificationInput, { nullable: true }) qualification?: QualificationInput | null;
  @Field(() => [OpportunityContactInput], { nullable: true, description: "Replaces the deal's contact roles." })
  contacts?: OpportunityContactInput[] | null;
  @Field(() => ForecastCategory, {
    nullable: true,
    description: "The rep's forecast category for this deal (PIPELINE, BEST_CASE, COMMIT or OMITTED); null: back to the stage's. Reset when the stage changes.",
  })
  forecastCategory?: ForecastCategory | null;
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields to set (null or an empty list as a value clears one); each must be writable by the viewer." }) customFields?: CustomFieldValueInput[] | null;
}

@InputType()
export class MoveOpportunityStageInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => ID) stageId!: string;
  @Field(() => Int, { nullable: true, description: "Default: the new stage's probability." }) probability?: number | null;
}

@InputType()
export class CloseOpportunityInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => CloseOutcome) outcome!: CloseOutcome;
  @Field(() => String, { nullable: true, description: "Required when LOST." }) lostReason?: string | null;
}

@ObjectType()
export class OpportunityPayload {
  @Field(() => Opportunity, { nullable: true }) opportunity!: OpportunityRow | null;
}
