// `formatError` is the single place that turns any error into what a client sees (the codes of
// src/errors/api-errors.ts pass through), and masks everything it does not know.
import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ErrorCode } from "../errors/api-errors.js";

const PASS_THROUGH = new Set<string>(Object.values(ErrorCode));
/** Apollo's own codes for requests that never reached execution: safe and useful to clients. */
const APOLLO_REQUEST_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

export type ErrorReporter = (error: unknown) => void;

export function createFormatError(report: ErrorReporter) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? "");
    const { stacktrace: _stack, http: _http, ...extensions } = formatted.extensions ?? {};
    if (extensions.limit) {
      // limit rules report through validation; give them their own code
      return { ...formatted, extensions: { ...extensions, code: ErrorCode.QUERY_TOO_COMPLEX } };
    }
    if (PASS_THROUGH.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return { ...formatted, extensions };
    if (APOLLO_REQUEST_CODES.has(code)) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code } };
    }
    if (isDatabaseUnavailable(unwrapResolverError(error))) {
      return {
        message: "The database is unavailable; retry shortly",
        path: formatted.path,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
      };
    }
    report(unwrapResolverError(error));
    return { message: "Internal server error", path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}

const UNAVAILABLE_PATTERNS = [/ECONNREFUSED/, /ECONNRESET/, /Connection terminated/i, /timeout exceeded when trying to connect/i, /terminating connection/i, /Can't reach database/i, /DatabaseNotReachable/];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const text = `${error.name} ${error.message} ${String((error as { code?: unknown }).code ?? "")} ${error.cause instanceof Error ? error.cause.message : ""}`;
  return UNAVAILABLE_PATTERNS.some((p) => p.test(text));
}
