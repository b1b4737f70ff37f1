// What the CSV routes share: they run the very GraphQL operations a client would send (same rules, same
// row scope, same validation), and read the columns they accept or write from the schema's types.
import {
  execute,
  getNamedType,
  getNullableType,
  GraphQLBoolean,
  GraphQLError,
  GraphQLFloat,
  GraphQLInt,
  isInputObjectType,
  isLeafType,
  isListType,
  Kind,
  OperationTypeNode,
  parse,
  type DocumentNode,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { badInput, ErrorCode } from "../../errors/api-errors.js";
import type { Response } from "express";
import type { RequestContext } from "../../graphql/context.js";
import type { OperationAdmission } from "../../graphql/rate-limit.js";
import type { CustomFieldType } from "../../db/generated/enums.js";
import { customFieldEntityOf } from "../custom-fields/custom-field.service.js";

const STATUS_OF_CODE: Record<string, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
};

/** An error of a CSV route, with its HTTP status and the GraphQL error vocabulary. */
export class ExchangeError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message: string; extensions: Record<string, unknown> },
  ) {
    super(body.message);
  }
}

export function exchangeError(error: GraphQLError): ExchangeError {
  const code = String(error.extensions.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  const known = STATUS_OF_CODE[code];
  // an error our code did not raise on purpose is masked, as GraphQL masks it
  return known
    ? new ExchangeError(known, { message: error.message, extensions: { ...extensions, code } })
    : new ExchangeError(500, { message: "Internal server error", extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
}

const documents = new Map<string, DocumentNode>();

const documentOf = (source: string): DocumentNode => {
  let document = documents.get(source);
  if (!document) documents.set(source, (document = parse(source)));
  return document;
};

/**
 * A CSV request is admitted like a GraphQL request: its first operation must be within the cost limit, and
 * its cost is spent from the caller's rate-limit budget (the rest of the stream is that request's work).
 */
export async function admit(admission: OperationAdmission, ctx: RequestContext, source: string, variables: Record<string, unknown>): Promise<void> {
  try {
    await admission(ctx.viewer, ctx.clientIp, documentOf(source), variables);
  } catch (error) {
    throw error instanceof GraphQLError ? exchangeError(error) : error;
  }
}

/** An ExchangeError as the route's JSON answer (with Retry-After when the budget is spent). */
export function sendExchangeError(res: Response, failure: ExchangeError): void {
  const retryAfter = failure.body.extensions.retryAfterSeconds;
  if (failure.status === 429 && typeof retryAfter === "number") res.setHeader("retry-after", String(retryAfter));
  res.status(failure.status).json({ errors: [failure.body] });
}

/** Runs one operation with the request's context; its first error becomes an ExchangeError. */
export async function run<T>(schema: GraphQLSchema, ctx: RequestContext, source: string, variables: Record<string, unknown>): Promise<T> {
  const document = documentOf(source);
  const result = await execute({ schema, document, contextValue: ctx, variableValues: variables });
  if (document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.MUTATION)) {
    await ctx.noteWrite();
  }
  const error = result.errors?.[0];
  if (error) throw exchangeError(error.originalError instanceof GraphQLError ? error.originalError : error);
  return result.data as T;
}

/** The input object type of an argument of a root field (its list element for `rows`-like fields), or null. */
export function inputTypeOf(type: GraphQLInputType | undefined): GraphQLInputObjectType | null {
  const named = type ? getNamedType(type) : undefined;
  return named && isInputObjectType(named) ? named : null;
}

/**
 * A text cell (CSV cell, query parameter) as the value of an input field of that type: numbers and booleans
 * read, lists split on `listSeparator`, enums and custom scalars checked by the type's own parser. An
 * invalid value is reported by name, on its own, so the row (or the request) can say which field is wrong.
 */
export function cellValue(type: GraphQLInputType, text: string, listSeparator: string): { value: unknown } | { error: string } {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const values: unknown[] = [];
    for (const part of text.split(listSeparator).map((p) => p.trim()).filter(Boolean)) {
      const item = cellValue(nullable.ofType as GraphQLInputType, part, listSeparator);
      if ("error" in item) return item;
      values.push(item.value);
    }
    return { value: values };
  }
  const trimmed = text.trim();
  if (nullable === GraphQLBoolean) {
    const lower = trimmed.toLowerCase();
    if (lower === "true" || lower === "1") return { value: true };
    if (lower === "false" || lower === "0") return { value: false };
    return { error: "must be true or false" };
  }
  if (nullable === GraphQLInt || nullable === GraphQLFloat) {
    const number = Number(trimmed);
    if (trimmed === "" || !Number.isFinite(number) || (nullable === GraphQLInt && !Number.isInteger(number))) return { error: `must be ${nullable === GraphQLInt ? "an integer" : "a number"}` };
    return { value: number };
  }
  if (isLeafType(nullable)) {
    try {
      nullable.parseValue(trimmed);
    } catch (error) {
      return { error: error instanceof Error ? error.message : "is not a valid value" };
    }
    return { value: trimmed };
  }
  return { error: "cannot be given as text" };
}

/** Query parameters as a filter input (dotted names reach nested inputs: `period.from`); unknown ones are refused by name. */
export function filterFromQuery(type: GraphQLInputObjectType | null, params: Record<string, string>): Record<string, unknown> | null {
  const entries = Object.entries(params);
  if (!entries.length) return null;
  const filter: Record<string, unknown> = {};
  const unknown: string[] = [];
  const invalid: { field: string; message: string }[] = [];
  for (const [name, text] of entries) {
    const path = name.split(".");
    let target = filter;
    let input: GraphQLInputObjectType | null = type;
    let leaf: GraphQLInputType | null = null;
    for (const [index, key] of path.entries()) {
      const field = input?.getFields()[key];
      if (!field) break;
      if (index === path.length - 1) leaf = field.type;
      else {
        input = inputTypeOf(field.type);
        target = (target[key] ??= {}) as Record<string, unknown>;
      }
    }
    if (!leaf) {
      unknown.push(name);
      continue;
    }
    const cell = cellValue(leaf, text, ",");
    if ("error" in cell) invalid.push({ field: name, message: cell.error });
    else target[path.at(-1)!] = cell.value;
  }
  if (unknown.length) {
    const known = type ? Object.keys(type.getFields()) : [];
    throw exchangeError(badInput(`Unknown filter parameters: ${unknown.join(", ")} (the filter has: ${known.join(", ") || "nothing"})`, { parameters: unknown }));
  }
  if (invalid.length) throw exchangeError(badInput(`Invalid filter: ${invalid.map((i) => `${i.field} ${i.message}`).join("; ")}`, { fields: invalid }));
  return filter;
}

/** The custom fields of a type this viewer may read, key → type, for the CSV columns cf.<key> (none for a type without custom fields). */
export async function customColumnTypes(schema: GraphQLSchema, ctx: RequestContext, typeName: string): Promise<Map<string, CustomFieldType>> {
  const entity = customFieldEntityOf(typeName);
  if (!entity) return new Map();
  const query = "query($entity: CustomFieldEntity!) { definitions: customFieldDefinitions(entity: $entity) { key type } }";
  const data = await run<{ definitions: { key: string; type: CustomFieldType }[] }>(schema, ctx, query, { entity });
  return new Map(data.definitions.map((definition) => [definition.key, definition.type]));
}
