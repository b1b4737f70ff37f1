import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { CUSTOM_VALUES_COLUMN } from "../custom-fields/custom-field.rules.js";
import { ALL_ROLES, anyOf, everyone, role, scope, type RuleMap } from "../../auth/rules.js";

export const readContacts = anyOf(role(...ALL_ROLES), scope("contacts:read"));
/** Hygiene lists are the data stewards' (and head office's) work queue. */
const stewards = role("DATA_STEWARD", "HEAD_OFFICE");

export const writeContacts = anyOf(role("REP", "MANAGER", "DATA_STEWARD"), scope("contacts:write"));

export const contactRules: RuleMap = {
  Query: { contacts: readContacts, contactHygiene: stewards },
  Mutation: { createContact: writeContacts, updateContact: writeContacts },
  // the type follows the entity's read rule, so every path (nested, node, side paths) asks the same question
  Contact: { "*": readContacts },
  // the contacts module adds Organisation.contacts: its rule is the contact's
  Organisation: { contacts: readContacts },
  ContactConnection: { "*": everyone },
  ContactEdge: { "*": everyone },
  ContactPayload: { "*": everyone },
};

export const contactColumns: ColumnFieldMap = { Contact: { ...CUSTOM_VALUES_COLUMN } };
