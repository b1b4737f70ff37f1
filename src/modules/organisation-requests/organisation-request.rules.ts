import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { anyOf, everyone, role, scope, type RuleMap } from "../../auth/rules.js";
import { CUSTOM_VALUES_COLUMN } from "../custom-fields/custom-field.rules.js";

/** Reps, managers and partners with leads:write file requests; stewards (and head office) resolve them. */
export const fileRequests = anyOf(role("REP", "MANAGER"), scope("leads:write"));
export const stewards = role("DATA_STEWARD", "HEAD_OFFICE");
const readRequests = anyOf(role("REP", "MANAGER", "DATA_STEWARD", "HEAD_OFFICE"), scope("leads:write"));
/** Identity of the whole referential (SPEC §2): whoever files or resolves requests, so that nobody asks twice for one company. */
export const searchReferential = anyOf(role("REP", "MANAGER", "DATA_STEWARD", "HEAD_OFFICE"), scope("leads:write"));

export const organisationRequestRules: RuleMap = {
  Query: { organisationRequests: readRequests, organisationRequest: readRequests, findDuplicateOrganisations: stewards, referentialSearch: searchReferential },
  Mutation: {
    requestOrganisation: fileRequests,
    approveOrganisationRequest: stewards,
    rejectOrganisationRequest: stewards,
    mergeOrganisations: stewards,
    mergeOrganisationRequest: stewards,
    refreshDuplicateCandidates: stewards,
  },
  OrganisationRequest: { "*": readRequests },
  OrganisationRequestConnection: { "*": everyone },
  OrganisationRequestEdge: { "*": everyone },
  OrganisationRequestPayload: { "*": everyone },
  MergeOrganisationsPayload: { "*": everyone },
  ProposedOrganisation: { "*": everyone },
  OrganisationIdentity: { "*": everyone },
  DuplicateCandidate: { "*": everyone },
  DuplicateRequestCandidate: { "*": everyone },
  ReferentialEntry: { "*": everyone },
  ReferentialEntryConnection: { "*": everyone },
  ReferentialEntryEdge: { "*": everyone },
};

/** The proposed organisation is stored flat and shown as `proposed`; the search key is internal. */
export const organisationRequestColumns: ColumnFieldMap = {
  OrganisationRequest: {
    requestedByTokenJti: "requestedBy",
    searchName: null,
    name: "proposed",
    legalId: "proposed",
    postalCode: "proposed",
    city: "proposed",
    region: "proposed",
    phone: "proposed",
    email: "proposed",
    // recorded beside the row: the candidates found at filing, the work re-attached on approval
    candidates: "duplicateCandidates",
    moved: "organisation",
    // the proposed custom values follow their definitions' readers: shown by `customFields` only
    ...CUSTOM_VALUES_COLUMN,
  },
};
