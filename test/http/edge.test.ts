// Input refused at the edge, before any service: malformed bearer tokens, strings PostgreSQL cannot store
// (NUL, lone surrogates) or longer than the limit, dates outside the years 1–9999, and documents or
// variables nested past the nesting limit. Plus what a response tells strangers: no "Did you mean"
// suggestions, HTTP 401 for an answer that is nothing but UNAUTHENTICATED, and the status of request
// errors by media type (GraphQL over HTTP).
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_STRING_LENGTH } from "../../src/graphql/input-guard.js";
import { MAX_NESTING } from "../../src/graphql/limits.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { signWith } from "../support/tokens.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

let t: TestServer;
let token: string;
beforeAll(async () => {
  t = await startTestServer();
  token = await t.login("head.office@demo.test");
});
afterAll(async () => t?.close());

function post(body: unknown, options: { token?: string | null; accept?: string } = {}) {
  const request = t.http.post("/graphql").set("content-type", "application/json");
  const bearer = options.token === undefined ? token : options.token;
  if (bearer) request.set("authorization", `Bearer ${bearer}`);
  if (options.accept) request.set("accept", options.accept);
  return request.send(body as object);
}

/** A BAD_USER_INPUT naming `field`, no data, no 5xx. */
function expectFieldRefused(response: { status: number; body: any }, field: string, message: RegExp) {
  expect(response.status).toBeLessThan(500);
  expect(errorCodes(response.body)).toEqual(["BAD_USER_INPUT"]);
  const [error] = response.body.errors;
  expect(error.extensions.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  expect(error.message).toMatch(message);
  expect(response.body.data ?? null).toBeNull();
}

const b64 = (value: string) => Buffer.from(value).toString("base64url");

/** A token signed with the server's active key whose payload is whatever text is given. */
function signedRaw(payload: string): string {
  const header = b64(JSON.stringify({ alg: "HS256", typ: "JWT", kid: t.keyRing.activeKid }));
  const body = b64(payload);
  const signature = createHmac("sha256", t.keyRing.keys.get(t.keyRing.activeKid)!).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}

describe("bearer tokens: anything malformed is UNAUTHENTICATED (401)", () => {
  const cases: [string, () => string][] = [
    ["a payload that is not JSON", () => signedRaw("not json at all")],
    ["a header that is not JSON", () => `${b64("{nope")}.${b64("{}")}.x`],
    ["a subject that is not a uuid", () => signWith(t, t.clock.now, { sub: "not-a-uuid" })],
    ["a subject with a NUL", () => signWith(t, t.clock.now, { sub: "00000000-0000-4000-8000-00000000000\u0000" })],
    ["an API token subject that is not a uuid", () => signWith(t, t.clock.now, { sub: "1; drop table", typ: "api" })],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const response = await post({ query: "{ me { email } }" }, { token: make() });
      expect(response.status).toBe(401);
      expect(errorCodes(response.body)).toEqual(["UNAUTHENTICATED"]);
    });
  }
});

