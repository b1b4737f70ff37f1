// GET /export/<entity>.csv: the entity's GraphQL list, page after page, streamed as CSV (csv-stringify).
// One definition of everything: the rows are the list's rows (its row scope, its filter — query parameters
// name the fields of the list's filter input), and the columns are the fields of the node type this viewer
// may read (the read policy computed from the schema's rules, src/app/read-policy.ts): leaf fields, the
// leaf fields of a nested value (address.city) and the id of a related record (organisation.id). A column
// the viewer could not ask of the list is never written, since it is never asked.
import { stringify } from "csv-stringify";
import type { Request, Response } from "express";
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import type { Viewer } from "../../auth/viewer.js";
import { badInput } from "../../errors/api-errors.js";
import type { RequestContext } from "../../graphql/context.js";
import type { OperationAdmission } from "../../graphql/rate-limit.js";
import { MAX_PAGE_SIZE } from "../../graphql/relay.js";
import { admit, customColumnTypes, exchangeError, ExchangeError, filterFromQuery, inputTypeOf, run, sendExchangeError } from "./exchange-schema.js";
import { customColumnName, customValueCell } from "../custom-fields/custom-field.text.js";

/** Entity of the URL → the root list it exports. */
export const EXPORTS = {
  organisations: "organisations",
  contacts: "contacts",
  opportunities: "opportunities",
  quotes: "quotes",
  orders: "orders",
  invoices: "invoices",
  visits: "visits",
  tasks: "tasks",
} as const;
export type ExportEntity = keyof typeof EXPORTS;

/** Parameters of the route itself; every other one is a field of the list's filter. */
const OPTIONS = new Set(["bom", "separator", "orderBy"]);

const hasRequiredArgs = (field: GraphQLField<unknown, unknown>) => field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
const implementsNode = (type: GraphQLObjectType) => type.getInterfaces().some((i) => i.name === "Node");

/** A column: its CSV name and where the value is in a node of the response (a custom field: by its key). */
interface Column {
  name: string;
  path: string[];
  list: boolean;
  customKey?: string;
}

/** The node's custom values are read as this list, one column cf.<key> per field the viewer may read. */
const CUSTOM_VALUES_FIELD = "customFields";

/** The columns of a node type for this viewer, and the selection that reads them. */
export function exportColumns(schema: GraphQLSchema, ctx: RequestContext, typeName: string, customKeys: readonly string[]): { columns: Column[]; selection: string } {
  const readable = (viewer: Viewer | null, type: string) => ctx.readPolicy.readableFields(viewer, type);
  const type = schema.getType(typeName) as GraphQLObjectType;
  const open = readable(ctx.viewer, typeName);
  const columns: Column[] = [];
  const selection: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (!open.has(field.name) || hasRequiredArgs(field)) continue;
    if (field.name === CUSTOM_VALUES_FIELD) {
      for (const key of customKeys) columns.push({ name: customColumnName(key), path: [], list: false, customKey: key });
      if (customKeys.length) selection.push(`${CUSTOM_VALUES_FIELD} { key value }`);
      continue;
    }
    const named = getNamedType(field.type);
    const list = isListType(getNullableType(field.type));
    if (isLeafType(named)) {
      columns.push({ name: field.name, path: [field.name], list });
      selection.push(field.name);
    } else if (!list && (isObjectType(named) || isInterfaceType(named))) {
      const nestedOpen = readable(ctx.viewer, named.name);
      // a related record: its id; a value (an address): its leaf fields
      const nodeLike = isInterfaceType(named) || implementsNode(named as GraphQLObjectType);
      const leaves = nodeLike
        ? ["id"].filter((id) => isInterfaceType(named) || nestedOpen.has(id))
        : Object.values((named as GraphQLObjectType).getFields())
            .filter((f) => nestedOpen.has(f.name) && !hasRequiredArgs(f) && isLeafType(getNamedType(f.type)) && !isListType(getNullableType(f.type)))
            .map((f) => f.name);
      if (!leaves.length || named.name.endsWith("Connection")) continue;
      for (const leaf of leaves) columns.push({ name: `${field.name}.${leaf}`, path: [field.name, leaf], list: false });
      selection.push(`${field.name} { ${leaves.join(" ")} }`);
    }
  }
  return { columns, selection: selection.join(" ") };
}

const cell = (node: Record<string, unknown>, column: Column): string => {
  if (column.customKey !== undefined) {
    const values = (node[CUSTOM_VALUES_FIELD] ?? []) as { key: string; value: unknown }[];
    return customValueCell(values.find((entry) => entry.key === column.customKey)?.value, "|");
  }
  let value: unknown = node;
  for (const key of column.path) value = value == null ? null : (value as Record<string, unknown>)[key];
  if (value == null) return "";
  if (Array.isArray(value)) return value.join("|");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
};

interface Page {
  list: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Record<string, unknown> }[] };
}

export interface ExportOptions {
  params: Record<string, string>;
  bom: boolean;
  delimiter: string;
}

