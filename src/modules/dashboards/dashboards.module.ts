// What the dashboards module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { DashboardResolver } from "./dashboard.resolver.js";
import { dashboardRules } from "./dashboard.rules.js";

export const dashboardsModule: DomainModule = {
  resolvers: [DashboardResolver],
  rules: [dashboardRules],
};
