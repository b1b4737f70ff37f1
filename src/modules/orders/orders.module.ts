// What the orders module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { InvoiceConnectionResolver, InvoiceResolver, OrderConnectionResolver, OrderImportResolver, OrderResolver, OrganisationOrdersResolver } from "./order.resolver.js";
import { orderColumns, orderRules } from "./order.rules.js";
import { getInvoice, getOrder } from "./order.service.js";

export const ordersModule: DomainModule = {
  resolvers: [OrderImportResolver, OrderResolver, InvoiceResolver, OrderConnectionResolver, InvoiceConnectionResolver, OrganisationOrdersResolver],
  rules: [orderRules],
  nodes: { Order: getOrder, Invoice: getInvoice },
  columns: [orderColumns],
};
