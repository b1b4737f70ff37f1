// Imports of ERP orders and invoices by service tokens, through the shared per-row machinery
// (import-batch.ts). Decisions (src/modules/pipeline/README.md):
// - organisations are named by their global id: legal ids (SIRET) are not unique in the referential
//   (duplicates wait for a steward's merge), a global id is; a merged record's id is followed to the
//   organisation it was merged into;
// - a re-sent row with the same values is UNCHANGED; a row whose external id exists with other values is a
//   CONFLICT and nothing is overwritten: ERP documents are immutable, a correction comes as a new document
//   (credit note, amended order) with its own external id;
// - each row records the rep in charge of its organisation on its date (assignment history), so a later
//   portfolio change never moves past revenue.
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { importBatch, parseAmount, parseDay, type ImportKind } from "./import-batch.js";
import { refreshOrderingCycles } from "./ordering-cycle.js";
import type { InvoiceImportRow, OrderImportRow } from "./order.type.js";

type OrderValues = { orderedAt: Date; amount: Prisma.Decimal; deliveryDate: Date | null; deliveredAt: Date | null };
type InvoiceValues = { invoicedAt: Date; amount: Prisma.Decimal; orderExternalId: string | null };

const ORDERS: ImportKind<OrderImportRow, OrderValues> = {
  entity: "Order",
  externalIdOf: (r) => r.externalId,
  organisationIdOf: (r) => r.organisationId,
  valuesOf: (r, errors) => ({
    orderedAt: parseDay(r.orderedAt, "orderedAt", errors, true)!,
    amount: parseAmount(r.amount, false, errors)!,
    deliveryDate: parseDay(r.deliveryDate, "deliveryDate", errors, false),
    deliveredAt: parseDay(r.deliveredAt, "deliveredAt", errors, false),
  }),
  async findExisting(ctx, externalIds) {
    const rows = await ctx.db.order.findMany({ where: { externalId: { in: externalIds } } });
    return rows.map((o) => ({ ...o, values: { orderedAt: o.orderedAt, amount: o.amount, deliveryDate: o.deliveryDate, deliveredAt: o.deliveredAt } }));
  },
  creditedOn: (values) => values.orderedAt,
  async insert(tx, rows) {
    const { count } = await tx.order.createMany({
      skipDuplicates: true,
      data: rows.map((row) => ({ id: row.id, externalId: row.externalId, organisationId: row.organisationId, repId: row.repId, ...row.values })),
    });
    return count;
  },
  afterWrite: (tx, organisationIds) => refreshOrderingCycles(tx, organisationIds),
};

const INVOICES: ImportKind<InvoiceImportRow, InvoiceValues> = {
  entity: "Invoice",
  externalIdOf: (r) => r.externalId,
  organisationIdOf: (r) => r.organisationId,
  valuesOf: (r, errors) => {
    const invoicedAt = parseDay(r.invoicedAt, "invoicedAt", errors, true)!;
    // credit notes are negative invoices
    const amount = parseAmount(r.amount, true, errors)!;
    const orderExternalId = r.orderExternalId?.trim() || null;
    if (orderExternalId && orderExternalId.length > 100) errors.push({ field: "orderExternalId", message: "must be at most 100 characters" });
    return { invoicedAt, amount, orderExternalId };
  },
  async findExisting(ctx, externalIds) {
    const rows = await ctx.db.invoice.findMany({ where: { externalId: { in: externalIds } } });
    return rows.map((i) => ({ ...i, values: { invoicedAt: i.invoicedAt, amount: i.amount, orderExternalId: i.orderExternalId } }));
  },
  creditedOn: (values) => values.invoicedAt,
  async insert(tx, rows) {
    const { count } = await tx.invoice.createMany({
      skipDuplicates: true,
      data: rows.map((row) => ({ id: row.id, externalId: row.externalId, organisationId: row.organisationId, repId: row.repId, ...row.values })),
    });
    return count;
  },
};

export const importOrders = (ctx: AuthedContext, rows: OrderImportRow[]) => importBatch(ctx, ORDERS, rows);
export const importInvoices = (ctx: AuthedContext, rows: InvoiceImportRow[]) => importBatch(ctx, INVOICES, rows);
