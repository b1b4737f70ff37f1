import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type {
  OrganisationAssignment as AssignmentRow,
  Territory as TerritoryRow,
  TerritoryAssignment as HolderRow,
  TerritoryException as ExceptionRow,
  TerritoryRule as RuleRow,
} from "../../db/generated/client.js";
import { AssignmentKind, ExceptionMode } from "../../db/generated/enums.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { Prisma } from "../../db/generated/client.js";

export type { AssignmentRow, ExceptionRow, HolderRow, RuleRow, TerritoryRow };

registerEnumType(AssignmentKind, {
  name: "AssignmentKind",
  description: "PERMANENT: the holder; TEMPORARY: a cover that takes over for its window, the permanent holder comes back after.",
});
registerEnumType(ExceptionMode, { name: "ExceptionMode", description: "INCLUDE or EXCLUDE one organisation whatever the rules say." });

@ObjectType({
  implements: Node,
  description:
    "A sales territory: rules decide which organisations it matches, holders which rep is in charge. When several " +
    "territories match an organisation, the lowest `priority` wins, then the oldest territory, among those with a holder.",
})
export class Territory extends Node {
  @Field() name!: string;
  @Field(() => Int, { description: "Overlap resolution: the lowest number wins." }) priority!: number;
}

export const TerritoryConnection = ConnectionType(Territory, "Territory");

@ObjectType({ description: "Criteria ANDed together; a territory matches an organisation while any of its rules in force does." })
export class TerritoryRule {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) country!: string | null;
  @Field(() => String, { nullable: true }) region!: string | null;
  @Field(() => [String], { description: "The postal code starts with one of these (none: any)." }) postalCodePrefixes!: string[];
  @Field(() => String, { nullable: true }) banner!: string | null;
  @Field(() => String, { nullable: true }) buyingGroup!: string | null;
  @Field(() => DateScalar) validFrom!: Date;
  @Field(() => DateScalar, { nullable: true, description: "Exclusive." }) validTo!: Date | null;
}

@ObjectType({ description: "A rep holding a territory for a window (validTo exclusive)." })
export class TerritoryHolder {
  @Field(() => ID) id!: string;
  @Field(() => AssignmentKind) kind!: AssignmentKind;
  @Field(() => DateScalar) validFrom!: Date;
  @Field(() => DateScalar, { nullable: true }) validTo!: Date | null;
}

@ObjectType({ description: "One organisation included in or excluded from a territory whatever its rules say." })
export class TerritoryException {
  @Field(() => ID) id!: string;
  @Field(() => ExceptionMode) mode!: ExceptionMode;
  @Field(() => DateScalar) validFrom!: Date;
  @Field(() => DateScalar, { nullable: true }) validTo!: Date | null;
}

@ObjectType({ description: "A period during which a rep was (or will be) in charge of an organisation (validTo exclusive)." })
export class AssignmentPeriod {
  @Field(() => ID) id!: string;
  @Field(() => DateScalar) validFrom!: Date;
  @Field(() => DateScalar, { nullable: true }) validTo!: Date | null;
}

export const AssignmentPeriodConnection = ConnectionType(AssignmentPeriod, "AssignmentPeriod");

// ───────── Coverage ─────────

@ObjectType({ description: "An organisation matched by several territories on the date." })
export class CoverageOverlap {
  organisationId!: string;
  territoryIds!: string[];
  winnerTerritoryId!: string;
}

@ObjectType({ description: "Overlaps and gaps of the territories on a date (lists capped by `first`, with totals)." })
export class TerritoryCoverage {
  @Field(() => DateScalar) date!: Date;
  @Field(() => [CoverageOverlap]) overlaps!: CoverageOverlap[];
  @Field(() => Int) overlapCount!: number;
  unmatchedOrganisationIds!: string[];
  @Field(() => Int, { description: "Live organisations matched by no territory." }) unmatchedCount!: number;
  @Field(() => [Territory], { description: "Territories without a rep on the date." }) territoriesWithoutRep!: TerritoryRow[];
  @Field(() => Int) territoriesWithoutRepCount!: number;
}

// ───────── Change impact ─────────

