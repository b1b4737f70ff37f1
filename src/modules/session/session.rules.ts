import { everyone, type RuleMap } from "../../auth/rules.js";

export const sessionRules: RuleMap = {
  Mutation: { login: everyone },
  LoginPayload: { "*": everyone },
};
