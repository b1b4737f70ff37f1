import { anyOf, everyone, isAuthenticated, role, scope, type RuleMap } from "../../auth/rules.js";

/** Reps, managers and partners with leads:write file requests; stewards (and head office) resolve them. */
export const fileRequests = anyOf(role("REP", "MANAGER"), scope("leads:write"));
export const stewards = role("DATA_STEWARD", "HEAD_OFFICE");
const readRequests = anyOf(role("REP", "MANAGER", "DATA_STEWARD", "HEAD_OFFICE"), scope("leads:write"));

export const organisationRequestRules: RuleMap = {
  Query: { organisationRequests: readRequests, organisationRequest: readRequests, findDuplicateOrganisations: stewards },
  Mutation: {
    requestOrganisation: fileRequests,
    approveOrganisationRequest: stewards,
    rejectOrganisationRequest: stewards,
    mergeOrganisations: stewards,
    refreshDuplicateCandidates: stewards,
  },
  OrganisationRequest: { "*": isAuthenticated },
  OrganisationRequestConnection: { "*": everyone },
  OrganisationRequestEdge: { "*": everyone },
  OrganisationRequestPayload: { "*": everyone },
  MergeOrganisationsPayload: { "*": everyone },
  ProposedOrganisation: { "*": everyone },
  OrganisationIdentity: { "*": everyone },
  DuplicateCandidate: { "*": everyone },
};