@ObjectType({ description: "An organisation changing hands on the date." })
export class OrganisationMove {
  organisationId!: string;
  fromRepId!: string | null;
  toRepId!: string | null;
  @Field(() => MoneyScalar, { description: "Invoiced in the 12 months before the date." }) trailingRevenue!: Prisma.Decimal;
  @Field(() => MoneyScalar, { description: "Open opportunities: Σ amount × probability / 100." }) openWeightedPipeline!: Prisma.Decimal;
}

@ObjectType({ description: "What a scheduled change moves between reps on its date." })
export class TerritoryChangeImpact {
  @Field(() => DateScalar) date!: Date;
  @Field(() => [OrganisationMove]) moves!: OrganisationMove[];
  @Field(() => Int) moveCount!: number;
  @Field(() => MoneyScalar) trailingRevenue!: Prisma.Decimal;
  @Field(() => MoneyScalar) openWeightedPipeline!: Prisma.Decimal;
  @Field(() => [ObjectiveConcerned]) objectives!: ObjectiveConcerned[];
}

@ObjectType({ description: "An objective of a rep who loses or gains organisations, in force on the date." })
export class ObjectiveConcerned {
  @Field(() => ID) id!: string;
  objectiveId!: string;
  userId!: string;
  @Field() metric!: string;
  @Field(() => DateScalar) periodStart!: Date;
  @Field(() => DateScalar) periodEnd!: Date;
  @Field(() => MoneyScalar) target!: Prisma.Decimal;
  @Field(() => MoneyScalar, { description: "Suggested target after proportional realignment (see applyObjectiveRealignment)." })
  realignedTarget!: Prisma.Decimal;
  @Field(() => Int) version!: number;
}

// ───────── Inputs and payloads ─────────

@InputType()
export class CreateTerritoryInput {
  @Field() name!: string;
  @Field(() => ID, { nullable: true, description: "Team; managers may only create for their own team (default)." }) teamId?: string | null;
  @Field(() => Int, { nullable: true }) priority?: number | null;
}

@InputType()
export class AddTerritoryRuleInput {
  @Field(() => ID) territoryId!: string;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => [String], { nullable: true }) postalCodePrefixes?: string[] | null;
  @Field(() => String, { nullable: true }) banner?: string | null;
  @Field(() => String, { nullable: true }) buyingGroup?: string | null;
  @Field(() => ID, { nullable: true, description: "Matches the organisation itself and every organisation below it." })
  ancestorOrganisationId?: string | null;
  @Field(() => DateScalar) validFrom!: Date;
  @Field(() => DateScalar, { nullable: true }) validTo?: Date | null;
}

@InputType()
export class EndTerritoryRuleInput {
  @Field(() => ID) territoryId!: string;
  @Field(() => ID) ruleId!: string;
  @Field(() => DateScalar, { description: "First day the rule no longer applies (not before today)." }) validTo!: Date;
}

@InputType()
export class SetTerritoryExceptionInput {
  @Field(() => ID) territoryId!: string;
  @Field(() => ID) organisationId!: string;
  @Field(() => ExceptionMode) mode!: ExceptionMode;
  @Field(() => DateScalar) validFrom!: Date;
  @Field(() => DateScalar, { nullable: true }) validTo?: Date | null;
}

@InputType()
export class AssignTerritoryInput {
  @Field(() => ID) territoryId!: string;
  @Field(() => ID) repId!: string;
  @Field(() => AssignmentKind) kind!: AssignmentKind;
  @Field(() => DateScalar) validFrom!: Date;
  @Field(() => DateScalar, { nullable: true }) validTo?: Date | null;
}

@InputType()
export class TerritoryChangeImpactInput {
  @Field(() => DateScalar, { description: "The day the change takes effect." }) date!: Date;
  @Field(() => ID, { nullable: true, description: "Only moves into or out of this territory." }) territoryId?: string | null;
}

@InputType()
export class ApplyObjectiveRealignmentInput {
  @Field(() => DateScalar) date!: Date;
  @Field(() => ID, { nullable: true }) territoryId?: string | null;
}

@ObjectType()
export class TerritoryPayload {
  @Field(() => Territory, { nullable: true }) territory!: TerritoryRow | null;
  @Field(() => Int, { nullable: true, description: "Organisations whose intervals were recomputed." }) recomputedOrganisations!: number | null;
}

@ObjectType()
export class ApplyObjectiveRealignmentPayload {
  @Field(() => [ObjectiveConcerned]) objectives!: ObjectiveConcerned[];
}