/** Streams the export to `res`; an error before the first page is answered as JSON with its status. */
export async function exportCsv(schema: GraphQLSchema, ctx: RequestContext, admission: OperationAdmission, entity: ExportEntity, options: ExportOptions, res: Response): Promise<void> {
  const listName = EXPORTS[entity];
  const list = schema.getQueryType()!.getFields()[listName]!;
  const connection = getNamedType(list.type) as GraphQLObjectType;
  const edge = getNamedType(connection.getFields().edges!.type) as GraphQLObjectType;
  const typeName = getNamedType(edge.getFields().node!.type).name;
  const filterArg = list.args.find((arg) => arg.name === "filter");
  const orderArg = list.args.find((arg) => arg.name === "orderBy");
  const { orderBy: orderText, ...filterParams } = options.params;
  const filter = filterFromQuery(filterArg ? inputTypeOf(filterArg.type) : null, filterParams);
  let orderBy: { field: string; direction: string } | null = null;
  if (orderText) {
    if (!orderArg) throw exchangeError(badInput(`The ${listName} list has no orderBy`));
    const [field, direction = "ASC"] = orderText.split(":");
    orderBy = { field: field!, direction: direction.toUpperCase() };
  }
  const customKeys = [...(await customColumnTypes(schema, ctx, typeName)).keys()];
  const { columns, selection } = exportColumns(schema, ctx, typeName, customKeys);
  const variableDefinitions = ["$first: Int", "$after: String", filterArg ? `$filter: ${filterArg.type.toString()}` : "", orderArg ? `$orderBy: ${orderArg.type.toString()}` : ""].filter(Boolean);
  const args = ["first: $first", "after: $after", filterArg ? "filter: $filter" : "", orderArg ? "orderBy: $orderBy" : ""].filter(Boolean);
  const query = `query(${variableDefinitions.join(", ")}) { list: ${listName}(${args.join(", ")}) { pageInfo { hasNextPage endCursor } edges { node { ${selection || "__typename"} } } } }`;
  const page = (after: string | null) => run<Page>(schema, ctx, query, { first: MAX_PAGE_SIZE, after, filter, orderBy });
  await admit(admission, ctx, query, { first: MAX_PAGE_SIZE, after: null, filter, orderBy });

  let current = await page(null);
  res.status(200).type("text/csv; charset=utf-8").setHeader("content-disposition", `attachment; filename="${entity}.csv"`);
  const csv = stringify({ header: true, columns: columns.map((c) => c.name), delimiter: options.delimiter, bom: options.bom });
  csv.pipe(res);
  const write = async (row: string[]) => {
    if (!csv.write(row)) await new Promise((resolve) => csv.once("drain", resolve));
  };
  for (;;) {
    // the next page is read while this one is written: the database works while the rows are formatted
    const { hasNextPage, endCursor } = current.list.pageInfo;
    const next = hasNextPage && endCursor ? page(endCursor) : null;
    next?.catch(() => undefined); // a client gone mid-page leaves it unawaited: not an unhandled rejection
    for (const { node } of current.list.edges) await write(columns.map((column) => cell(node, column)));
    if (!next) break;
    current = await next;
  }
  // a header alone when there is no row
  if (!columns.length) await write([]);
  await new Promise<void>((resolve) => {
    res.once("finish", resolve);
    csv.end();
  });
}

export function exportRoute(schema: GraphQLSchema, contextOf: (req: Request) => Promise<RequestContext>, admission: OperationAdmission, unexpected: (error: unknown) => void) {
  return async (req: Request, res: Response) => {
    const file = req.params.file as string;
    const entity = file.endsWith(".csv") ? file.slice(0, -4) : file;
    try {
      if (!file.endsWith(".csv") || !Object.hasOwn(EXPORTS, entity)) throw exchangeError(badInput(`No export ${file}; exports: ${Object.keys(EXPORTS).map((e) => `${e}.csv`).join(", ")}`));
      const query = Object.fromEntries(Object.entries(req.query).map(([key, value]) => [key, Array.isArray(value) ? value.join(",") : String(value)]));
      const separator = query.separator ?? ",";
      if (separator !== "," && separator !== ";") throw exchangeError(badInput("separator must be , or ;"));
      const params = Object.fromEntries(Object.entries(query).filter(([key]) => !OPTIONS.has(key) || key === "orderBy"));
      const ctx = await contextOf(req);
      await exportCsv(schema, ctx, admission, entity as ExportEntity, { params, bom: query.bom === "true" || query.bom === "1", delimiter: separator }, res);
    } catch (error) {
      const failure = error instanceof ExchangeError ? error : error instanceof GraphQLError ? exchangeError(error) : null;
      if (res.headersSent) res.destroy(); // a truncated file must not look complete
      else if (failure) sendExchangeError(res, failure);
      else res.status(500).json({ errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      if (!failure) unexpected(error);
    }
  };
}
