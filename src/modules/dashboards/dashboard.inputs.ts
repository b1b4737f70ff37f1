import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { DateScalar } from "../../graphql/scalars.js";

export enum DashboardScopeKind {
  REP = "REP",
  TEAM = "TEAM",
  TERRITORY = "TERRITORY",
  COMPANY = "COMPANY",
}
registerEnumType(DashboardScopeKind, { name: "DashboardScopeKind" });

export enum PeriodPreset {
  THIS_MONTH = "THIS_MONTH",
  LAST_MONTH = "LAST_MONTH",
  QUARTER_TO_DATE = "QUARTER_TO_DATE",
  YEAR_TO_DATE = "YEAR_TO_DATE",
  TRAILING_12_MONTHS = "TRAILING_12_MONTHS",
}
registerEnumType(PeriodPreset, { name: "PeriodPreset" });

@InputType({ description: "Whose figures: a rep, a team, a territory or the company (default: the viewer's own)." })
export class DashboardScopeInput {
  @Field(() => DashboardScopeKind) kind!: DashboardScopeKind;
  @Field(() => ID, { nullable: true, description: "Global id of the rep (User), Team or Territory; none for COMPANY." })
  id?: string | null;
}

@InputType({ description: "A named period, or from/to dates (inclusive). Default: this month." })
export class PeriodInput {
  @Field(() => PeriodPreset, { nullable: true }) preset?: PeriodPreset | null;
  @Field(() => DateScalar, { nullable: true }) from?: Date | null;
  @Field(() => DateScalar, { nullable: true, description: "Inclusive." }) to?: Date | null;
}

@ObjectType({ description: "The period a dashboard covers (both dates inclusive)." })
export class Period {
  @Field(() => DateScalar) from!: Date;
  @Field(() => DateScalar) to!: Date;
}

@ObjectType({ description: "The scope a dashboard was computed for." })
export class DashboardScope {
  @Field(() => DashboardScopeKind) kind!: DashboardScopeKind;
  @Field(() => ID, { nullable: true }) id!: string | null;
  @Field() label!: string;
}
