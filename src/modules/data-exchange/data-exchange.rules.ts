import { anyOf, everyone, role, scope, type RuleMap } from "../../auth/rules.js";

/** The referential is the data stewards' (and head office's); scripts write it with an import scope. */
export const importOrganisations = anyOf(role("DATA_STEWARD", "HEAD_OFFICE"), scope("organisations:import"));
export const importContacts = anyOf(role("DATA_STEWARD", "HEAD_OFFICE"), scope("contacts:import"));

export const dataExchangeRules: RuleMap = {
  Mutation: { upsertOrganisations: importOrganisations, upsertContacts: importContacts },
  BulkUpsertPayload: { "*": everyone },
};
