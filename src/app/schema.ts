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
import {
  getNamedType,
  isAbstractType,
  isIntrospectionType,
  isObjectType,
  lexicographicSortSchema,
  printSchema,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { deny, shield } from "graphql-shield";
import { buildSchema } from "type-graphql";
import { everyone, FORBIDDEN, type RuleMap } from "../auth/rules.js";
import { expandScopes, PARTNER_SCOPES, SERVICE_SCOPES } from "../auth/scopes.js";
import { isTokenViewer, type Viewer } from "../auth/viewer.js";
import type { Role } from "../db/generated/enums.js";
import { resolveNodeType } from "../graphql/relay.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import type { ReadPolicy } from "../auth/read-policy.js";
import { columnMaps, entityTypeAliases, resolvers, ruleMaps } from "../modules/index.js";
import { buildReadPolicy } from "./read-policy.js";

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
export async function buildTypeSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({ resolvers, validate: false, scalarsMap: [{ type: Date, scalar: DateTimeScalar }] });
  // type-graphql wraps resolveType in an async function; the executor (graphql-jit) needs the type name at once.
  (schema.getType("Node") as GraphQLInterfaceType).resolveType = resolveNodeType;
  return schema;
}

// ---------------------------------------------------------------------------------------------------
// Coverage: a rule for every field, no rule for a field that does not exist
// ---------------------------------------------------------------------------------------------------

/** The object types shield applies to (introspection types excluded), sorted by name. */
export function objectTypesOf(schema: GraphQLSchema): GraphQLObjectType[] {
  return Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && !isIntrospectionType(type))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The rule that applies to a field: its own, else its type's "*"; undefined when there is none. */
export function ruleOf(rules: RuleMap, typeName: string, field: string): unknown {
  const forType = rules[typeName];
  if (!forType) return undefined;
  return Object.hasOwn(forType, field) ? forType[field] : forType["*"];
}

