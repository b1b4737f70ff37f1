import { anyOf, COMMERCIAL_ROLES, everyone, partner, role, scope, type RuleMap } from "../../auth/rules.js";

// Who may ask for which family; which scope they may ask for is checked by resolveScope (NOT_FOUND /
// FORBIDDEN), and amounts are never computed for stewards and partners.
const commercial = role(...COMMERCIAL_ROLES);
const fieldViewers = anyOf(commercial, partner);
const opportunityReaders = anyOf(commercial, scope("opportunities:read"));

export const dashboardRules: RuleMap = {
  Query: {
    activityDashboard: commercial,
    organisationDashboard: fieldViewers,
    dataHealthDashboard: anyOf(role("HEAD_OFFICE", "MANAGER", "REP", "DATA_STEWARD")),
    fieldDynamicsDashboard: fieldViewers,
    flash: anyOf(role("HEAD_OFFICE", "MANAGER", "REP", "DATA_STEWARD"), partner),
  },
  ActivityDashboard: { "*": everyone },
  OrganisationDashboard: { "*": everyone, quotesToChase: opportunityReaders, staleOpportunities: opportunityReaders },
  DataHealthDashboard: { "*": everyone },
  FieldDynamicsDashboard: { "*": everyone },
  FlashFigures: { "*": everyone },
  DashboardScope: { "*": everyone },
  Period: { "*": everyone },
  Ratio: { "*": everyone },
  MoneyAgainstTarget: { "*": everyone },
  CountAgainstTarget: { "*": everyone },
  AverageBasket: { "*": everyone },
  PipelineSlice: { "*": everyone },
  WeightedPipeline: { "*": everyone },
  SourceCount: { "*": everyone },
  ForecastReliability: { "*": everyone },
  ForecastCategorySlice: { "*": everyone },
  RepActivity: { "*": everyone },
  MonthPoint: { "*": everyone },
  DashboardItem: { "*": everyone },
  DashboardItemList: { "*": everyone },
  OutstandingItems: { "*": everyone },
  EffortLine: { "*": everyone },
  ActionPlanProgress: { "*": everyone },
  RepVisits: { "*": everyone },
};
