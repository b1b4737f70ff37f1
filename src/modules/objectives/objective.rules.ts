import { COMMERCIAL_ROLES, everyone, role, type RuleMap } from "../../auth/rules.js";

export const objectiveRules: RuleMap = {
  Query: { objectives: role(...COMMERCIAL_ROLES) },
  Mutation: { setObjective: role("HEAD_OFFICE", "MANAGER") },
  Objective: { "*": role(...COMMERCIAL_ROLES) },
  ObjectiveConnection: { "*": everyone },
  ObjectiveEdge: { "*": everyone },
  ObjectivePayload: { "*": everyone },
};