/** Every field without a rule and every rule naming a type or field the schema does not have. */
export function ruleCoverageProblems(schema: GraphQLSchema, rules: RuleMap): string[] {
  const problems: string[] = [];
  for (const type of objectTypesOf(schema)) {
    for (const field of Object.keys(type.getFields())) {
      if (ruleOf(rules, type.name, field) === undefined) problems.push(`${type.name}.${field} has no rule`);
    }
  }
  for (const [typeName, fields] of Object.entries(rules)) {
    const type = schema.getType(typeName);
    if (!type || !isObjectType(type)) {
      problems.push(`rules name ${typeName}, which is not an object type of the schema`);
      continue;
    }
    for (const field of Object.keys(fields)) {
      if (field !== "*" && !Object.hasOwn(type.getFields(), field)) problems.push(`a rule names ${typeName}.${field}, which does not exist`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Principals and rule evaluation
// ---------------------------------------------------------------------------------------------------

export interface Principal {
  /** short name, e.g. REP, anonymous, PARTNER organisations:read */
  label: string;
  viewer: Viewer | null;
}

const ROLES: Role[] = ["REP", "MANAGER", "HEAD_OFFICE", "DATA_STEWARD"];
const SYNTHETIC_ID = "00000000-0000-4000-8000-000000000000";

const userPrincipal = (kind: Role): Principal => ({
  label: kind,
  viewer: { kind, userId: SYNTHETIC_ID, email: `${kind.toLowerCase()}@principal.invalid`, teamId: null, teamRepIds: [] },
});

/** A token as authenticate.ts builds it: the granted scopes, expanded to what they imply. */
const tokenPrincipal = (kind: "PARTNER" | "SERVICE", scopes: readonly string[]): Principal => ({
  label: scopes.length ? `${kind} ${scopes.join(" + ")}` : `${kind} (no scope)`,
  viewer: {
    kind,
    tokenId: SYNTHETIC_ID,
    jti: SYNTHETIC_ID,
    scopes: expandScopes(scopes),
    restrictTerritoryIds: [],
    restrictOrganisationIds: [],
    issuedById: SYNTHETIC_ID,
  },
});

/** The columns of the permissions table: each role, anonymous, each token kind with each single scope. */
export function tablePrincipals(): Principal[] {
  return [
    ...ROLES.map(userPrincipal),
    { label: "anonymous", viewer: null },
    ...PARTNER_SCOPES.map((scope) => tokenPrincipal("PARTNER", [scope])),
    ...SERVICE_SCOPES.map((scope) => tokenPrincipal("SERVICE", [scope])),
  ];
}

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => [...all, ...all.map((subset) => [...subset, item])], [[]]);
}

/** Every principal a request can carry: tokens with every combination of the scopes their kind may hold. */
export function everyPrincipal(): Principal[] {
  return [
    { label: "anonymous", viewer: null },
    ...ROLES.map(userPrincipal),
    ...subsets(PARTNER_SCOPES).map((scopes) => tokenPrincipal("PARTNER", scopes)),
    ...subsets(SERVICE_SCOPES).map((scopes) => tokenPrincipal("SERVICE", scopes)),
  ];
}

export type Verdict = "allow" | "deny" | "depends";

/** What a rule may read of a viewer (see evaluateRule): its kind and its expanded scopes. */
export function principalKey(viewer: Viewer | null): string {
  if (!viewer) return "anonymous";
  return isTokenViewer(viewer) ? `${viewer.kind}:${[...viewer.scopes].sort().join(",")}` : viewer.kind;
}

interface EvaluableRule {
  resolve(parent: unknown, args: unknown, ctx: unknown, info: unknown, options: unknown): Promise<unknown>;
}

/**
 * What a rule answers for a viewer. Parent, arguments, info and every context key but `viewer` are
 * booby-trapped: a rule that reads them depends on the data, and is reported as "depends".
 */
export async function evaluateRule(rule: unknown, viewer: Viewer | null): Promise<Verdict> {
  let touched = false;
  const trap = <T extends object>(target: T, open: ReadonlySet<PropertyKey> = new Set()): T =>
    new Proxy(target, {
      get: (t, key, receiver) => {
        if (!open.has(key)) touched = true;
        return Reflect.get(t, key, receiver);
      },
      has: (t, key) => {
        if (!open.has(key)) touched = true;
        return Reflect.has(t, key);
      },
      ownKeys: (t) => ((touched = true), Reflect.ownKeys(t)),
    });
  // Only the viewer's kind and scopes are principal-wide; a rule reading its ids or restrictions "depends".
  const trappedViewer = viewer && trap({ ...viewer }, new Set<PropertyKey>(["kind", "scopes"]));
  const ctx = trap({ viewer: trappedViewer, _shield: { cache: {} } }, new Set(["viewer", "_shield"]));
  const options = {
    debug: false,
    allowExternalErrors: true,
    fallbackRule: deny,
    fallbackError: FORBIDDEN(),
    hashFunction: () => ((touched = true), ""),
  };
  const result = await (rule as EvaluableRule).resolve(trap({}), trap({}), ctx, trap({}), options);
  if (touched) return "depends";
  return result === true ? "allow" : "deny";
}

/** Each rule evaluated once per principal (rules are shared objects: a few dozen distinct ones). */
class VerdictTable {
  private readonly byRule = new Map<unknown, Promise<Verdict[]>>();
  constructor(readonly principals: Principal[]) {}
  verdicts(rule: unknown): Promise<Verdict[]> {
    let verdicts = this.byRule.get(rule);
    if (!verdicts) this.byRule.set(rule, (verdicts = Promise.all(this.principals.map((p) => evaluateRule(rule, p.viewer)))));
    return verdicts;
  }
}

/** For each `Type.field` (sorted), the verdict of its rule for each principal. Fields without a rule: deny. */
export async function fieldVerdicts(schema: GraphQLSchema, rules: RuleMap, principals: Principal[]): Promise<Map<string, Verdict[]>> {
  const table = new VerdictTable(principals);
  const result = new Map<string, Verdict[]>();
  for (const type of objectTypesOf(schema)) {
    for (const field of Object.keys(type.getFields()).sort()) {
      const rule = ruleOf(rules, type.name, field);
      result.set(`${type.name}.${field}`, rule === undefined ? principals.map(() => "deny") : await table.verdicts(rule));
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Which fields shield must guard
// ---------------------------------------------------------------------------------------------------

/** For each object type, the principals (indexes into everyPrincipal()) that can reach it from a root. */
async function reachability(schema: GraphQLSchema, rules: RuleMap, table: VerdictTable): Promise<Map<string, Uint8Array>> {
  const count = table.principals.length;
  const reach = new Map<string, Uint8Array>();
  const types = objectTypesOf(schema);
  for (const type of types) reach.set(type.name, new Uint8Array(count));
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (root) reach.get(root.name)!.fill(1);
  }
  const edges: { from: string; to: string[]; verdicts: Verdict[] }[] = [];
  for (const type of types) {
    for (const [name, field] of Object.entries(type.getFields())) {
      const target = getNamedType(field.type);
      const to = isObjectType(target) ? [target.name] : isAbstractType(target) ? schema.getPossibleTypes(target).map((t) => t.name) : [];
      const rule = ruleOf(rules, type.name, name);
      if (to.length && rule !== undefined) edges.push({ from: type.name, to, verdicts: await table.verdicts(rule) });
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const edge of edges) {
      const from = reach.get(edge.from)!;
      for (let p = 0; p < count; p++) {
        if (!from[p] || edge.verdicts[p] === "deny") continue;
        for (const name of edge.to) {
          const into = reach.get(name)!;
          if (!into[p]) changed = Boolean((into[p] = 1));
        }
      }
    }
  }
  return reach;
}

/** What shield must guard, and what it would answer for each kind of principal. */
export interface GuardPlan {
  /** `Type.field`s whose rule could refuse someone who can reach the type → the rule's verdict per principal */
  guarded: Map<string, Verdict[]>;
  /** principalKey → index in the verdict rows */
  principalIndex: Map<string, number>;
  /** per principal (same index): type name → the fields its rules allow and a path from a root reaches */
  readable: Map<string, Set<string>>[];
}

/**
 * The fields shield must guard: those whose rule could refuse (or may, "depends") someone who can reach
 * their type. Others answer the same without a check (see the comment at the top of this file).
 */
export async function guardPlan(schema: GraphQLSchema, rules: RuleMap): Promise<GuardPlan> {
  const table = new VerdictTable(everyPrincipal());
  const reach = await reachability(schema, rules, table);
  const guarded = new Map<string, Verdict[]>();
  const readable = table.principals.map(() => new Map<string, Set<string>>());
  for (const type of objectTypesOf(schema)) {
    const reachedBy = reach.get(type.name)!;
    for (const field of Object.keys(type.getFields())) {
      const rule = ruleOf(rules, type.name, field);
      const verdicts = rule === undefined ? table.principals.map((): Verdict => "deny") : await table.verdicts(rule);
      if (verdicts.some((verdict, p) => reachedBy[p] && verdict !== "allow")) guarded.set(`${type.name}.${field}`, verdicts);
      verdicts.forEach((verdict, p) => {
        if (verdict !== "allow" || !reachedBy[p]) return;
        const fields = readable[p]!.get(type.name);
        if (fields) fields.add(field);
        else readable[p]!.set(type.name, new Set([field]));
      });
    }
  }
  return { guarded, principalIndex: new Map(table.principals.map((p, i) => [principalKey(p.viewer), i])), readable };
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

export type Access = Verdict | "unreachable";

/**
 * Effective access per `Type.field` and principal: the rule's verdict where the principal can reach the
 * type from a root, "unreachable" where the rule would let it through but no path leads there.
 */
export async function fieldAccess(schema: GraphQLSchema, rules: RuleMap, principals: Principal[]): Promise<Map<string, Access[]>> {
  const table = new VerdictTable(principals);
  const reach = await reachability(schema, rules, table);
  const verdicts = await fieldVerdicts(schema, rules, principals);
  const result = new Map<string, Access[]>();
  for (const [key, row] of verdicts) {
    const reachedBy = reach.get(key.slice(0, key.indexOf(".")))!;
    result.set(key, row.map((verdict, p) => (verdict !== "deny" && !reachedBy[p] ? "unreachable" : verdict)));
  }
  return result;
}

// The plan takes ~1 s to compute; a process that builds several servers (tests) computes it once per
// shape of schema (its fields and their return types) and rule map.
const plans = new WeakMap<RuleMap, Map<string, Promise<GuardPlan>>>();
function cachedGuardPlan(schema: GraphQLSchema, rules: RuleMap): Promise<GuardPlan> {
  const shape = objectTypesOf(schema)
    .map((type) => `${type.name}{${Object.values(type.getFields()).map((f) => `${f.name}:${String(f.type)}`).join(",")}}`)
    .join("");
  let byShape = plans.get(rules);
  if (!byShape) plans.set(rules, (byShape = new Map()));
  let plan = byShape.get(shape);
  if (!plan) byShape.set(shape, (plan = guardPlan(schema, rules)));
  return plan;
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
