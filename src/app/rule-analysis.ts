// What the permission rules allow, computed from the rules themselves: coverage (a rule for every field),
// each rule's verdict for every kind of principal, and the guard plan (which fields shield must guard, which
// fields each principal may read). The schema (schema.ts), the read policy of the side paths
// (read-policy.ts) and the permissions table all read it.
import {
  getNamedType,
  isAbstractType,
  isIntrospectionType,
  isObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { deny } from "graphql-shield";
import { FORBIDDEN, type RuleMap } from "../auth/rules.js";
import { expandScopes, PARTNER_SCOPES, SERVICE_SCOPES } from "../auth/scopes.js";
import { isTokenViewer, type Viewer } from "../auth/viewer.js";
import type { Role } from "../db/generated/enums.js";
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
  // Refusing rules answer a new GraphQLError: thousands of them here (rules × 261 principals), only read as
  // verdicts. Capturing their stack traces was a third of the server's build time at start-up. The rules
  // run on in-memory objects only: the plan is computed in microtasks, so no other code runs meanwhile.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await computeGuardPlan(schema, rules);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

async function computeGuardPlan(schema: GraphQLSchema, rules: RuleMap): Promise<GuardPlan> {
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
export function cachedGuardPlan(schema: GraphQLSchema, rules: RuleMap): Promise<GuardPlan> {
  const shape = objectTypesOf(schema)
    .map((type) => `${type.name}{${Object.values(type.getFields()).map((f) => `${f.name}:${String(f.type)}`).join(",")}}`)
    .join("");
  let byShape = plans.get(rules);
  if (!byShape) plans.set(rules, (byShape = new Map()));
  let plan = byShape.get(shape);
  if (!plan) byShape.set(shape, (plan = guardPlan(schema, rules)));
  return plan;
}

