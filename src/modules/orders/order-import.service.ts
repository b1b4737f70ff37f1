// Imports of ERP orders and invoices by service tokens: batches of at most 1 000 rows, idempotent by
// external id, every row validated and reported. Set-based: one SELECT for the organisations, one for the
// external ids already stored, one for the assignments in force on the rows' dates, then one createMany in
// a transaction — the number of round trips does not depend on the batch size.
//
// Decisions (documented in the module README):
// - organisations are named by their global id: legal ids (SIRET) are not unique in the referential
//   (duplicates wait for a steward's merge), a global id is;
// - a re-sent row with the same values is UNCHANGED; a row whose external id exists with other values is a
//   CONFLICT and nothing is overwritten: ERP documents are immutable, a correction comes as a new document
//   (credit note, amended order) with its own external id;
// - each row records the rep in charge of its organisation on its date (assignment history), so a later
//   portfolio change never moves past revenue.
import { randomUUID } from "node:crypto";
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput } from "../../graphql/errors.js";
import { parseGlobalId, toGlobalId } from "../../graphql/relay.js";
import { recordAudit } from "../audit/audit.service.js";
import { refreshOrderingCycles } from "./ordering-cycle.js";
import { ImportRowStatus, type ImportRowError, type ImportRowResult, type InvoiceImportRow, type OrderImportRow } from "./order.type.js";

export const MAX_IMPORT_ROWS = 1000;
const { Decimal } = Prisma;

interface ParsedRow {
  index: number;
  externalId: string;
  organisationId: string;
  date: Date;
  amount: Prisma.Decimal;
  /** kind-specific columns, compared as-is for idempotency */
  extra: Record<string, Date | string | null>;
}

interface StoredRow {
  id: string;
  externalId: string;
  organisationId: string;
  date: Date;
  amount: Prisma.Decimal;
  extra: Record<string, Date | string | null>;
}

/** What differs between the two import kinds. */
interface ImportKind<Input> {
  entity: "Order" | "Invoice";
  allowNegative: boolean;
  rowOf(input: Input): { externalId: string; organisationId: string; date: string; amount: string; dateField: string };
  extraOf(input: Input, errors: ImportRowError[]): Record<string, Date | string | null>;
  findExisting(ctx: AuthedContext, externalIds: string[]): Promise<StoredRow[]>;
  insert(tx: Prisma.TransactionClient, rows: (ParsedRow & { id: string; repId: string | null })[]): Promise<number>;
  /** what the new rows change elsewhere, in the same transaction */
  afterInsert?(tx: Prisma.TransactionClient, rows: ParsedRow[]): Promise<void>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function parseDay(value: string | null | undefined, field: string, errors: ImportRowError[], required: boolean): Date | null {
  if (value == null || value === "") {
    if (required) errors.push({ field, message: "is required" });
    return null;
  }
  const date = DATE.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    errors.push({ field, message: "must be a calendar date YYYY-MM-DD" });
    return null;
  }
  return date;
}

function parseAmount(value: string, allowNegative: boolean, errors: ImportRowError[]): Prisma.Decimal | null {
  const pattern = allowNegative ? /^-?\d{1,12}(\.\d{1,2})?$/ : /^\d{1,12}(\.\d{1,2})?$/;
  if (!pattern.test(value.trim())) {
    errors.push({ field: "amount", message: `must be a ${allowNegative ? "" : "non-negative "}decimal with at most 2 decimals` });
    return null;
  }
  return new Decimal(value.trim());
}

const sameDay = (a: Date | string | null, b: Date | string | null) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

function sameValues(row: ParsedRow, stored: StoredRow): boolean {
  return (
    row.organisationId === stored.organisationId &&
    row.date.getTime() === stored.date.getTime() &&
    row.amount.equals(stored.amount) &&
    Object.keys(row.extra).every((key) => sameDay(row.extra[key] ?? null, stored.extra[key] ?? null))
  );
}

