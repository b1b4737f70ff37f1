// Request limits: depth, aliases, directives (validation rules), tokens (parser), cost, where a list weighs
// `first` times its items and a field may declare its own cost (dashboards), and the operation timeout
// around execution. Each refusal says which limit
// (`extensions.limit`) and its value (`extensions.max`).
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler, Response } from "express";
import {
  GraphQLError,
  Lexer,
  Source,
  TokenKind,
  visit,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import { DEFAULT_PAGE_SIZE } from "./relay.js";

export interface LimitSettings {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
}

/** Reports a limit through validation with a `limit` extension, which formatError turns into QUERY_TOO_COMPLEX. */
function reportAs(limit: string, max: number) {
  return [
    (ctx: ValidationContext | null, error: GraphQLError) =>
      ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ""), { extensions: { limit, max } })),
  ];
}

export function limitRules(settings: LimitSettings): ValidationRule[] {
  return [
    maxDepthRule({ n: settings.maxDepth, onReject: reportAs("depth", settings.maxDepth), propagateOnRejection: false, exposeLimits: true }),
    maxAliasesRule({ n: settings.maxAliases, onReject: reportAs("aliases", settings.maxAliases), propagateOnRejection: false, exposeLimits: true }),
    maxDirectivesRule({ n: settings.maxDirectives, onReject: reportAs("directives", settings.maxDirectives), propagateOnRejection: false, exposeLimits: true }),
  ] as ValidationRule[];
}

/** A list field costs 1 + first × (cost of one item); `first` defaults to the default page size. */
const pagedListEstimator: ComplexityEstimator = ({ args, childComplexity, field }) => {
  const isConnection = field.args.some((arg) => arg.name === "first");
  if (!isConnection) return undefined;
  const first = typeof args.first === "number" ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + Math.max(first, 1) * childComplexity;
};

/** The cost of one operation, or null when its variables are invalid (execution reports those). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number | null {
  try {
    return getComplexity({
      schema,
      query: document,
      operationName: operationName ?? undefined,
      variables: variables ?? {},
      // a field's own cost (dashboards declare theirs), else a list's, else 1
      estimators: [fieldExtensionsEstimator(), pagedListEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    if (error instanceof GraphQLError) return null;
    throw error;
  }
}

export function costOverLimit(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}; ask for smaller pages or fewer fields`, {
    extensions: { code: "QUERY_TOO_COMPLEX", limit: "cost", max: maxCost, cost, http: { status: 400 } },
  });
}

export function costLimitPlugin(schema: () => GraphQLSchema, maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          // graphql-js validation accepts e.g. a subscription on a schema without one; refuse it as invalid
          if (operation && !schema().getRootType(operation.operation)) {
            throw new GraphQLError(`This API has no ${operation.operation} operations`, {
              extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
            });
          }
          const cost = operationCost(schema(), document, request.operationName, request.variables);
          if (cost === null) return;
          if (cost > maxCost) throw costOverLimit(cost, maxCost);
        },
      };
    },
  };
}

/** Introspection is for authenticated principals only (documented policy): anonymous callers get UNAUTHENTICATED. */
export function introspectionPolicyPlugin<T extends { viewer: unknown }>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document }) {
          if (contextValue.viewer) return;
          let introspects = false;
          visit(document, {
            Field(node) {
              if (node.name.value === "__schema" || node.name.value === "__type") introspects = true;
            },
          });
          if (introspects) {
            throw new GraphQLError("Introspection requires an authenticated principal", {
              extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
            });
          }
        },
      };
    },
  };
}

/**
 * graphql-js aborts parsing past `maxTokens` with a plain syntax error: give it the limit's name and value
 * (formatError then answers QUERY_TOO_COMPLEX like every other limit).
 */
