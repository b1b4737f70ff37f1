// Builds the executable schema: type-graphql types and resolvers, then graphql-shield rules (deny by default).
import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { deny, shield } from "graphql-shield";
import { buildSchema } from "type-graphql";
import { everyone, FORBIDDEN, type RuleMap } from "../auth/rules.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import { resolvers, ruleMaps } from "../modules/index.js";

/** Types every module shares (relay plumbing) are open: what they carry was authorised where it was fetched. */
const sharedRules: RuleMap = { PageInfo: { "*": everyone } };

export function mergeRuleMaps(maps: RuleMap[]): RuleMap {
  const merged: RuleMap = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      for (const [field, rule] of Object.entries(fields)) {
        if (merged[typeName]?.[field]) throw new Error(`Two rules for ${typeName}.${field}`);
        (merged[typeName] ??= {})[field] = rule;
      }
    }
  }
  return merged;
}

export const permissionRules = mergeRuleMaps([sharedRules, ...ruleMaps]);

/** The schema as declared, without permissions: what `schema.graphql` is printed from. */
export function buildTypeSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, validate: false, scalarsMap: [{ type: Date, scalar: DateTimeScalar }] });
}

export async function buildAppSchema(): Promise<{ typeSchema: GraphQLSchema; schema: GraphQLSchema }> {
  const typeSchema = await buildTypeSchema();
  const permissions = shield(permissionRules as Parameters<typeof shield>[0], {
    // A field no rule names is closed; resolver errors keep their own codes.
    fallbackRule: deny,
    fallbackError: FORBIDDEN(),
    allowExternalErrors: true,
  });
  return { typeSchema, schema: applyMiddleware(typeSchema, permissions) };
}

/** The committed SDL: sorted, so that the file changes only when the API does. */
export async function printServerSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildTypeSchema()))}\n`;
}
