// Request limits that run before execution: depth, aliases, directives (validation rules) and cost, where
// a list weighs `first` times its items. Each refusal says which limit and its value.
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, visit, type GraphQLSchema, type ValidationContext, type ValidationRule } from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
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

export function costLimitPlugin(schema: () => GraphQLSchema, maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema: schema(),
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [pagedListEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // Invalid variables: execution reports them as BAD_USER_INPUT with the details.
            if (error instanceof GraphQLError) return;
            throw error;
          }
          if (cost > maxCost) {
            throw new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}; ask for smaller pages or fewer fields`, {
              extensions: { code: "QUERY_TOO_COMPLEX", limit: "cost", max: maxCost, cost, http: { status: 400 } },
            });
          }
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