describe("strings: NUL, lone surrogates and oversized ones are BAD_USER_INPUT naming the field", () => {
  it("login with a NUL in the email, as a variable and inline (anonymous)", async () => {
    const asVariable = await post(
      { query: "mutation($email: String!) { login(email: $email, password: \"x\") { token } }", variables: { email: "a\u0000@demo.test" } },
      { token: null },
    );
    expectFieldRefused(asVariable, "$email", /NUL/);
    const inline = await post({ query: `mutation { login(email: ${JSON.stringify("a\u0000@demo.test")}, password: "x") { token } }` }, { token: null });
    expectFieldRefused(inline, "email", /NUL/);
  });

  it("a filter, a name and an id", async () => {
    expectFieldRefused(
      await post({ query: "query($f: OrganisationFilter) { organisations(filter: $f) { totalCount } }", variables: { f: { text: "Bou\u0000" } } }),
      "$f.text",
      /NUL/,
    );
    expectFieldRefused(
      await post({ query: `{ organisations(filter: { banner: ${JSON.stringify("x\u0000")} }) { totalCount } }` }),
      "filter.banner",
      /NUL/,
    );
    expectFieldRefused(
      await post({
        query: "mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }",
        variables: { input: { kind: "CALL", title: "Call\u0000back" } },
      }),
      "$input.title",
      /NUL/,
    );
    expectFieldRefused(await post({ query: `{ node(id: ${JSON.stringify("abc\u0000")}) { id } }` }), "id", /NUL/);
  });

  it("a lone surrogate (either half) and a proper pair", async () => {
    const query = "query($f: OrganisationFilter) { organisations(filter: $f) { totalCount } }";
    expectFieldRefused(await post({ query, variables: { f: { text: "a\ud800" } } }), "$f.text", /surrogate/);
    expectFieldRefused(await post({ query, variables: { f: { text: "\udc00b" } } }), "$f.text", /surrogate/);
    const pair = await post({ query, variables: { f: { text: "😀" } } });
    expect(pair.body.errors).toBeUndefined();
  });

  it(`a string over ${MAX_STRING_LENGTH} characters; one at the limit passes`, async () => {
    const query = "query($f: OrganisationFilter) { organisations(filter: $f) { totalCount } }";
    expectFieldRefused(await post({ query, variables: { f: { text: "a".repeat(MAX_STRING_LENGTH + 1) } } }), "$f.text", new RegExp(String(MAX_STRING_LENGTH)));
    const atLimit = await post({ query, variables: { f: { text: "a".repeat(MAX_STRING_LENGTH) } } });
    expect(atLimit.body.errors).toBeUndefined();
  });

  it("inside a JSON-typed or list value, and in a list literal", async () => {
    expectFieldRefused(
      await post({ query: `{ organisations(filter: { region: ["ok", ${JSON.stringify("b\u0000")}] }) { totalCount } }` }),
      "filter.region[1]",
      /NUL/,
    );
  });

  it("a malformed global id is NOT_FOUND, as every id of another type", async () => {
    for (const id of ["not-a-global-id", toGlobalId("Organisation", "not-a-uuid"), toGlobalId("Organisation", "' or 1=1 --")]) {
      const response = await post({ query: "query($id: ID!) { organisation(id: $id) { name } }", variables: { id } });
      expect(errorCodes(response.body)).toEqual(["NOT_FOUND"]);
    }
  });
});

