// POST /import/<entity>: a CSV file, streamed (csv-parse), sent in batches through the GraphQL mutation of
// the entity — the bulk upserts of the referential, the ERP and incident imports — so the rules of who may
// import, the row validation and the writes are those of the mutation, defined once. The columns are the
// fields of the mutation's row type (documented in the schema); an unknown column is refused by name.
// An empty cell is a field left out (so re-sending an export's file is UNCHANGED, never a clearing).
//
// Transactions: each batch is one (the mutation's). With allOrNone or dryRun the whole file runs in one
// transaction, rolled back when a row is refused (allOrNone) or always (dryRun): the report says what each
// row gave, and `committed` whether it was written. The report is JSON, streamed row by row.
import type { Request, Response } from "express";
import { parse as parseCsv } from "csv-parse";
import { GraphQLError, type GraphQLInputObjectType, type GraphQLSchema } from "graphql";
import { badInput } from "../../errors/api-errors.js";
import { RequestLoaders, type RequestContext } from "../../graphql/context.js";
import type { OperationAdmission } from "../../graphql/rate-limit.js";
import { ImportRowStatus, type ImportRowResult } from "../orders/order.type.js";
import { admit, cellValue, customColumnTypes, exchangeError, ExchangeError, inputTypeOf, run, sendExchangeError } from "./exchange-schema.js";
import type { CustomFieldType } from "../../db/generated/enums.js";
import { CUSTOM_COLUMN_PREFIX, customColumnName, customValueOfCell } from "../custom-fields/custom-field.text.js";
import { joinTransaction, LONG_TRANSACTION, RollBack } from "./joined-transaction.js";
import { spoolUpload, type SpooledUpload } from "./upload-spool.js";

/** Entity of the URL → the mutation its rows go through. */
export const IMPORTS = {
  organisations: "upsertOrganisations",
  contacts: "upsertContacts",
  orders: "importOrders",
  invoices: "importInvoices",
  incidents: "importIncidents",
} as const;
export type ImportEntity = keyof typeof IMPORTS;

const BATCH_ROWS = 500;
const LIST_SEPARATOR = "|";

export interface ImportOptions {
  dryRun: boolean;
  allOrNone: boolean;
  delimiter: string;
}

export interface ImportLine extends ImportRowResult {
  line: number;
}

export interface ImportSummary {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  duplicateCandidates: number;
  conflicts: number;
  rejected: number;
  committed: boolean;
}

/** The row type of an import mutation (its `input.rows` elements). */
export function importRowType(schema: GraphQLSchema, entity: ImportEntity): GraphQLInputObjectType {
  const field = schema.getMutationType()!.getFields()[IMPORTS[entity]]!;
  const input = inputTypeOf(field.args.find((arg) => arg.name === "input")!.type)!;
  return inputTypeOf(input.getFields().rows!.type)!;
}

const mutationOf = (entity: ImportEntity, rowType: string) =>
  `mutation($rows: [${rowType}!]!) { result: ${IMPORTS[entity]}(input: { rows: $rows }) { results { externalId status id errors { field message } } } }`;

/** The record type an import's rows are, for its custom-field columns. */
const RECORD_TYPE: Partial<Record<ImportEntity, string>> = { organisations: "Organisation", contacts: "Contact" };

/** The row's custom values travel in this list field; in a file, each is a column cf.<key>. */
const CUSTOM_VALUES_FIELD = "customFields";

/**
 * Header cells → field names (case-insensitive), and cf.<key> columns for the custom fields the importer may
 * read (keys as defined); unknown or missing required columns are refused by name.
 */
function columnsOf(header: string[], rowType: GraphQLInputObjectType, customTypes: ReadonlyMap<string, CustomFieldType>): string[] {
  const fields = Object.values(rowType.getFields()).filter((f) => f.name !== CUSTOM_VALUES_FIELD);
  const byLowerName = new Map(fields.map((f) => [f.name.toLowerCase(), f.name]));
  for (const key of customTypes.keys()) byLowerName.set(customColumnName(key).toLowerCase(), customColumnName(key));
  const unknown = header.filter((name) => !byLowerName.has(name.trim().toLowerCase()));
  if (unknown.length) {
    const known = [...fields.map((f) => f.name), ...[...customTypes.keys()].map(customColumnName)];
    throw exchangeError(badInput(`Unknown columns: ${unknown.join(", ")} (known columns: ${known.join(", ")})`, { columns: unknown }));
  }
  const columns = header.map((name) => byLowerName.get(name.trim().toLowerCase())!);
  const missing = fields.filter((f) => f.type.toString().endsWith("!") && !columns.includes(f.name)).map((f) => f.name);
  if (missing.length) throw exchangeError(badInput(`Missing columns: ${missing.join(", ")}`, { columns: missing }));
  return columns;
}

