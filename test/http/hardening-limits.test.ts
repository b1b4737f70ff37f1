// Every request limit of SPEC §8, one by one: each refusal has its own `extensions.limit`, its value in
// `extensions.max` and a message stating it. Plus the operation timeout and the database statement timeout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";
import { usesServer } from "../support/database.js";
import { holdUsersTable } from "../support/locks.js";

const LIMITS = {
  MAX_QUERY_DEPTH: "6",
  MAX_QUERY_COST: "5000",
  MAX_ALIASES: "5",
  MAX_DIRECTIVES: "4",
  MAX_TOKENS: "300",
  MAX_BODY_BYTES: "20000",
  // long enough for a login (password hashing) on a loaded CI machine
  OPERATION_TIMEOUT_MS: "2000",
};

let t: TestServer;
let token: string;
beforeAll(async () => {
  t = await startTestServer({ env: LIMITS });
  token = await t.login("head.office@demo.test");
});
afterAll(async () => t?.close());

const post = (body: unknown) =>
  t.http.post("/graphql").set("content-type", "application/json").set("authorization", `Bearer ${token}`).send(body as object);

/** The refusal of one limit: its code, its name, its value, a message naming the value, no data. */
function expectLimit(response: { status: number; body: any }, limit: string, max: number) {
  expect(response.body.errors).toHaveLength(1);
  const [error] = response.body.errors;
  expect(error.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit, max });
  expect(error.message).toContain(String(max));
  expect(error.extensions.stacktrace).toBeUndefined();
  expect(response.body.data ?? null).toBeNull();
}