describe("dates: years 1 to 9999", () => {
  const incidents = "query($from: DateTime) { auditEvents(filter: { from: $from }) { totalCount } }";
  const dueDate = "mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }";
  it("a Date of year 0 or 10000 is refused", async () => {
    for (const dueDateValue of ["0000-01-01", "10000-01-01", "+10000-01-01"]) {
      const response = await post({ query: dueDate, variables: { input: { kind: "CALL", title: "Call", dueDate: dueDateValue } } });
      expect(response.status).toBeLessThan(500);
      expect(errorCodes(response.body)).toEqual(["BAD_USER_INPUT"]);
    }
    const inline = await post({ query: `mutation { createTask(input: { kind: CALL, title: "Call", dueDate: "0000-01-01" }) { task { id } } }` });
    expect(errorCodes(inline.body)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(inline.body.errors[0].message).toContain("between the years 1 and 9999");
  });

  it("a DateTime of year 0 or 10000 is refused; 9999-12-31 is not", async () => {
    for (const from of ["0000-01-01T00:00:00Z", "+010000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z"]) {
      const response = await post({ query: incidents, variables: { from } });
      expect(response.status).toBeLessThan(500);
      expect(errorCodes(response.body)).toEqual(["BAD_USER_INPUT"]);
    }
    const last = await post({ query: incidents, variables: { from: "9999-12-31T23:59:59Z" } });
    expect(last.body.errors).toBeUndefined();
    expect(last.body.data.auditEvents.totalCount).toBe(0);
  });
});

describe(`nesting: more than ${MAX_NESTING} levels is QUERY_TOO_COMPLEX before parsing`, () => {
  function expectNesting(response: { status: number; body: any }) {
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "nesting", max: MAX_NESTING });
    expect(response.body.errors[0].message).toContain(String(MAX_NESTING));
  }

  it("2 300 nested selections in 9 KB (which overflowed the parser's stack)", async () => {
    const query = `${"{a".repeat(2_300)}${"}".repeat(2_300)}`;
    expect(query.length).toBeLessThan(9_500);
    expectNesting(await post({ query }));
    // and anonymously: the check runs before anything else
    expectNesting(await post({ query }, { token: null }));
  });

  it("a nested list or object literal in an argument", async () => {
    const list = `${"[".repeat(3_000)}"x"${"]".repeat(3_000)}`;
    expectNesting(await post({ query: `{ organisations(filter: { region: ${list} }) { totalCount } }` }));
    const object = `${"{ a: ".repeat(3_000)}1${" }".repeat(3_000)}`;
    expectNesting(await post({ query: `{ organisations(filter: ${object}) { totalCount } }` }));
  });

  it("nested variables (arrays and objects)", async () => {
    // written out by hand: JSON.stringify itself overflows on such a value (JSON.parse does not)
    const deep = `${'{"a":['.repeat(2_500)}"x"${"]}".repeat(2_500)}`;
    const query = JSON.stringify("query($f: OrganisationFilter) { organisations(filter: $f) { totalCount } }");
    expectNesting(await post(`{"query":${query},"variables":{"f":${deep}}}`));
    // one level under the limit is no nesting refusal (the filter then refuses the shape)
    const shallow = `${"[".repeat(MAX_NESTING - 2)}"x"${"]".repeat(MAX_NESTING - 2)}`;
    const within = await post(`{"query":${query},"variables":{"f":{"region":${shallow}}}}`);
    expect(within.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("brackets inside strings and comments do not count; a document at the limit goes on to the other limits", async () => {
    const text = "{".repeat(500);
    const inString = await post({ query: `query($f: OrganisationFilter = { text: ${JSON.stringify(text)} }) { organisations(filter: $f) { totalCount } } # ${"[".repeat(200)}` });
    expect(inString.body.errors).toBeUndefined();
    const atLimit = `${"{ me ".repeat(MAX_NESTING - 1)}{ id${" }".repeat(MAX_NESTING)}`;
    const response = await post({ query: atLimit });
    expect(errorCodes(response.body)).not.toContain(undefined);
    expect(response.body.errors[0].extensions.limit).not.toBe("nesting");
    // the server goes on answering
    expect((await post({ query: "{ me { email } }" })).body.data.me.email).toBe("head.office@demo.test");
  });

  it("a GET request's variables", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    const response = await t.http
      .get("/graphql")
      .query({ query: "query($r: [String!]) { organisations(filter: { region: $r }) { totalCount } }", variables: JSON.stringify({ r: deep }) })
      .set("apollo-require-preflight", "true")
      .set("authorization", `Bearer ${token}`);
    expectNesting(response);
  });
});

describe("what strangers are told", () => {
  it("no 'Did you mean' for an anonymous caller; an authenticated one keeps the hint", async () => {
    const query = "{ organisatons { totalCount } }";
    const anonymous = await post({ query }, { token: null });
    expect(errorCodes(anonymous.body)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(anonymous.body.errors[0].message).toBe('Cannot query field "organisatons" on type "Query".');
    const user = await post({ query });
    expect(user.body.errors[0].message).toMatch(/Did you mean "organisations"/);
    // enum values and argument names too
    const enumQuery = 'query($f: OrganisationFilter) { organisations(filter: $f) { totalCount } }';
    const anonymousEnum = await post({ query: enumQuery, variables: { f: { status: ["ACTIV"] } } }, { token: null });
    expect(JSON.stringify(anonymousEnum.body)).not.toMatch(/Did you mean|ACTIVE/);
    const userEnum = await post({ query: enumQuery, variables: { f: { status: ["ACTIV"] } } });
    expect(JSON.stringify(userEnum.body)).toMatch(/Did you mean/);
  });

  it("an anonymous call to a protected field is HTTP 401 with UNAUTHENTICATED and no data", async () => {
    const response = await post({ query: "{ organisations(first: 1) { totalCount } }" }, { token: null });
    expect(response.status).toBe(401);
    expect(errorCodes(response.body)).toEqual(["UNAUTHENTICATED"]);
    expect(response.body.data ?? null).toBeNull();
    const me = await post({ query: "{ me { email } }" }, { token: null });
    expect(me.status).toBe(401);
    // what anyone may ask is still 200
    const open = await post({ query: "{ __typename }" }, { token: null });
    expect(open.status).toBe(200);
  });

  it("request errors: 200 for application/json clients, 400 for application/graphql-response+json and without Accept", async () => {
    const cases = [
      { query: "{" },
      { query: "{ noSuchField }" },
      { query: "query($id: ID!) { __typename }", variables: { id: null } },
      { query: "query($f: OrganisationFilter) { organisations(filter: $f) { totalCount } }", variables: { f: { text: "\u0000" } } },
    ];
    for (const body of cases) {
      const json = await post(body, { accept: "application/json" });
      expect(json.status).toBe(200);
      expect(json.body.errors.length).toBeGreaterThan(0);
      expect((await post(body, { accept: "application/graphql-response+json" })).status).toBe(400);
      expect((await post(body)).status).toBe(400);
    }
    // limit refusals keep their status whatever the media type
    const tooDeep = `${"{a".repeat(100)}${"}".repeat(100)}`;
    expect((await post({ query: tooDeep }, { accept: "application/json" })).status).toBe(400);
  });
});
