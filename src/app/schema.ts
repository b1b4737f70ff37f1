// Builds the executable schema: type-graphql types and resolvers, then graphql-shield rules (deny by default).
//
// Why shield guards only some fields (measured, bench/README.md): graphql-shield wraps every field it is
// given in an async middleware, and a wide response (50 organisations × contacts × opportunities) then
// spends 40–60 % of its CPU in rule plumbing, mostly on `allow` and on `isAuthenticated` fields deep
// under a root field that already required authentication. So, at start-up:
//   1. every field of every object type must have an explicit rule (the field's own or its type's "*"),
//      and every rule must name an existing type and field — otherwise the server refuses to start
//      (deny by default is enforced before the first request, and by test/schema/permissions.test.ts);
//   2. each rule is evaluated once for every kind of principal (anonymous, each role, partner and service
//      tokens with every combination of their scopes): rules read only the viewer, so that is exact. A
//      rule that reads anything else (the parent, the arguments, the database) counts as "depends";
//   3. from Query and Mutation, we compute which principals can reach each object type (through fields
//      their rules let them resolve; interfaces and unions reach every possible type);
//   4. shield guards a field only when some principal that can reach its type would be refused (or may
//      be: "depends"). A field whose rule lets through everyone who can get there (`allow`,
//      `isAuthenticated` under authenticated roots…) is left as is: the answer is the same, without the
//      middleware (554 fields → 170 guarded when this was written);
//   5. a guarded field still costs an async middleware per value (200 opportunities × 8 fields on the
//      pipeline board: node(id) lets a data steward reach Opportunity, so its fields stay guarded). So
//      the guard first looks up the verdict of step 2 for this request's kind of principal (kind +
//      expanded scopes, once per request): "allow" → the resolver runs directly, synchronously;
//      anything else → shield's own middleware evaluates the rule and words the refusal.
// Shield remains the one place rules are evaluated (at start-up for the verdicts, per request for
// refusals and data-dependent rules), with the same errors; the permissions table
// (docs/permissions-table.md) is computed from the same rules and does not change with this pruning.
// Measured (bench, rep-home, same run against raw SQL): 2.8 → 11.9 req/s with the cache-control plugin
// off and statement counting off; see bench/README.md.
import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLInterfaceType, type GraphQLSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { deny, shield } from "graphql-shield";
import { buildSchema, type PubSub } from "type-graphql";
import { everyone, FORBIDDEN, type RuleMap } from "../auth/rules.js";
import type { Viewer } from "../auth/viewer.js";
import { resolveNodeType } from "../graphql/relay.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import type { ReadPolicy } from "../auth/read-policy.js";
import { columnMaps, entityTypeAliases, nodeTypeNames, resolvers, ruleMaps } from "../modules/index.js";
import { buildReadPolicy } from "./read-policy.js";
import { cachedGuardPlan, principalKey, ruleCoverageProblems, type Verdict } from "./rule-analysis.js";

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

/**
 * type-graphql asks for a PubSub as soon as a Subscription exists, even when every subscription brings its
 * own `subscribe` (ours do: they follow the change feed, src/modules/changes/change-live.ts).
 */
const noTopic = (): never => {
  throw new Error("Subscriptions here have no topics: each one brings its own subscribe function");
};
const noTopics: PubSub = { publish: noTopic, subscribe: noTopic };

/** The schema as declared, without permissions: what `schema.graphql` is printed from. */
export async function buildTypeSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({ resolvers, validate: false, scalarsMap: [{ type: Date, scalar: DateTimeScalar }], pubSub: noTopics });
  // type-graphql wraps resolveType in an async function; the executor (graphql-jit) needs the type name at once.
  (schema.getType("Node") as GraphQLInterfaceType).resolveType = resolveNodeType;
  return schema;
}

type FieldMiddleware = (resolve: (...args: unknown[]) => unknown, parent: unknown, args: unknown, ctx: { viewer?: Viewer | null }, info: unknown) => unknown;

