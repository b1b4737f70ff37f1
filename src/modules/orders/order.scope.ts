// Row-level scope of the ERP documents (orders, invoices): defined in src/auth/scope/entities.ts.
import { toWhere } from "../../auth/scope/condition.js";
import { invoices, orders } from "../../auth/scope/entities.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

export const orderScope = (viewer: Viewer, day: Date) => toWhere<Prisma.OrderWhereInput>(orders(viewer, day));
export const invoiceScope = (viewer: Viewer, day: Date) => toWhere<Prisma.InvoiceWhereInput>(invoices(viewer, day));
