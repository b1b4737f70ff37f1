import { everyone, role, type RuleMap } from "../../auth/rules.js";

const commercial = role("REP", "MANAGER", "HEAD_OFFICE");

export const portfolioRules: RuleMap = {
  Query: { portfolio: commercial, portfolioValue: commercial },
  Mutation: { setPlannedVisits: role("MANAGER", "HEAD_OFFICE") },
  Organisation: { plannedVisitsPerYear: commercial },
  PortfolioMonth: { "*": everyone },
  SetPlannedVisitsPayload: { "*": everyone },
};