describe("limits before execution", () => {
  it("depth", async () => {
    const ok = await post({ query: "{ organisations(first: 1) { edges { node { parent { id } } } } }" });
    expect(ok.body.errors).toBeUndefined();
    const tooDeep = await post({ query: "{ organisations(first: 1) { edges { node { parent { parent { parent { parent { id } } } } } } } }" });
    expect(tooDeep.status).toBe(400);
    expectLimit(tooDeep, "depth", 6);
  });

  it("cost, where a list weighs `first` times its items", async () => {
    // 1 + 10 × (edges 1 + node 1 + id 1) = 31
    expect((await post({ query: "{ organisations(first: 10) { edges { node { id } } } }" })).body.errors).toBeUndefined();
    // 1 + 200 × (1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1) = 5001 > 5000
    const fields = Array.from({ length: 23 }, () => "name").join(" ");
    const costly = await post({ query: `{ organisations(first: 200) { edges { node { ${fields} } } } }` });
    expectLimit(costly, "cost", 5000);
    expect(costly.body.errors[0].extensions.cost).toBe(1 + 200 * 25);
    // the same shape with a smaller page is accepted: the cost follows `first`
    expect((await post({ query: `{ organisations(first: 150) { edges { node { ${fields} } } } }` })).body.errors).toBeUndefined();
  });

  it("cost of a dashboard: its declared weight (2 000) plus its fields, so that three at once pass the limit", async () => {
    const one = await post({ query: "{ organisationDashboard { tasksDue { total } } }" });
    expect(one.body.errors).toBeUndefined();
    const three = await post({
      query: "{ organisationDashboard { tasksDue { total } } fieldDynamicsDashboard { visitReports { value } } dataHealthDashboard { suspectedDuplicates } }",
    });
    expectLimit(three, "cost", 5000);
    // 2 000 + tasksDue + total, 2 000 + visitReports + value, 2 000 + suspectedDuplicates
    expect(three.body.errors[0].extensions.cost).toBe(2002 + 2002 + 2001);
  });

  it("aliases", async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { email }`).join(" ")} }`;
    expect((await post({ query: aliases(5) })).body.errors).toBeUndefined();
    expectLimit(await post({ query: aliases(6) }), "aliases", 5);
  });

  it("directives", async () => {
    const directives = (n: number) => `{ me { ${Array.from({ length: n }, () => "email @include(if: true)").join(" ")} } }`;
    expect((await post({ query: directives(4) })).body.errors).toBeUndefined();
    expectLimit(await post({ query: directives(5) }), "directives", 4);
  });

  it("tokens", async () => {
    const tokens = (n: number) => `{ ${Array.from({ length: n }, () => "__typename").join(" ")} }`;
    expect((await post({ query: tokens(250) })).body.errors).toBeUndefined();
    const tooLong = await post({ query: tokens(400) });
    expect(tooLong.status).toBe(400);
    expectLimit(tooLong, "tokens", 300);
  });

  it("nesting: 64 levels of brackets, checked before parsing (under the token limit too)", async () => {
    // 65 nested list levels in 133 tokens: far under MAX_TOKENS (300 here), refused by nesting
    const list = (levels: number) => `${"[".repeat(levels)}"x"${"]".repeat(levels)}`;
    const tooDeep = await post({ query: `{ organisations(filter: { region: ${list(65)} }) { totalCount } }` });
    expect(tooDeep.status).toBe(400);
    expectLimit(tooDeep, "nesting", 64);
    // at the limit the document reaches validation, which refuses the shape for what it is
    const atLimit = await post({ query: `{ organisations(filter: { region: ${list(60)} }) { totalCount } }` });
    expect(atLimit.body.errors[0].extensions.limit).toBeUndefined();
    expect(atLimit.body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("batch: one operation per request", async () => {
    const batch = await post([{ query: "{ __typename }" }, { query: "{ __typename }" }]);
    expect(batch.status).toBe(400);
    expectLimit(batch, "batch", 1);
  });

  it("page size: first ≤ 200 (an argument error, BAD_USER_INPUT with the maximum)", async () => {
    expect((await post({ query: "{ organisations(first: 200) { totalCount } }" })).body.errors).toBeUndefined();
    const response = await post({ query: "{ organisations(first: 201) { totalCount } }" });
    expect(errorCodes(response.body)).toEqual(["BAD_USER_INPUT"]);
    expect(response.body.errors[0].extensions).toMatchObject({ argument: "first", max: 200 });
    expect(response.body.errors[0].message).toContain("200");
  });

  it("body size", async () => {
    const padding = "x".repeat(20_000);
    const response = await post({ query: "{ __typename }", variables: { padding } });
    expect(response.status).toBe(413);
    expectLimit(response, "body", 20_000);
  });
});

describe("operation timeout", () => {
  it("an operation held past OPERATION_TIMEOUT_MS (2 s here) answers 503 with limit timeout; the server goes on", async () => {
    // Hold the users table: the next authenticated request waits for it inside the server.
    const usersTable = await holdUsersTable(t.database.prisma);
    const started = performance.now();
    const response = await post({ query: "{ me { email } }" });
    const elapsed = performance.now() - started;
    await usersTable.release();
    expect(response.status).toBe(503);
    expectLimit(response, "timeout", 2000);
    expect(elapsed).toBeGreaterThanOrEqual(1_950);
    expect(elapsed).toBeLessThan(6_000);
    // the held operation finishes in the background without disturbing the next requests
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await post({ query: "{ me { email } }" });
    expect(after.status).toBe(200);
    expect(after.body.data.me.email).toBe("head.office@demo.test");
  });
});

describe("database work is bounded: statement_timeout on every PostgreSQL connection", () => {
  it.skipIf(!usesServer)("a statement longer than the timeout is cancelled by PostgreSQL (skipped on PGlite: no server)", async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const database = await openDatabase({ kind: "server", url: url.toString(), poolSize: 1, statementTimeoutMs: 200 });
    try {
      const setting = await database.prisma.$queryRawUnsafe<{ statement_timeout: string }[]>("SHOW statement_timeout");
      expect(setting[0]!.statement_timeout).toBe("200ms");
      const started = performance.now();
      await expect(database.prisma.$queryRawUnsafe("SELECT pg_sleep(3)")).rejects.toThrow(/statement timeout/);
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await database.close();
    }
  });
});
