import { everyone, scope, type RuleMap } from "../../auth/rules.js";

// Only service tokens carry these scopes (partners cannot be granted them): imports are ERP feeds.
export const orderRules: RuleMap = {
  Mutation: { importOrders: scope("orders:import"), importInvoices: scope("invoices:import") },
  ImportPayload: { "*": everyone },
  ImportRowResult: { "*": everyone },
  ImportRowError: { "*": everyone },
};