type Pending = { line: number; externalId: string; row: Record<string, unknown> | null; errors: { field: string; message: string }[] };

function readRecord(record: Record<string, string>, line: number, rowType: GraphQLInputObjectType, customTypes: ReadonlyMap<string, CustomFieldType>): Pending {
  const fields = rowType.getFields();
  const row: Record<string, unknown> = {};
  const errors: Pending["errors"] = [];
  const customValues: { key: string; value: unknown }[] = [];
  for (const [name, text] of Object.entries(record)) {
    if (text.trim() === "") continue;
    const customType = name.startsWith(CUSTOM_COLUMN_PREFIX) ? customTypes.get(name.slice(CUSTOM_COLUMN_PREFIX.length)) : undefined;
    if (customType) {
      const cell = customValueOfCell(customType, text, LIST_SEPARATOR);
      if ("error" in cell) errors.push({ field: name, message: cell.error });
      else customValues.push({ key: name.slice(CUSTOM_COLUMN_PREFIX.length), value: cell.value });
      continue;
    }
    const cell = cellValue(fields[name]!.type, text, LIST_SEPARATOR);
    if ("error" in cell) errors.push({ field: name, message: cell.error });
    else row[name] = cell.value;
  }
  if (customValues.length) row[CUSTOM_VALUES_FIELD] = customValues;
  const externalId = (record.externalId ?? "").trim();
  if (!externalId) errors.push({ field: "externalId", message: "is required" });
  return { line, externalId, row: errors.length ? null : row, errors };
}

/**
 * Streams a CSV source through the entity's mutation; `emit` receives each row's result in file order.
 * Throws an ExchangeError before the first `emit` for what concerns the whole file (authorisation, header).
 */
export async function importCsv(
  schema: GraphQLSchema,
  ctx: RequestContext,
  admission: OperationAdmission,
  entity: ImportEntity,
  /** the CSV, opened once who may import was checked (an upload is only read, or spooled, for someone allowed) */
  openSource: () => Promise<NodeJS.ReadableStream>,
  options: ImportOptions,
  emit: (line: ImportLine) => Promise<void>,
): Promise<ImportSummary> {
  const rowType = importRowType(schema, entity);
  const mutation = mutationOf(entity, rowType.name);
  // Who may import: the mutation's own rule, asked with no rows before the body is read.
  await admit(admission, ctx, mutation, { rows: [] });
  await run(schema, ctx, mutation, { rows: [] });
  const recordType = RECORD_TYPE[entity];
  const customTypes = recordType ? await customColumnTypes(schema, ctx, recordType) : new Map<string, CustomFieldType>();

  const summary: ImportSummary = { rows: 0, created: 0, updated: 0, unchanged: 0, duplicateCandidates: 0, conflicts: 0, rejected: 0, committed: !options.dryRun };
  const count = (status: string) => {
    summary.rows += 1;
    if (status === ImportRowStatus.CREATED) summary.created += 1;
    else if (status === ImportRowStatus.UPDATED) summary.updated += 1;
    else if (status === ImportRowStatus.UNCHANGED) summary.unchanged += 1;
    else if (status === ImportRowStatus.DUPLICATE_CANDIDATE) summary.duplicateCandidates += 1;
    else if (status === ImportRowStatus.CONFLICT) summary.conflicts += 1;
    else summary.rejected += 1;
  };

  const sendBatch = async (batchCtx: RequestContext, batch: Pending[]) => {
    const sent = batch.filter((p) => p.row);
    const results = sent.length ? (await run<{ result: { results: ImportRowResult[] } }>(schema, batchCtx, mutation, { rows: sent.map((p) => p.row) })).result.results : [];
    const byLine = new Map(sent.map((p, index) => [p.line, results[index]!]));
    for (const pending of batch) {
      const result = byLine.get(pending.line) ?? { externalId: pending.externalId, status: ImportRowStatus.REJECTED, id: null, errors: pending.errors };
      count(result.status);
      await emit({ line: pending.line, ...result });
    }
  };

  const source = await openSource();
  const readAll = async (batchCtx: RequestContext) => {
    let columns: string[] | null = null;
    const parser = source.pipe(
      parseCsv({
        bom: true,
        delimiter: options.delimiter,
        skip_empty_lines: true,
        trim: false,
        info: true,
        columns: (header: string[]) => (columns = columnsOf(header, rowType, customTypes)),
      }),
    );
    let batch: Pending[] = [];
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        batch.push(readRecord(record, info.lines, rowType, customTypes));
        if (batch.length >= BATCH_ROWS) {
          await sendBatch(batchCtx, batch);
          batch = [];
        }
      }
    } catch (error) {
      if (error instanceof ExchangeError) throw error;
      if (error instanceof Error && "code" in error && String(error.code).startsWith("CSV_")) throw exchangeError(badInput(`The file is not valid CSV: ${error.message}`));
      throw error;
    }
    if (!columns) throw exchangeError(badInput("The file is empty: the first line must name the columns"));
    await sendBatch(batchCtx, batch);
  };

  if (!options.dryRun && !options.allOrNone) {
    await readAll(ctx);
    return summary;
  }
  try {
    await ctx.db.$transaction(async (tx) => {
      const inTx: RequestContext = { ...ctx, db: joinTransaction(tx) };
      inTx.loaders = new RequestLoaders(() => inTx);
      await readAll(inTx);
      if (options.dryRun || summary.rejected + summary.conflicts > 0) throw new RollBack(null);
    }, LONG_TRANSACTION);
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    summary.committed = false;
  }
  // the rows' marks (exchange-schema run) came before this commit: read-your-writes counts from here
  if (summary.committed) await ctx.noteWrite();
  return summary;
}

