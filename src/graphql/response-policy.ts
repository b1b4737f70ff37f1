// What a response says beyond its errors' codes, decided once for every request:
// - anonymous callers get no "Did you mean …?" hints: those list field, type, argument and enum names of
//   the schema, which introspection reserves to authenticated principals;
// - an answer with no data whose every error is UNAUTHENTICATED is HTTP 401, wherever it was raised
//   (introspection policy, a protected field's rule): the status tells the client to authenticate;
// - request errors (document parse or validation failure, variable coercion, input refused at the edge)
//   follow GraphQL over HTTP: 200 when the client accepts application/json (or */*) but not
//   application/graphql-response+json (legacy clients read the body), 400 when it accepts the latter or
//   sends no Accept header. Limit refusals (QUERY_TOO_COMPLEX) and rate limiting keep their own status.
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";

const REQUEST_ERROR_CODES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"]);
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** Whether the body carries no data: none at all, or only null root fields. */
function hasNoData(data: Record<string, unknown> | null | undefined): boolean {
  return !data || Object.values(data).every((value) => value === null);
}

/** A client that accepts application/json and not application/graphql-response+json. */
function acceptsLegacyJsonOnly(accept: string | undefined): boolean {
  if (!accept) return false;
  return /application\/json|\*\/\*/i.test(accept) && !/application\/graphql-response\+json/i.test(accept);
}

export function responsePolicyPlugin<T extends { viewer: unknown }>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, request, response }) {
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          const errors: readonly GraphQLFormattedError[] = result.errors ?? [];
          if (!errors.length) return;
          if (!contextValue.viewer) {
            result.errors = errors.map((error) => ({ ...error, message: error.message.replace(SUGGESTION, "") }));
          }
          const codes = errors.map((error) => String(error.extensions?.code ?? ""));
          if (!hasNoData(result.data)) return;
          if (codes.every((code) => code === "UNAUTHENTICATED")) {
            response.http.status = 401;
          } else if (response.http.status === 400 && codes.every((code) => REQUEST_ERROR_CODES.has(code))) {
            if (acceptsLegacyJsonOnly(request.http?.headers.get("accept"))) response.http.status = 200;
          }
        },
      };
    },
  };
}
