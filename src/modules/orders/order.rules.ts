import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { anyOf, COMMERCIAL_ROLES, everyone, role, scope, type RuleMap } from "../../auth/rules.js";

// Commercial figures: the sales force and head office, and the service tokens that import them (which rows:
// order.scope.ts). Never data stewards, never partners (SPEC §2); only service tokens carry the import scopes.
export const readOrders = anyOf(role(...COMMERCIAL_ROLES), scope("orders:import"));
export const readInvoices = anyOf(role(...COMMERCIAL_ROLES), scope("invoices:import"));

export const orderRules: RuleMap = {
  Query: { orders: readOrders, invoices: readInvoices },
  Mutation: { importOrders: scope("orders:import"), importInvoices: scope("invoices:import") },
  Order: { "*": readOrders },
  Invoice: { "*": readInvoices },
  // Nested paths: absent (FORBIDDEN) for whoever may not read them.
  Organisation: { orders: readOrders, invoices: readInvoices },
  OrderConnection: { "*": everyone },
  OrderEdge: { "*": everyone },
  InvoiceConnection: { "*": everyone },
  InvoiceEdge: { "*": everyone },
  ImportPayload: { "*": everyone },
  ImportRowResult: { "*": everyone },
  ImportRowError: { "*": everyone },
};

/** The rep an order or invoice is credited to. */
export const orderColumns: ColumnFieldMap = { Order: { repId: "creditedRep" }, Invoice: { repId: "creditedRep" } };