export function describeTokenLimit(formatted: GraphQLFormattedError, maxTokens: number): GraphQLFormattedError {
  if (!/Document contains more tha[nt] \d+ tokens/.test(formatted.message)) return formatted;
  return {
    message: `Query has more than ${maxTokens} tokens; send a shorter document`,
    extensions: { ...formatted.extensions, limit: "tokens", max: maxTokens },
  };
}

/**
 * Brackets (`{`, `[`, `(`) a document may nest, and levels of arrays and objects in its variables. The
 * parser, the validation rules and the coercion of values recurse once per level: a few thousand levels
 * (a few KB, under the token limit) overflow the stack before any other limit applies. Legitimate
 * operations stay far below (the selection depth limit alone keeps them under about 30).
 */
export const MAX_NESTING = 64;

function nestingRefusal(what: string): GraphQLFormattedError {
  return {
    message: `${what} nests more than ${MAX_NESTING} levels; send a flatter one`,
    extensions: { code: "QUERY_TOO_COMPLEX", limit: "nesting", max: MAX_NESTING },
  };
}

/**
 * How deeply a document nests, read by the (iterative) lexer before anything parses it; stops at the first
 * level past the limit, or past `maxTokens` tokens (the parser then reports the token limit), or at a
 * lexical error (the parser reports it).
 */
function documentTooDeep(query: string, maxTokens: number): boolean {
  let opening = 0;
  for (let i = 0; i < query.length && opening <= MAX_NESTING; i++) {
    const c = query.charCodeAt(i);
    if (c === 0x7b || c === 0x5b || c === 0x28) opening++;
  }
  if (opening <= MAX_NESTING) return false; // cannot nest deeper than it opens
  const lexer = new Lexer(new Source(query));
  let depth = 0;
  try {
    for (let tokens = 0; tokens <= maxTokens; tokens++) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) return false;
      if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.BRACKET_L || token.kind === TokenKind.PAREN_L) {
        if (++depth > MAX_NESTING) return true;
      } else if (token.kind === TokenKind.BRACE_R || token.kind === TokenKind.BRACKET_R || token.kind === TokenKind.PAREN_R) {
        depth--;
      }
    }
  } catch {
    return false;
  }
  return false;
}

/** Whether a JSON value nests arrays and objects deeper than the limit (iterative). */
function valueTooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (!item || typeof item !== "object") continue;
    if (depth >= MAX_NESTING) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The nesting limit of one request's parameters (a POST body or a GET query string), checked before Apollo
 * parses anything; null when within it.
 */
export function nestingLimitError(params: unknown, maxTokens: number): GraphQLFormattedError | null {
  if (!params || typeof params !== "object") return null;
  const { query, variables } = params as { query?: unknown; variables?: unknown };
  if (typeof query === "string" && documentTooDeep(query, maxTokens)) return nestingRefusal("The document");
  let values = variables;
  if (typeof variables === "string") {
    try {
      values = JSON.parse(variables); // GET: the variables are a JSON string
    } catch {
      return null; // Apollo reports it
    }
  }
  return valueTooDeep(values) ? nestingRefusal("The variables") : null;
}

/**
 * Answers 503 with `limit: "timeout"` when an operation has not answered within `ms`. The work itself goes
 * on until the database's statement_timeout ends it; its late answer is dropped.
 */
export function operationTimeout(ms: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.status(503).json({
        errors: [
          {
            message: `The operation did not finish within the limit of ${ms} ms; ask for less or retry later`,
            extensions: { code: "QUERY_TOO_COMPLEX", limit: "timeout", max: ms },
          },
        ],
      });
      dropLateAnswer(res);
    }, ms);
    timer.unref();
    res.once("finish", () => clearTimeout(timer));
    res.once("close", () => clearTimeout(timer));
    next();
  };
}

/** After a timeout answer, the handler's own answer must not throw "headers already sent". */
function dropLateAnswer(res: Response): void {
  res.setHeader = () => res;
  res.send = () => res;
  res.write = () => true;
  res.end = () => res;
}
