import { CUSTOM_VALUES_COLUMN } from "../custom-fields/custom-field.rules.js";
import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { ALL_ROLES, anyOf, everyone, partner, role, scope, type RuleMap } from "../../auth/rules.js";

/** Who may read organisations at all; which ones is the row-level scope's business. */
export const readOrganisations = anyOf(role(...ALL_ROLES), partner, scope("organisations:read"));

export const organisationRules: RuleMap = {
  Query: { organisations: readOrganisations, organisation: readOrganisations },
  Organisation: { "*": readOrganisations },
  OrganisationConnection: { "*": everyone },
  OrganisationEdge: { "*": everyone },
  Address: { "*": everyone },
  GeoPoint: { "*": everyone },
};

/** The address and the geo point are stored flat; the search key is internal; a merge shows on the identity. */
export const organisationColumns: ColumnFieldMap = {
  Organisation: {
    ...CUSTOM_VALUES_COLUMN,
    searchName: null,
    street: "address",
    postalCode: "address",
    city: "address",
    region: "address",
    country: "address",
    latitude: "geo",
    longitude: "geo",
    mergedIntoId: "id",
    // what a merge records beside the row: the source it absorbed, the counts of records it moved
    mergedFromId: "id",
    moved: "id",
  },
};
