import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { everyone, isAuthenticated, type RuleMap } from "../../auth/rules.js";

// A User or Team is only reachable through a field that was itself authorised (me, login, assignedRep…).
export const userRules: RuleMap = {
  Query: { me: isAuthenticated },
  User: { "*": everyone },
  Team: { "*": everyone },
};

export const userColumns: ColumnFieldMap = { User: { passwordHash: null } };
