import { everyone, isAuthenticated, role, type RuleMap } from "../../auth/rules.js";

export const customFieldRules: RuleMap = {
  // every authenticated principal builds its forms from the fields it may read (the service filters them)
  Query: { customFieldDefinitions: isAuthenticated },
  Mutation: {
    defineCustomField: role("HEAD_OFFICE"),
    updateCustomFieldDefinition: role("HEAD_OFFICE"),
    // the record's scope and each field's writers decide (the service)
    setCustomFields: isAuthenticated,
  },
  CustomFieldDefinition: { "*": everyone },
  CustomFieldValue: { "*": everyone },
  CustomFieldsPayload: { "*": everyone },
};


/**
 * For the column maps of the four entities: custom values follow their definitions' readers, which a side
 * path's column rule (the change feed's changed fields, the plain columns of audit before/after) cannot
 * express, so the column rules never show the stored values; the record's own `customFields` field shows them
 * filtered for the reader, and the audit trail and webhook payloads cut them key by key (customValueCuts).
 */
export const CUSTOM_VALUES_COLUMN = { customFields: null } as const;
