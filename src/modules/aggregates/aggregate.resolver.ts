import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Info, Int, Query, Resolver } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { fieldNamesUnder } from "../../graphql/projection.js";
import { OrganisationFilter } from "../organisations/organisation.type.js";
import { OrderFilter } from "../orders/order.type.js";
import { OpportunityFilter } from "../pipeline/opportunity.type.js";
import { VisitFilter } from "../visits/visit.type.js";
import {
  DEFAULT_MAX_GROUPS,
  DURATION_METRIC_FIELDS,
  MAX_DIMENSIONS,
  MAX_GROUPS,
  type Metric,
  metricsAsked,
  MONEY_METRIC_FIELDS,
  opportunityAggregates,
  orderAggregates,
  organisationAggregates,
  visitAggregates,
} from "./aggregate.service.js";
import {
  OpportunityAggregates,
  OpportunityGroupBy,
  OpportunityMeasure,
  OrderAggregates,
  OrderGroupBy,
  OrganisationAggregates,
  OrganisationGroupBy,
  VisitAggregates,
  VisitGroupBy,
} from "./aggregate.type.js";

/** Priced like a dashboard: one statement that reads the whole scope. */
const AGGREGATE_COST = 2_000;

const GROUP_BY_DOC = `Up to ${MAX_DIMENSIONS} dimensions; none: the total alone.`;
/** The metrics the operation reads on the groups or the total. */
const asked = (info: GraphQLResolveInfo, fields: Readonly<Record<string, Metric>>) => metricsAsked(fieldNamesUnder(info, ["groups", "total"]), fields);

const MAX_GROUPS_DOC = `Refuse (BAD_USER_INPUT) past this many groups rather than cut them; default ${DEFAULT_MAX_GROUPS}, at most ${MAX_GROUPS}.`;

@Resolver()
export class AggregateResolver {
  @Query(() => OpportunityAggregates, { description: "Deals counted and summed by the dimensions asked, over the viewer's deals that pass the filter (as opportunities(filter:) lists them).", complexity: AGGREGATE_COST })
  opportunityAggregates(
    @Arg("filter", () => OpportunityFilter, { nullable: true }) filter: OpportunityFilter | null,
    @Arg("groupBy", () => [OpportunityGroupBy], { description: GROUP_BY_DOC }) groupBy: OpportunityGroupBy[],
    @Arg("measure", () => OpportunityMeasure, { nullable: true, description: "What sum, average, min and max add up (default AMOUNT)." }) measure: OpportunityMeasure | null,
    @Arg("maxGroups", () => Int, { nullable: true, description: MAX_GROUPS_DOC }) maxGroups: number | null,
    @Ctx() ctx: AuthedContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return opportunityAggregates(ctx, { filter, groupBy, maxGroups, metrics: asked(info, MONEY_METRIC_FIELDS) }, measure ?? OpportunityMeasure.AMOUNT);
  }

  @Query(() => OrganisationAggregates, { description: "Organisations counted by the dimensions asked, over the viewer's organisations that pass the filter (as organisations(filter:) lists them).", complexity: AGGREGATE_COST })
  organisationAggregates(
    @Arg("filter", () => OrganisationFilter, { nullable: true }) filter: OrganisationFilter | null,
    @Arg("groupBy", () => [OrganisationGroupBy], { description: GROUP_BY_DOC }) groupBy: OrganisationGroupBy[],
    @Arg("maxGroups", () => Int, { nullable: true, description: MAX_GROUPS_DOC }) maxGroups: number | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return organisationAggregates(ctx, { filter, groupBy, maxGroups, metrics: new Set() });
  }

  @Query(() => VisitAggregates, { description: "Visits counted, and their reported durations summed, by the dimensions asked, over the viewer's visits that pass the filter (as visits(filter:) lists them).", complexity: AGGREGATE_COST })
  visitAggregates(
    @Arg("filter", () => VisitFilter, { nullable: true }) filter: VisitFilter | null,
    @Arg("groupBy", () => [VisitGroupBy], { description: GROUP_BY_DOC }) groupBy: VisitGroupBy[],
    @Arg("maxGroups", () => Int, { nullable: true, description: MAX_GROUPS_DOC }) maxGroups: number | null,
    @Ctx() ctx: AuthedContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return visitAggregates(ctx, { filter, groupBy, maxGroups, metrics: asked(info, DURATION_METRIC_FIELDS) });
  }

  @Query(() => OrderAggregates, { description: "Orders counted and their amounts summed by the dimensions asked, over the viewer's orders that pass the filter (as orders(filter:) lists them).", complexity: AGGREGATE_COST })
  orderAggregates(
    @Arg("filter", () => OrderFilter, { nullable: true }) filter: OrderFilter | null,
    @Arg("groupBy", () => [OrderGroupBy], { description: GROUP_BY_DOC }) groupBy: OrderGroupBy[],
    @Arg("maxGroups", () => Int, { nullable: true, description: MAX_GROUPS_DOC }) maxGroups: number | null,
    @Ctx() ctx: AuthedContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return orderAggregates(ctx, { filter, groupBy, maxGroups, metrics: asked(info, MONEY_METRIC_FIELDS) });
  }
}