const flag = (value: unknown) => value === "true" || value === "1";

/** The route: options from the query string, the report streamed as JSON ({ rows: [...], summary }). */
export function importRoute(
  schema: GraphQLSchema,
  contextOf: (req: Request) => Promise<RequestContext>,
  admission: OperationAdmission,
  unexpected: (error: unknown) => void,
  importMaxBytes: number,
) {
  return async (req: Request, res: Response) => {
    const entity = req.params.entity as string;
    let started = false;
    const upload: { spooled: SpooledUpload | null } = { spooled: null };
    try {
      if (!Object.hasOwn(IMPORTS, entity)) throw exchangeError(badInput(`No import of ${entity}; imports: ${Object.keys(IMPORTS).join(", ")}`));
      const separator = typeof req.query.separator === "string" ? req.query.separator : ",";
      if (separator !== "," && separator !== ";") throw exchangeError(badInput("separator must be , or ;"));
      const ctx = await contextOf(req);
      const options = { dryRun: flag(req.query.dryRun), allOrNone: flag(req.query.allOrNone), delimiter: separator };
      const openUpload = async () => (upload.spooled = await spoolUpload(req, importMaxBytes)).open();
      const summary = await importCsv(schema, ctx, admission, entity as ImportEntity, openUpload, options, async (line) => {
        if (!started) {
          started = true;
          res.status(200).type("application/json");
          res.write(`{"entity":${JSON.stringify(entity)},"dryRun":${options.dryRun},"allOrNone":${options.allOrNone},"rows":[`);
        } else res.write(",");
        if (!res.write(JSON.stringify(line))) await new Promise((resolve) => res.once("drain", resolve));
      });
      // the file goes before the answer ends: a client that reads the summary finds nothing left behind
      await upload.spooled?.discard();
      if (!started) res.status(200).type("application/json").write(`{"entity":${JSON.stringify(entity)},"dryRun":${options.dryRun},"allOrNone":${options.allOrNone},"rows":[`);
      res.end(`],"summary":${JSON.stringify(summary)}}`);
    } catch (error) {
      await upload.spooled?.discard();
      const failure = error instanceof ExchangeError ? error : error instanceof GraphQLError ? exchangeError(error) : null;
      const body = failure?.body ?? { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
      // after the first row the status is sent: the report ends with the error instead of a summary
      if (started) res.end(`],"error":${JSON.stringify(body)}}`);
      else if (failure) sendExchangeError(res, failure);
      else res.status(500).json({ errors: [body] });
      if (!failure) unexpected(error);
    }
  };
}
