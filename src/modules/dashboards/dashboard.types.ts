import { Field, Float, Int, ObjectType } from "type-graphql";
import { DateScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { Prisma } from "../../db/generated/client.js";
import { ForecastCategory } from "../../db/generated/enums.js";
import { DashboardScope, Period } from "./dashboard.inputs.js";

type Money = Prisma.Decimal | string;

@ObjectType({ description: "A ratio with its inputs; value is null when the denominator is 0." })
export class Ratio {
  @Field(() => Float) numerator!: number;
  @Field(() => Float) denominator!: number;
  @Field(() => Float, { nullable: true }) value!: number | null;
}

@ObjectType({ description: "An amount against its objective (target and attainment are null without an objective)." })
export class MoneyAgainstTarget {
  @Field(() => MoneyScalar) value!: Money;
  @Field(() => MoneyScalar, { nullable: true }) target!: Money | null;
  @Field(() => Float, { nullable: true, description: "value / target" }) attainment!: number | null;
}

@ObjectType({ description: "A count against its objective." })
export class CountAgainstTarget {
  @Field(() => Int) value!: number;
  @Field(() => Float, { nullable: true }) target!: number | null;
  @Field(() => Float, { nullable: true }) attainment!: number | null;
}

@ObjectType({ description: "Average basket = ordered amount / number of orders." })
export class AverageBasket {
  @Field({ description: "The group (ALL, a segment or a category)." }) group!: string;
  @Field(() => MoneyScalar) orderedAmount!: Money;
  @Field(() => Int) orderCount!: number;
  @Field(() => MoneyScalar, { nullable: true }) average!: Money | null;
}

@ObjectType()
export class PipelineSlice {
  @Field({ description: "Stage name, or close month (YYYY-MM, or NONE)." }) key!: string;
  @Field(() => Int) count!: number;
  @Field(() => MoneyScalar) amount!: Money;
  @Field(() => MoneyScalar) weightedAmount!: Money;
}

@ObjectType()
export class WeightedPipeline {
  @Field(() => Int) count!: number;
  @Field(() => MoneyScalar) amount!: Money;
  @Field(() => MoneyScalar, { description: "Σ amount × probability / 100, each rounded to cents." }) weightedAmount!: Money;
  @Field(() => [PipelineSlice]) byStage!: PipelineSlice[];
  @Field(() => [PipelineSlice]) byCloseMonth!: PipelineSlice[];
  @Field(() => Ratio, { nullable: true, description: "weighted pipeline / (invoiced revenue target − invoiced revenue); null without a remaining objective." })
  coverageOfRemainingObjective!: Ratio | null;
}

@ObjectType()
export class SourceCount {
  @Field(() => String, { description: "An OpportunitySource value." }) source!: string;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class ForecastReliability {
  @Field(() => MoneyScalar, { description: "Σ weighted amount 30 days before closing, of the opportunities closed in the period." }) forecast!: Money;
  @Field(() => MoneyScalar, { description: "Σ amount of those that were won." }) actual!: Money;
  @Field(() => Float, { nullable: true, description: "actual / forecast" }) ratio!: number | null;
}

@ObjectType({ description: "The deals of one forecast category for the period." })
export class ForecastCategorySlice {
  @Field(() => ForecastCategory) category!: ForecastCategory;
  @Field(() => Int) count!: number;
  @Field(() => MoneyScalar) amount!: Money;
  @Field(() => MoneyScalar, { description: "Σ amount × probability / 100, each rounded to cents (won deals: their amount, lost ones: 0)." }) weightedAmount!: Money;
}

@ObjectType()
export class RepActivity {
  @Field() repId!: string;
  @Field() repName!: string;
  @Field(() => MoneyScalar) invoicedRevenue!: Money;
  @Field(() => MoneyScalar) orderedAmount!: Money;
  @Field(() => Int) orderCount!: number;
}

@ObjectType()
export class MonthPoint {
  @Field({ description: "YYYY-MM" }) month!: string;
  @Field(() => MoneyScalar) invoicedRevenue!: Money;
  @Field(() => MoneyScalar) orderedAmount!: Money;
  @Field(() => Int) orderCount!: number;
}

@ObjectType({ description: "Activity steering (SPEC §5.1): revenue, orders, pipeline, win rate, forecast." })
export class ActivityDashboard {
  @Field(() => DashboardScope) scope!: DashboardScope;
  @Field(() => Period) period!: Period;
  @Field(() => MoneyAgainstTarget) invoicedRevenue!: MoneyAgainstTarget;
  @Field(() => MoneyAgainstTarget) orderedAmount!: MoneyAgainstTarget;
  @Field(() => CountAgainstTarget) orderCount!: CountAgainstTarget;
  @Field(() => [AverageBasket], { description: "ALL first, then by segment, then by category." }) averageBasket!: AverageBasket[];
  @Field(() => WeightedPipeline, { description: "Open opportunities today." }) weightedPipeline!: WeightedPipeline;
  @Field(() => Ratio, { description: "won / closed, among opportunities closed in the period." }) winRate!: Ratio;
  @Field(() => [SourceCount], { description: "Opportunities created in the period, by source." }) createdBySource!: SourceCount[];
  @Field(() => ForecastReliability) forecastReliability!: ForecastReliability;
  @Field(() => [ForecastCategorySlice], {
    description: "The period's forecast by category: open deals expected to close in the period, and deals closed in it (won: CLOSED, lost: OMITTED). Every category, in the order PIPELINE, BEST_CASE, COMMIT, CLOSED, OMITTED.",
  })
  forecast!: ForecastCategorySlice[];
  @Field(() => [RepActivity], { description: "Per rep, for team and company scopes (credited on their dates)." }) byRep!: RepActivity[];
  @Field(() => [MonthPoint], { description: "Month by month over the period." }) trend!: MonthPoint[];
}

export { DateScalar };

@ObjectType({ description: "A line of a dashboard list: what it is, about which organisation, and its date." })
export class DashboardItem {
  @Field(() => String, { description: "Global id of the visit, quote, opportunity, task or organisation." }) id!: string;
  @Field() label!: string;
  @Field(() => String, { nullable: true }) organisationId!: string | null;
  @Field(() => String, { nullable: true }) organisationName!: string | null;
  @Field(() => DateScalar, { nullable: true }) date!: Date | null;
}

@ObjectType({ description: "The first items of a list (oldest first) and how many there are in all." })
export class DashboardItemList {
  @Field(() => Int) total!: number;
  @Field(() => [DashboardItem]) items!: DashboardItem[];
}

@ObjectType()
export class OutstandingItems {
  @Field(() => Int) ordersNotDelivered!: number;
  @Field(() => MoneyScalar, { nullable: true, description: "Null for viewers without commercial figures." }) ordersNotDeliveredAmount!: Money | null;
  @Field(() => Int) openIncidents!: number;
  @Field(() => Int) pendingRequests!: number;
  @Field(() => Int) pendingMaterialRequests!: number;
}

@ObjectType({ description: "The rep's assistant (SPEC §5.2): late visits, what to chase, outstanding items, tasks due." })
export class OrganisationDashboard {
  @Field(() => DashboardScope) scope!: DashboardScope;
  @Field(() => DashboardItemList, { description: "Planned or prepared visits whose date has passed." }) lateVisits!: DashboardItemList;
  @Field(() => DashboardItemList, { description: "Organisations overdue against their visit policy." }) overdueOrganisations!: DashboardItemList;
  @Field(() => DashboardItemList, { description: "Sent quotes whose follow-up date has come, still valid." }) quotesToChase!: DashboardItemList;
  @Field(() => DashboardItemList, { description: "Open opportunities longer in their stage than its maximum." }) staleOpportunities!: DashboardItemList;
  @Field(() => DashboardItemList, { description: "Open tasks due within 7 days or late." }) tasksDue!: DashboardItemList;
  @Field(() => OutstandingItems) outstanding!: OutstandingItems;
}

@ObjectType({ description: "Data health (SPEC §5.3). Ratios carry their numerator and denominator." })
export class DataHealthDashboard {
  @Field(() => DashboardScope) scope!: DashboardScope;
  @Field(() => Period) period!: Period;
  @Field(() => Ratio, { description: "Current contacts with email, phone, job title and a role / current contacts." }) contactCompleteness!: Ratio;
  @Field(() => Float, { nullable: true, description: "0–100: mean of completeness, freshness, uniqueness, email and phone validity, current contacts." }) qualityIndex!: number | null;
  @Field(() => Ratio, { description: "Current contacts verified in the last 365 days / current contacts." }) verificationFreshness!: Ratio;
  @Field(() => Ratio, { description: "Organisations without a suspected duplicate / organisations." }) organisationUniqueness!: Ratio;
  @Field(() => Int) suspectedDuplicates!: number;
  @Field(() => Ratio) emailValidity!: Ratio;
  @Field(() => Int) invalidEmails!: number;
  @Field(() => Ratio) phoneValidity!: Ratio;
  @Field(() => Int) invalidPhones!: number;
  @Field(() => Int) contactsWhoLeft!: number;
  @Field(() => Ratio, { description: "Contacts still in their company / all contacts." }) currentContacts!: Ratio;
  @Field(() => Int, { description: "Prospects created in the period." }) newProspects!: number;
  @Field(() => Int) customers!: number;
  @Field(() => Int, { description: "Clients without an order for more than one ordering cycle (up to two)." }) inactiveCustomers!: number;
  @Field(() => Int, { description: "Clients without an order for more than two cycles." }) lostCustomers!: number;
  @Field(() => Int) defaultOrderCycleDays!: number;
  @Field(() => Int) pendingRequests!: number;
  @Field(() => Float, { nullable: true }) pendingRequestAverageAgeDays!: number | null;
  @Field(() => Float, { nullable: true }) pendingRequestOldestAgeDays!: number | null;
}

@ObjectType()
export class EffortLine {
  @Field({ description: "The category or segment." }) key!: string;
  @Field(() => Int) done!: number;
  @Field(() => Float, { description: "Visits the policy allocates to the portfolio for the period." }) planned!: number;
  @Field(() => Float, { nullable: true }) ratio!: number | null;
}

@ObjectType()
export class ActionPlanProgress {
  @Field(() => String) id!: string;
  @Field() objective!: string;
  @Field(() => Ratio, { description: "done tasks / tasks (cancelled ones excluded)" }) progress!: Ratio;
}

@ObjectType()
export class RepVisits {
  @Field(() => String) repId!: string;
  @Field() repName!: string;
  @Field(() => CountAgainstTarget) visits!: CountAgainstTarget;
}

@ObjectType({ description: "Field dynamics (SPEC §5.4)." })
export class FieldDynamicsDashboard {
  @Field(() => DashboardScope) scope!: DashboardScope;
  @Field(() => Period) period!: Period;
  @Field(() => CountAgainstTarget, { description: "Visits done in the period." }) visitReports!: CountAgainstTarget;
  @Field(() => Ratio, { description: "Done visits followed by an order of the organisation within 30 days / done visits." }) visitToOrder!: Ratio;
  @Field(() => [ActionPlanProgress]) actionPlans!: ActionPlanProgress[];
  @Field(() => Ratio) actionPlanProgress!: Ratio;
  @Field(() => CountAgainstTarget, { description: "Leads qualified in the period." }) qualifiedLeads!: CountAgainstTarget;
  @Field(() => [EffortLine]) effortByCategory!: EffortLine[];
  @Field(() => [EffortLine]) effortBySegment!: EffortLine[];
  @Field(() => [RepVisits]) visitsPerRep!: RepVisits[];
}

@ObjectType({ description: "A handful of figures for a home screen; commercial ones are null for viewers without them." })
export class FlashFigures {
  @Field(() => Period) period!: Period;
  @Field(() => Int, { nullable: true }) won!: number | null;
  @Field(() => Int, { nullable: true }) lost!: number | null;
  @Field(() => Ratio, { nullable: true, description: "won / closed" }) conversionRate!: Ratio | null;
  @Field(() => Int) visitsDone!: number;
  @Field(() => Int) lateVisits!: number;
  @Field(() => Int, { nullable: true }) quotesToChase!: number | null;
  @Field(() => Float, { nullable: true, description: "Invoiced revenue / its objective." }) revenueAttainment!: number | null;
}
