import { anyOf, everyone, role, scope, type RuleMap } from "../../auth/rules.js";
import { readContacts } from "../organisations/organisation.rules.js";

const writeContacts = anyOf(role("REP", "MANAGER", "DATA_STEWARD"), scope("contacts:write"));

export const contactRules: RuleMap = {
  Query: { contacts: readContacts },
  Mutation: { createContact: writeContacts, updateContact: writeContacts },
  // the type follows the entity's read rule, so every path (nested, node, side paths) asks the same question
  Contact: { "*": readContacts },
  ContactConnection: { "*": everyone },
  ContactEdge: { "*": everyone },
  ContactPayload: { "*": everyone },
};
