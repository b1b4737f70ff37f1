import { anyOf, everyone, isAuthenticated, role, scope, type RuleMap } from "../../auth/rules.js";
import { readContacts } from "../organisations/organisation.rules.js";

const writeContacts = anyOf(role("REP", "MANAGER", "DATA_STEWARD"), scope("contacts:write"));

export const contactRules: RuleMap = {
  Query: { contacts: readContacts },
  Mutation: { createContact: writeContacts, updateContact: writeContacts },
  Contact: { "*": isAuthenticated },
  ContactConnection: { "*": everyone },
  ContactEdge: { "*": everyone },
  ContactPayload: { "*": everyone },
};
