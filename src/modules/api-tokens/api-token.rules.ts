import { everyone, role, type RuleMap } from "../../auth/rules.js";

const issuers = role("HEAD_OFFICE", "MANAGER");

export const apiTokenRules: RuleMap = {
  Query: { apiTokens: issuers },
  Mutation: { issueApiToken: issuers, revokeApiToken: issuers },
  ApiToken: { "*": issuers },
  ApiTokenConnection: { "*": everyone },
  ApiTokenEdge: { "*": everyone },
  IssueApiTokenPayload: { "*": everyone },
  RevokeApiTokenPayload: { "*": everyone },
};
