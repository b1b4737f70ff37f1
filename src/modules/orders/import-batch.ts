// The per-row machinery of every import by service tokens (ERP orders and invoices, support and logistics
// incidents): batches of at most 1 000 rows, idempotent by external id, every row validated and reported on
// its own. Set-based: one SELECT for the organisations, one for the external ids already stored, one for
// the assignments in force on the rows' dates (when rows credit a rep), then one transaction with one
// INSERT, at most one UPDATE and one INSERT of audit events (one per row) — the number of round trips does not depend on the batch.
//
// What a kind decides (ImportKind): its own columns and their validation, how rows are stored, and what a
// known external id with other values means — documents that never change (orders, invoices: CONFLICT,
// nothing overwritten) or records that follow their source (incidents: UPDATED).
import { randomUUID } from "node:crypto";
import { Prisma } from "../../db/generated/client.js";
import { inForceDuring, isInForce, toWhere } from "../../auth/scope/condition.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput } from "../../errors/api-errors.js";
import { parseGlobalId, toGlobalId } from "../../graphql/relay.js";
import { isMoneyText } from "../../graphql/scalars.js";
import { recordAudits } from "../audit/audit.service.js";
import { ImportRowStatus, type ImportPayload, type ImportRowError, type ImportRowResult } from "./order.type.js";

export const MAX_IMPORT_ROWS = 1000;
const { Decimal } = Prisma;

type Tx = Prisma.TransactionClient;
export type ImportValue = Date | Prisma.Decimal | string | null;
export type ImportValues = Record<string, ImportValue>;

/** A row of the batch that passed validation. */
export interface ImportRow<Values extends ImportValues> {
  externalId: string;
  /** the live organisation (a merged record's id is followed to the organisation it was merged into) */
  organisationId: string;
  values: Values;
}

export interface StoredImportRow<Values extends ImportValues> extends ImportRow<Values> {
  id: string;
}

export interface NewImportRow<Values extends ImportValues> extends StoredImportRow<Values> {
  /** the rep in charge of the organisation on the row's credit day (null for kinds that credit nobody) */
  repId: string | null;
}

export interface ChangedImportRow<Values extends ImportValues> extends StoredImportRow<Values> {
  before: StoredImportRow<Values>;
}

export interface ImportKind<Input, Values extends ImportValues> {
  /** the GraphQL type (and audit entity) of the stored rows */
  entity: "Order" | "Invoice" | "Incident";
  externalIdOf(input: Input): string;
  organisationIdOf(input: Input): string;
  /** the row's own columns, validated: every problem is pushed on `errors` (the row is then REJECTED) */
  valuesOf(input: Input, errors: ImportRowError[]): Values;
  findExisting(ctx: AuthedContext, externalIds: string[]): Promise<StoredImportRow<Values>[]>;
  /** the day on which the rep in charge is credited with the row (revenue); absent: the kind credits nobody */
  creditedOn?(values: Values): Date;
  /** inserts the new rows (skipping external ids stored meanwhile) and returns how many it wrote */
  insert(tx: Tx, rows: NewImportRow<Values>[]): Promise<number>;
  /** for records that follow their source: a known external id with other values is UPDATED; absent: CONFLICT */
  update?(tx: Tx, rows: ChangedImportRow<Values>[]): Promise<void>;
  /** what the written rows change elsewhere, in the same transaction */
  afterWrite?(tx: Tx, organisationIds: string[]): Promise<void>;
}

