// What the custom-fields module hands the composition root (src/modules/index.ts). The `customFields` fields of
// the four entities are added by their own modules (customFieldsResolverOf), which depend on this one.
import type { DomainModule } from "../../graphql/domain-module.js";
import { CustomFieldDefinitionResolver } from "./custom-field.resolver.js";
import { customFieldRules } from "./custom-field.rules.js";
import { customValueCuts } from "./custom-field.service.js";

export const customFieldsModule: DomainModule = {
  resolvers: [CustomFieldDefinitionResolver],
  rules: [customFieldRules],
  // the audit trail and webhook payloads show the four entities' stored values cut to the reader's fields
  columnCuts: [customValueCuts],
};
