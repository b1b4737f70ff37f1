import { everyone, role, type RuleMap } from "../../auth/rules.js";

/** Only data stewards (and head office) write the referential directly; reps and managers request. */
const stewards = role("DATA_STEWARD", "HEAD_OFFICE");

export const organisationAdminRules: RuleMap = {
  Mutation: { createOrganisation: stewards, updateOrganisation: stewards, deactivateOrganisation: stewards, moveOrganisation: stewards },
  OrganisationPayload: { "*": everyone },
};
