// What the contacts module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { ContactHygieneResolver } from "./contact-hygiene.resolver.js";
import { ContactResolver, OrganisationContactsResolver } from "./contact.resolver.js";
import { contactColumns, contactRules } from "./contact.rules.js";
import { getContact } from "./contact.service.js";
import { Contact } from "./contact.type.js";
import { customFieldsResolverOf } from "../custom-fields/custom-field.resolver.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";

export const contactsModule: DomainModule = {
  resolvers: [ContactResolver, OrganisationContactsResolver, ContactHygieneResolver, customFieldsResolverOf(Contact, CustomFieldEntity.CONTACT)],
  rules: [contactRules],
  nodes: { Contact: getContact },
  columns: [contactColumns],
};