// ───────────── Per-field parsing: a bad value is reported on its row, it never fails the batch ─────────────

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseDay(value: string | null | undefined, field: string, errors: ImportRowError[], required: boolean): Date | null {
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

/** An instant: ISO 8601 with a zone (2026-11-02T09:30:00Z, …+01:00), or a calendar date (midnight UTC). */
export function parseInstant(value: string | null | undefined, field: string, errors: ImportRowError[], required: boolean): Date | null {
  if (value != null && DATE.test(value)) return parseDay(value, field, errors, required);
  if (value == null || value === "") {
    if (required) errors.push({ field, message: "is required" });
    return null;
  }
  const instant = TIMESTAMP.test(value) ? new Date(value) : null;
  if (!instant || Number.isNaN(instant.getTime())) {
    errors.push({ field, message: "must be an ISO 8601 timestamp with a zone, or a date YYYY-MM-DD" });
    return null;
  }
  return instant;
}

export function parseAmount(value: string, allowNegative: boolean, errors: ImportRowError[]): Prisma.Decimal | null {
  if (!isMoneyText(value.trim(), allowNegative)) {
    errors.push({ field: "amount", message: `must be a ${allowNegative ? "" : "non-negative "}decimal with at most 12 digits before the point and 2 after` });
    return null;
  }
  return new Decimal(value.trim());
}

/** Free text: trimmed, `max` characters at most; empty is null (or an error when required). */
export function parseText(value: string | null | undefined, field: string, max: number, errors: ImportRowError[], required: boolean): string | null {
  const text = value?.trim() ?? "";
  if (!text) {
    if (required) errors.push({ field, message: "is required" });
    return null;
  }
  if (text.length > max) errors.push({ field, message: `must be at most ${max} characters` });
  return text;
}

/** One of an enumeration's values. */
export function parseChoice<T extends string>(value: string | null | undefined, field: string, choices: readonly T[], errors: ImportRowError[]): T | null {
  if (value != null && (choices as readonly string[]).includes(value)) return value as T;
  errors.push({ field, message: `must be one of ${choices.join(", ")}` });
  return null;
}

function sameValue(a: ImportValue | undefined, b: ImportValue | undefined): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Decimal.isDecimal(a) || Decimal.isDecimal(b)) return Decimal.isDecimal(a) && Decimal.isDecimal(b) && a.equals(b);
  return (a ?? null) === (b ?? null);
}

const sameRow = <Values extends ImportValues>(row: ImportRow<Values>, stored: StoredImportRow<Values>) =>
  row.organisationId === stored.organisationId && Object.keys(row.values).every((key) => sameValue(row.values[key], stored.values[key]));

// ───────────── The batch ─────────────

export async function importBatch<Input, Values extends ImportValues>(ctx: AuthedContext, kind: ImportKind<Input, Values>, inputs: Input[]): Promise<ImportPayload> {
  if (inputs.length > MAX_IMPORT_ROWS) throw badInput(`A batch holds at most ${MAX_IMPORT_ROWS} rows (got ${inputs.length})`, { max: MAX_IMPORT_ROWS });
  const results: ImportRowResult[] = inputs.map((input) => ({ externalId: kind.externalIdOf(input), status: ImportRowStatus.REJECTED, errors: [], id: null }));
  const seen = new Set<string>();
  const parsed: (ImportRow<Values> & { index: number })[] = [];

  // 1. Each row on its own: shape, the kind's columns, duplicates inside the batch.
  inputs.forEach((input, index) => {
    const errors = results[index]!.errors;
    const externalId = kind.externalIdOf(input).trim();
    if (!externalId || externalId.length > 100) errors.push({ field: "externalId", message: "must be 1 to 100 characters" });
    else if (seen.has(externalId)) errors.push({ field: "externalId", message: "appears twice in the batch" });
    seen.add(externalId);
    const global = parseGlobalId(kind.organisationIdOf(input).trim());
    if (!global || global.typeName !== "Organisation") errors.push({ field: "organisationId", message: "is not an organisation id" });
    const values = kind.valuesOf(input, errors);
    if (errors.length === 0) parsed.push({ index, externalId, organisationId: global!.id, values });
  });

  // 2. The organisations named, followed through merges to the live one: one query.
  const live = await liveOrganisations(ctx, [...new Set(parsed.map((row) => row.organisationId))]);
  const valid = parsed.filter((row) => {
    const organisationId = live.get(row.organisationId);
    if (organisationId) {
      row.organisationId = organisationId;
      return true;
    }
    results[row.index]!.errors.push({ field: "organisationId", message: "no such organisation" });
    return false;
  });

  // 3. External ids already stored: one query; same values → UNCHANGED, other values → UPDATED or CONFLICT.
  const existing = new Map((await kind.findExisting(ctx, valid.map((row) => row.externalId))).map((row) => [row.externalId, row]));
  const fresh: typeof valid = [];
  const changed: (ChangedImportRow<Values> & { index: number })[] = [];
  for (const row of valid) {
    const stored = existing.get(row.externalId);
    const result = results[row.index]!;
    if (!stored) fresh.push(row);
    else if (sameRow(row, stored)) Object.assign(result, { status: ImportRowStatus.UNCHANGED, id: toGlobalId(kind.entity, stored.id) });
    else if (kind.update) changed.push({ ...row, id: stored.id, before: stored });
    else {
      Object.assign(result, { status: ImportRowStatus.CONFLICT, id: toGlobalId(kind.entity, stored.id) });
      result.errors.push({ field: "externalId", message: "already imported with other values; send a correction under a new external id" });
    }
  }

  // 4. The rep in charge of each new row's organisation on its credit day: one query over the batch's days.
  const repOf = kind.creditedOn ? await repsInCharge(ctx, fresh.map((row) => ({ organisationId: row.organisationId, day: kind.creditedOn!(row.values) }))) : () => null;
  const toInsert = fresh.map((row) => ({ ...row, id: randomUUID(), repId: kind.creditedOn ? repOf(row.organisationId, kind.creditedOn(row.values)) : null }));

  // 5. One transaction: the new rows, the changed ones and their audit events.
  if (toInsert.length || changed.length) {
    await ctx.db.$transaction(async (tx) => {
      const inserted = toInsert.length ? await kind.insert(tx, toInsert) : 0;
      // Another import of the same external ids won the race: the whole batch retries cleanly.
      if (inserted !== toInsert.length) throw badInput("Some external ids were imported concurrently; send the batch again");
      if (changed.length) await kind.update!(tx, changed);
      await kind.afterWrite?.(tx, [...toInsert, ...changed].map((row) => row.organisationId));
      // One event per row written (the change feed follows each record), in one statement.
      await recordAudits(tx, ctx.viewer, [
        ...toInsert.map((row) => ({ entity: kind.entity, entityId: row.id, action: "import", after: { externalId: row.externalId, organisationId: row.organisationId, ...row.values } })),
        ...changed.map((row) => ({
          entity: kind.entity,
          entityId: row.id,
          action: "import",
          before: { externalId: row.externalId, organisationId: row.before.organisationId, ...row.before.values },
          after: { externalId: row.externalId, organisationId: row.organisationId, ...row.values },
        })),
      ]);
    });
    for (const row of toInsert) Object.assign(results[row.index]!, { status: ImportRowStatus.CREATED, id: toGlobalId(kind.entity, row.id) });
    for (const row of changed) Object.assign(results[row.index]!, { status: ImportRowStatus.UPDATED, id: toGlobalId(kind.entity, row.id) });
  }

  const count = (status: ImportRowStatus) => results.filter((r) => r.status === status).length;
  return {
    results,
    created: count(ImportRowStatus.CREATED),
    updated: count(ImportRowStatus.UPDATED),
    unchanged: count(ImportRowStatus.UNCHANGED),
    conflicts: count(ImportRowStatus.CONFLICT),
    rejected: count(ImportRowStatus.REJECTED),
  };
}

