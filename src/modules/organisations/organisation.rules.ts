import { ALL_ROLES, anyOf, everyone, isAuthenticated, partner, role, scope, type RuleMap } from "../../auth/rules.js";

/** Who may read organisations at all; which ones is the row-level scope's business. */
export const readOrganisations = anyOf(role(...ALL_ROLES), partner, scope("organisations:read"));
export const readContacts = anyOf(role(...ALL_ROLES), scope("contacts:read"));

export const organisationRules: RuleMap = {
  Query: { organisations: readOrganisations, organisation: readOrganisations },
  Organisation: { "*": isAuthenticated, contacts: readContacts },
  OrganisationConnection: { "*": everyone },
  OrganisationEdge: { "*": everyone },
  Address: { "*": everyone },
  GeoPoint: { "*": everyone },
};