async function importBatch<Input>(ctx: AuthedContext, kind: ImportKind<Input>, inputs: Input[]) {
  if (inputs.length > MAX_IMPORT_ROWS) throw badInput(`A batch holds at most ${MAX_IMPORT_ROWS} rows (got ${inputs.length})`, { max: MAX_IMPORT_ROWS });
  const results: ImportRowResult[] = inputs.map((input) => ({ externalId: kind.rowOf(input).externalId, status: ImportRowStatus.REJECTED, errors: [], id: null }));
  const seen = new Set<string>();
  const parsed: ParsedRow[] = [];

  // 1. Each row on its own: shape, dates, amount, duplicates inside the batch.
  inputs.forEach((input, index) => {
    const raw = kind.rowOf(input);
    const errors = results[index]!.errors;
    const externalId = raw.externalId.trim();
    if (!externalId || externalId.length > 100) errors.push({ field: "externalId", message: "must be 1 to 100 characters" });
    else if (seen.has(externalId)) errors.push({ field: "externalId", message: "appears twice in the batch" });
    seen.add(externalId);
    const global = parseGlobalId(raw.organisationId.trim());
    if (!global || global.typeName !== "Organisation") errors.push({ field: "organisationId", message: "is not an organisation id" });
    const date = parseDay(raw.date, raw.dateField, errors, true);
    const amount = parseAmount(raw.amount, kind.allowNegative, errors);
    const extra = kind.extraOf(input, errors);
    if (errors.length === 0) parsed.push({ index, externalId, organisationId: global!.id, date: date!, amount: amount!, extra });
  });

  // 2. Organisations that exist (and are not merged away): one query.
  const organisationIds = [...new Set(parsed.map((row) => row.organisationId))];
  const known = new Set(
    (await ctx.db.organisation.findMany({ where: { id: { in: organisationIds }, mergedIntoId: null }, select: { id: true } })).map((o) => o.id),
  );
  const valid = parsed.filter((row) => {
    if (known.has(row.organisationId)) return true;
    results[row.index]!.errors.push({ field: "organisationId", message: "no such organisation (or merged into another)" });
    return false;
  });

  // 3. External ids already stored: one query; same values → UNCHANGED, other values → CONFLICT.
  const existing = new Map((await kind.findExisting(ctx, valid.map((row) => row.externalId))).map((row) => [row.externalId, row]));
  const fresh: ParsedRow[] = [];
  for (const row of valid) {
    const stored = existing.get(row.externalId);
    const result = results[row.index]!;
    if (!stored) fresh.push(row);
    else if (sameValues(row, stored)) Object.assign(result, { status: ImportRowStatus.UNCHANGED, id: toGlobalId(kind.entity, stored.id) });
    else {
      Object.assign(result, { status: ImportRowStatus.CONFLICT, id: toGlobalId(kind.entity, stored.id) });
      result.errors.push({ field: "externalId", message: "already imported with other values; send a correction under a new external id" });
    }
  }

  // 4. The rep in charge of each row's organisation on the row's date: one query over the batch's dates.
  const repOf = await repsInCharge(ctx, fresh);
  const toInsert = fresh.map((row) => ({ ...row, id: randomUUID(), repId: repOf(row) }));

  // 5. One transaction: the new rows and one audit event for the batch.
  if (toInsert.length) {
    await ctx.db.$transaction(async (tx) => {
      const inserted = await kind.insert(tx, toInsert);
      // Another import of the same external ids won the race: the whole batch retries cleanly.
      if (inserted !== toInsert.length) throw badInput("Some external ids were imported concurrently; send the batch again");
      await kind.afterInsert?.(tx, toInsert);
      await recordAudit(tx, ctx.viewer, {
        entity: `${kind.entity}Import`,
        entityId: randomUUID(),
        action: "import",
        after: { created: toInsert.map((row) => row.externalId) },
      });
    });
    for (const row of toInsert) Object.assign(results[row.index]!, { status: ImportRowStatus.CREATED, id: toGlobalId(kind.entity, row.id) });
  }

  const count = (status: ImportRowStatus) => results.filter((r) => r.status === status).length;
  return {
    results,
    created: count(ImportRowStatus.CREATED),
    unchanged: count(ImportRowStatus.UNCHANGED),
    conflicts: count(ImportRowStatus.CONFLICT),
    rejected: count(ImportRowStatus.REJECTED),
  };
}

