import { everyone, isAuthenticated, type RuleMap } from "../../auth/rules.js";

export const territoryRules: RuleMap = {
  Query: { territories: isAuthenticated },
  Territory: { "*": isAuthenticated },
  TerritoryConnection: { "*": everyone },
  TerritoryEdge: { "*": everyone },
};
