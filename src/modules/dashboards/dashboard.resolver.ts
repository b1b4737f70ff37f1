import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { DashboardScopeInput, PeriodInput } from "./dashboard.inputs.js";
import { getActivityDashboard, getDataHealthDashboard, getFieldDynamicsDashboard, getFlash, getOrganisationDashboard } from "./dashboard.service.js";
import { ActivityDashboard, DataHealthDashboard, FieldDynamicsDashboard, FlashFigures, OrganisationDashboard } from "./dashboard.types.js";

// A dashboard aggregates up to hundreds of thousands of rows in the database: it spends as much of the
// cost limit and the rate budget as a list of that many items (a company dashboard costs 150–700 ms).
const DASHBOARD_COST = 2_000;
const FLASH_COST = 200;

const scopeArg = { nullable: true, description: "Default: the viewer's own (a rep: themselves; a manager: their team; head office: the company)." };
const periodArg = { nullable: true, description: "Default: this month." };

@Resolver()
export class DashboardResolver {
  @Query(() => ActivityDashboard, { description: "Activity steering: revenue, orders, basket, pipeline, win rate, forecast.", complexity: DASHBOARD_COST })
  activityDashboard(
    @Arg("scope", () => DashboardScopeInput, scopeArg) scope: DashboardScopeInput | null,
    @Arg("period", () => PeriodInput, periodArg) period: PeriodInput | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return getActivityDashboard(ctx, scope, period);
  }

  @Query(() => OrganisationDashboard, { description: "The rep's assistant: late visits, quotes to chase, outstanding items, tasks due.", complexity: DASHBOARD_COST })
  organisationDashboard(@Arg("scope", () => DashboardScopeInput, scopeArg) scope: DashboardScopeInput | null, @Ctx() ctx: AuthedContext) {
    return getOrganisationDashboard(ctx, scope);
  }

  @Query(() => DataHealthDashboard, { description: "Data health of the referential.", complexity: DASHBOARD_COST })
  dataHealthDashboard(
    @Arg("scope", () => DashboardScopeInput, scopeArg) scope: DashboardScopeInput | null,
    @Arg("period", () => PeriodInput, periodArg) period: PeriodInput | null,
    @Arg("defaultOrderCycleDays", () => Int, { nullable: true, description: "Ordering cycle for clients with too few orders (default 90)." })
    defaultOrderCycleDays: number | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return getDataHealthDashboard(ctx, scope, period, defaultOrderCycleDays);
  }

  @Query(() => FieldDynamicsDashboard, { description: "Field dynamics: visits, conversion, action plans, leads, effort.", complexity: DASHBOARD_COST })
  fieldDynamicsDashboard(
    @Arg("scope", () => DashboardScopeInput, scopeArg) scope: DashboardScopeInput | null,
    @Arg("period", () => PeriodInput, periodArg) period: PeriodInput | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return getFieldDynamicsDashboard(ctx, scope, period);
  }

  @Query(() => FlashFigures, { description: "A few figures of the viewer's own scope for a home screen.", complexity: FLASH_COST })
  flash(@Arg("period", () => PeriodInput, periodArg) period: PeriodInput | null, @Ctx() ctx: AuthedContext) {
    return getFlash(ctx, period);
  }
}