/** Assignments of the batch's organisations overlapping its date range, read once; the latest one in force wins. */
async function repsInCharge(ctx: AuthedContext, rows: ParsedRow[]): Promise<(row: ParsedRow) => string | null> {
  if (!rows.length) return () => null;
  const times = rows.map((row) => row.date.getTime());
  const first = new Date(Math.min(...times));
  const last = new Date(Math.max(...times));
  const assignments = await ctx.db.organisationAssignment.findMany({
    where: {
      organisationId: { in: [...new Set(rows.map((row) => row.organisationId))] },
      validFrom: { lte: last },
      OR: [{ validTo: null }, { validTo: { gt: first } }],
    },
    orderBy: { validFrom: "desc" },
    select: { organisationId: true, repId: true, validFrom: true, validTo: true },
  });
  const byOrganisation = new Map<string, typeof assignments>();
  for (const a of assignments) byOrganisation.set(a.organisationId, [...(byOrganisation.get(a.organisationId) ?? []), a]);
  return (row) => {
    const day = row.date.getTime();
    const inForce = byOrganisation.get(row.organisationId)?.find((a) => a.validFrom.getTime() <= day && (!a.validTo || a.validTo.getTime() > day));
    return inForce?.repId ?? null;
  };
}

const ORDERS: ImportKind<OrderImportRow> = {
  entity: "Order",
  allowNegative: false,
  rowOf: (r) => ({ externalId: r.externalId, organisationId: r.organisationId, date: r.orderedAt, amount: r.amount, dateField: "orderedAt" }),
  extraOf: (r, errors) => ({
    deliveryDate: parseDay(r.deliveryDate, "deliveryDate", errors, false),
    deliveredAt: parseDay(r.deliveredAt, "deliveredAt", errors, false),
  }),
  async findExisting(ctx, externalIds) {
    const rows = await ctx.db.order.findMany({ where: { externalId: { in: externalIds } } });
    return rows.map((o) => ({ ...o, date: o.orderedAt, extra: { deliveryDate: o.deliveryDate, deliveredAt: o.deliveredAt } }));
  },
  async insert(tx, rows) {
    const { count } = await tx.order.createMany({
      skipDuplicates: true,
      data: rows.map((row) => ({
        id: row.id,
        externalId: row.externalId,
        organisationId: row.organisationId,
        orderedAt: row.date,
        amount: row.amount,
        deliveryDate: row.extra.deliveryDate as Date | null,
        deliveredAt: row.extra.deliveredAt as Date | null,
        repId: row.repId,
      })),
    });
    return count;
  },
  afterInsert: (tx, rows) => refreshOrderingCycles(tx, rows.map((row) => row.organisationId)),
};

const INVOICES: ImportKind<InvoiceImportRow> = {
  entity: "Invoice",
  // credit notes are negative invoices
  allowNegative: true,
  rowOf: (r) => ({ externalId: r.externalId, organisationId: r.organisationId, date: r.invoicedAt, amount: r.amount, dateField: "invoicedAt" }),
  extraOf: (r, errors) => {
    const orderExternalId = r.orderExternalId?.trim() || null;
    if (orderExternalId && orderExternalId.length > 100) errors.push({ field: "orderExternalId", message: "must be at most 100 characters" });
    return { orderExternalId };
  },
  async findExisting(ctx, externalIds) {
    const rows = await ctx.db.invoice.findMany({ where: { externalId: { in: externalIds } } });
    return rows.map((i) => ({ ...i, date: i.invoicedAt, extra: { orderExternalId: i.orderExternalId } }));
  },
  async insert(tx, rows) {
    const { count } = await tx.invoice.createMany({
      skipDuplicates: true,
      data: rows.map((row) => ({
        id: row.id,
        externalId: row.externalId,
        organisationId: row.organisationId,
        invoicedAt: row.date,
        amount: row.amount,
        orderExternalId: row.extra.orderExternalId as string | null,
        repId: row.repId,
      })),
    });
    return count;
  },
};

export const importOrders = (ctx: AuthedContext, rows: OrderImportRow[]) => importBatch(ctx, ORDERS, rows);
export const importInvoices = (ctx: AuthedContext, rows: InvoiceImportRow[]) => importBatch(ctx, INVOICES, rows);