/**
 * A guarded field: when the rule's verdict for this request's kind of principal is known to be "allow",
 * the resolver runs directly (synchronously: no promise per field); otherwise shield's own middleware
 * evaluates the rule and words the refusal. Verdicts are shield's rules evaluated at start-up.
 */
function withKnownVerdicts(shieldMiddleware: unknown, verdicts: Verdict[], principalOf: (viewer: Viewer | null) => number | undefined): FieldMiddleware {
  const viaShield = (typeof shieldMiddleware === "function" ? shieldMiddleware : (shieldMiddleware as { resolve: FieldMiddleware }).resolve) as FieldMiddleware;
  return (resolve, parent, args, ctx, info) => {
    const principal = principalOf(ctx?.viewer ?? null);
    if (principal !== undefined && verdicts[principal] === "allow") return resolve(parent, args, ctx, info);
    return viaShield(resolve, parent, args, ctx, info);
  };
}

/** Object types implementing Node that node(id) could not fetch: a module left its fetcher out. */
export function unfetchableNodeTypes(schema: GraphQLSchema, fetched: ReadonlySet<string>): string[] {
  const node = schema.getType("Node") as GraphQLInterfaceType;
  return schema.getImplementations(node).objects.map((type) => type.name).filter((name) => !fetched.has(name)).sort();
}

export interface AppSchema {
  typeSchema: GraphQLSchema;
  schema: GraphQLSchema;
  /** the same rules, asked by the side paths (audit trail, timeline) */
  readPolicy: ReadPolicy;
  guardedFields: number;
  totalFields: number;
}

export async function buildAppSchema(): Promise<AppSchema> {
  const typeSchema = await buildTypeSchema();
  const problems = ruleCoverageProblems(typeSchema, permissionRules);
  if (problems.length) {
    throw new Error(`Refusing to start: every field needs an explicit graphql-shield rule (deny by default).\n  ${problems.join("\n  ")}`);
  }
  const unfetchable = unfetchableNodeTypes(typeSchema, nodeTypeNames);
  if (unfetchable.length) {
    throw new Error(`Refusing to start: ${unfetchable.join(", ")} implement Node but no module fetches them (its module's \`nodes\`)`);
  }
  const permissions = shield(permissionRules as Parameters<typeof shield>[0], {
    // Never reached (every field has a rule, checked above), kept as the last line of defence.
    fallbackRule: deny,
    fallbackError: FORBIDDEN(),
    allowExternalErrors: true,
  });
  // Shield builds a middleware for every field; we apply only those of the fields that need a check.
  const everyField = permissions.generate(typeSchema) as Record<string, Record<string, unknown>>;
  const plan = await cachedGuardPlan(typeSchema, permissionRules);
  // One lookup per request and viewer (the viewer object is the request's).
  const principals = new WeakMap<Viewer, number | undefined>();
  const principalOf = (viewer: Viewer | null) => {
    if (!viewer) return plan.principalIndex.get("anonymous");
    if (!principals.has(viewer)) principals.set(viewer, plan.principalIndex.get(principalKey(viewer)));
    return principals.get(viewer);
  };
  const middleware: Record<string, Record<string, FieldMiddleware>> = {};
  let totalFields = 0;
  for (const [typeName, fields] of Object.entries(everyField)) {
    for (const [field, fieldMiddleware] of Object.entries(fields)) {
      totalFields += 1;
      const verdicts = plan.guarded.get(`${typeName}.${field}`);
      if (verdicts) (middleware[typeName] ??= {})[field] = withKnownVerdicts(fieldMiddleware, verdicts, principalOf);
    }
  }
  const schema = applyMiddleware(typeSchema, middleware as Parameters<typeof applyMiddleware>[1]);
  const readPolicy = buildReadPolicy(typeSchema, plan, Object.assign({}, ...columnMaps), Object.assign({}, ...entityTypeAliases));
  return { typeSchema, schema, readPolicy, guardedFields: plan.guarded.size, totalFields };
}

/** The committed SDL: sorted, so that the file changes only when the API does. */
export async function printServerSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildTypeSchema()))}\n`;
}
