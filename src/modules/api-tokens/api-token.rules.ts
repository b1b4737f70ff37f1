import type { ColumnFieldMap } from "../../auth/read-policy.js";
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

/** The jti identifies the token's writes in the audit trail; the hash never leaves the database. */
export const apiTokenColumns: ColumnFieldMap = {
  ApiToken: { jti: "id", tokenHash: null, restrictTerritoryIds: "territories", restrictOrganisationIds: "organisationIds" },
};