/**
 * Named organisation id → the live organisation it is now (itself, or the end of its merge chain), for the
 * ids that exist: the source system may still name a record a steward merged since.
 */
async function liveOrganisations(ctx: AuthedContext, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await ctx.db.$queryRaw<{ named: string; id: string }[]>`
    WITH RECURSIVE chain AS (
      SELECT o.id AS named, o.id, o."mergedIntoId", 0 AS hops FROM "Organisation" o WHERE o.id = ANY(${ids}::uuid[])
      UNION ALL
      SELECT c.named, o.id, o."mergedIntoId", c.hops + 1 FROM chain c JOIN "Organisation" o ON o.id = c."mergedIntoId" WHERE c.hops < 10
    )
    SELECT named::text AS named, id::text AS id FROM chain WHERE "mergedIntoId" IS NULL`;
  return new Map(rows.map((row) => [row.named, row.id]));
}

/** Assignments of the rows' organisations overlapping their days, read once; the latest one in force wins. */
async function repsInCharge(ctx: AuthedContext, rows: { organisationId: string; day: Date }[]): Promise<(organisationId: string, day: Date) => string | null> {
  if (!rows.length) return () => null;
  const times = rows.map((row) => row.day.getTime());
  const first = new Date(Math.min(...times));
  const last = new Date(Math.max(...times));
  const assignments = await ctx.db.organisationAssignment.findMany({
    where: { organisationId: { in: [...new Set(rows.map((row) => row.organisationId))] }, AND: [toWhere<Prisma.OrganisationAssignmentWhereInput>(inForceDuring(first, last))] },
    orderBy: { validFrom: "desc" },
    select: { organisationId: true, repId: true, validFrom: true, validTo: true },
  });
  const byOrganisation = new Map<string, typeof assignments>();
  for (const a of assignments) byOrganisation.set(a.organisationId, [...(byOrganisation.get(a.organisationId) ?? []), a]);
  return (organisationId, day) => byOrganisation.get(organisationId)?.find((a) => isInForce(a, day))?.repId ?? null;
}
