import type { EntityTypeAliases } from "../../auth/read-policy.js";
import { everyone, role, type RuleMap } from "../../auth/rules.js";
import { EXPORT_ENTITY } from "./privacy.service.js";

/** A contact's GDPR requests are answered by head office. */
const headOffice = role("HEAD_OFFICE");

export const privacyRules: RuleMap = {
  Query: { contactDataExport: headOffice },
  Mutation: { eraseContact: headOffice },
  EraseContactPayload: { "*": everyone },
};

/** An export's audit event reads like the contact's (who may read contacts sees that one was exported). */
export const privacyEntities: EntityTypeAliases = { [EXPORT_ENTITY]: "Contact" };
