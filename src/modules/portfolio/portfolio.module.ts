// What the portfolio module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { PortfolioResolver } from "./portfolio.resolver.js";
import { portfolioRules } from "./portfolio.rules.js";

export const portfolioModule: DomainModule = {
  resolvers: [PortfolioResolver],
  rules: [portfolioRules],
};
