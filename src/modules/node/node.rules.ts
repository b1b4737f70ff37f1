import { isAuthenticated, type RuleMap } from "../../auth/rules.js";

// node(id) only dispatches: each type's fetcher applies that type's scope, each type's rules its fields.
export const nodeRules: RuleMap = {
  Query: { node: isAuthenticated },
};
