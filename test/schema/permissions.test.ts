// The schema walk (deny by default, checked before any request): every field of every object type has an
// explicit rule, no rule names something that does not exist, and what each principal may read or call
// is the reviewed table committed in docs/permissions-table.md.
import { readFile } from "node:fs/promises";
import { buildSchema as buildSdl } from "graphql";
import { allow } from "graphql-shield";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateRule, fieldVerdicts, guardPlan, ruleCoverageProblems, tablePrincipals } from "../../src/app/rule-analysis.js";
import { buildTypeSchema, permissionRules, unfetchableNodeTypes } from "../../src/app/schema.js";
import { nodeTypeNames } from "../../src/modules/index.js";
import { isAuthenticated, role } from "../../src/auth/rules.js";
import { PERMISSIONS_TABLE_PATH, renderPermissionsTable } from "../../scripts/permissions-table.js";
import type { GraphQLSchema } from "graphql";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildTypeSchema();
});

describe("schema walk", () => {
  it("every field of every object type has an explicit rule, and every rule names an existing type and field", () => {
    expect(ruleCoverageProblems(schema, permissionRules)).toEqual([]);
  });

  it("reports a field without a rule and a rule for a field or type that does not exist", () => {
    const small = buildSdl(`type Query { a: Thing, b: Int }  type Thing { x: Int, y: Int }`);
    expect(ruleCoverageProblems(small, { Query: { a: allow }, Thing: { x: allow, z: allow }, Ghost: { "*": allow } })).toEqual([
      "Query.b has no rule",
      "Thing.y has no rule",
      "a rule names Thing.z, which does not exist",
      "rules name Ghost, which is not an object type of the schema",
    ]);
  });

  it("docs/permissions-table.md is the table of the current rules (regenerate: npm run permissions:table)", async () => {
    const committed = await readFile(PERMISSIONS_TABLE_PATH, "utf8");
    expect(await renderPermissionsTable()).toBe(committed);
  });

  it("every principal kind of SPEC §2 is a column, and the roots are closed to anonymous callers but for login", async () => {
    const labels = tablePrincipals().map((p) => p.label);
    expect(labels.slice(0, 5)).toEqual(["REP", "MANAGER", "HEAD_OFFICE", "DATA_STEWARD", "anonymous"]);
    expect(labels.filter((l) => l.startsWith("PARTNER "))).toHaveLength(7);
    expect(labels.filter((l) => l.startsWith("SERVICE "))).toHaveLength(10);
    const verdicts = await fieldVerdicts(schema, permissionRules, tablePrincipals());
    const anonymous = labels.indexOf("anonymous");
    const openToAnonymous = [...verdicts].filter(([key, row]) => /^(Query|Mutation)\./.test(key) && row[anonymous] !== "deny").map(([key]) => key);
    expect(openToAnonymous).toEqual(["Mutation.login"]);
  });
});

describe("rule evaluation", () => {
  it("evaluates a rule for a viewer, and calls a rule that reads anything but the viewer data-dependent", async () => {
    const rep = tablePrincipals()[0]!.viewer;
    expect(await evaluateRule(isAuthenticated, rep)).toBe("allow");
    expect(await evaluateRule(isAuthenticated, null)).toBe("deny");
    expect(await evaluateRule(role("HEAD_OFFICE"), rep)).toBe("deny");
    const { rule } = await import("graphql-shield");
    const owner = rule("test:owner")((parent: { ownerId?: string }) => parent.ownerId === "x");
    expect(await evaluateRule(owner, rep)).toBe("depends");
  });

  it("shield guards the fields that can refuse someone who reaches them, not those open to everyone there", async () => {
    const { guarded } = await guardPlan(schema, permissionRules);
    // roots: always guarded unless open to all
    expect(guarded.has("Query.organisations")).toBe(true);
    expect(guarded.has("Mutation.login")).toBe(false);
    // reachable by partners holding only organisations:read: contacts must stay guarded
    expect(guarded.has("Organisation.contacts")).toBe(true);
    // an organisation reached through an order by a token without organisations:read must be refused
    expect(guarded.has("Organisation.name")).toBe(true);
    // open to everyone who reaches them under roots that already require authentication: nothing to check
    expect(guarded.has("OrganisationEdge.cursor")).toBe(false);
    expect(guarded.has("Address.city")).toBe(false);
    expect(guarded.has("PageInfo.hasNextPage")).toBe(false);
  });
});

describe("module registries", () => {
  it("node(id) fetches every type implementing Node, and a module leaving its fetcher out is named", async () => {
    const schema = await buildTypeSchema();
    expect(unfetchableNodeTypes(schema, nodeTypeNames)).toEqual([]);
    const withoutContacts = new Set([...nodeTypeNames].filter((name) => name !== "Contact"));
    expect(unfetchableNodeTypes(schema, withoutContacts)).toEqual(["Contact"]);
  });
});
