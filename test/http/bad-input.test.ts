import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

let t: TestServer;
let token: string;
beforeAll(async () => {
  t = await startTestServer({ env: { MAX_BODY_BYTES: "20000" } });
  token = await t.login("head.office@demo.test");
});
afterAll(() => t?.close());

async function post(body: string | object, contentType = "application/json") {
  const response = await t.http
    .post("/graphql")
    .set("content-type", contentType)
    .set("authorization", `Bearer ${token}`)
    .send(typeof body === "string" ? body : JSON.stringify(body));
  return response;
}

function expectCleanError(response: { status: number; text: string }) {
  expect(response.status).toBeLessThan(500);
  expect(response.text).not.toMatch(/\bat .+\.(js|ts):\d+/); // no stack trace
  expect(response.text).not.toContain("stacktrace");
}

describe("bad input gets a clear error, never a 500 or a stack trace", () => {
  it("malformed GraphQL", async () => {
    const response = await post({ query: "{ organisations { edges { node { name } " });
    expectCleanError(response);
    expect(response.body.errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("an unknown field", async () => {
    const response = await post({ query: "{ organisations { edges { node { revenue } } } }" });
    expectCleanError(response);
    expect(response.body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("a variable of the wrong type", async () => {
    const response = await post({ query: "query($n: Int) { organisations(first: $n) { totalCount } }", variables: { n: "ten" } });
    expectCleanError(response);
    expect(response.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("a malformed date and a malformed id", async () => {
    const date = await post({
      query: `mutation { updateContact(input: { id: "x", version: 1, leftCompanyAt: "31/12/2026" }) { contact { id } } }`,
    });
    expectCleanError(date);
    expect(errorCodes(date.body)).toContain("GRAPHQL_VALIDATION_FAILED");
    const id = await post({ query: `{ organisation(id: "not-a-global-id") { name } }` });
    expectCleanError(id);
    expect(errorCodes(id.body)).toEqual(["NOT_FOUND"]);
  });

  it("a page larger than 200", async () => {
    const response = await post({ query: "{ organisations(first: 500) { totalCount } }" });
    expectCleanError(response);
    expect(errorCodes(response.body)).toEqual(["BAD_USER_INPUT"]);
    expect(response.body.errors[0].message).toContain("200");
  });

  it("a negative page and a foreign cursor", async () => {
    expect(errorCodes((await post({ query: "{ organisations(first: -1) { totalCount } }" })).body)).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes((await post({ query: '{ organisations(after: "bm9wZQ") { totalCount } }' })).body)).toEqual(["BAD_USER_INPUT"]);
  });

  it("a 25-level nested query is refused before it runs", async () => {
    let selection = "id";
    for (let level = 0; level < 12; level += 1) selection = `organisation { contacts(first: 1) { edges { node { ${selection} } } } }`;
    const response = await post({ query: `{ contacts(first: 1) { edges { node { ${selection} } } } }` });
    expectCleanError(response);
    expect(errorCodes(response.body)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(response.body.errors[0].extensions.limit).toBe("depth");
    // nothing ran beyond authenticating the caller
    const trivial = await post({ query: "{ __typename }" });
    expect(response.headers["x-sql-statements"]).toBe(trivial.headers["x-sql-statements"]);
  });

  it("a query whose cost (pages × items) is too high", async () => {
    const response = await post({
      query: "{ organisations(first: 200) { edges { node { contacts(first: 200) { edges { node { id firstName lastName email } } } } } } }",
    });
    expectCleanError(response);
    expect(errorCodes(response.body)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(response.body.errors[0].extensions.limit).toBe("cost");
  });

  it("too many aliases", async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: me { id }`).join(" ");
    const response = await post({ query: `{ ${aliases} }` });
    expectCleanError(response);
    expect(errorCodes(response.body)).toEqual(["QUERY_TOO_COMPLEX"]);
  });

  it("a body over the size limit", async () => {
    const response = await post({ query: `{ me { id } }`, variables: { padding: "x".repeat(30_000) } });
    expect(response.status).toBe(413);
    expect(response.body.errors[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "body" });
  });

  it("a body that is not JSON", async () => {
    const response = await post("{ not json");
    expectCleanError(response);
    expect(response.status).toBe(400);
  });

  it("a request with no query", async () => {
    const response = await post({ variables: {} });
    expectCleanError(response);
    expect(response.status).toBe(400);
  });

  it("a stale version is a CONFLICT that changes nothing", async () => {
    const contact = await t.database.prisma.contact.findFirstOrThrow({ orderBy: { id: "asc" } });
    const { toGlobalId } = await import("../../src/graphql/relay.js");
    const response = await t.gql(
      `mutation($id: ID!) { updateContact(input: { id: $id, version: 99, jobTitle: "Changed" }) { contact { id } } }`,
      { id: toGlobalId("Contact", contact.id) },
      await t.login("data.steward@demo.test"),
    );
    expect(errorCodes(response)).toEqual(["CONFLICT"]);
    const after = await t.database.prisma.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after).toEqual(contact);
  });

  it("an amount wider than the amount columns (12 digits before the point) is BAD_USER_INPUT and writes nothing", async () => {
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({ where: { status: { in: ["PROSPECT", "CLIENT"] } }, orderBy: { id: "asc" } });
    const { toGlobalId } = await import("../../src/graphql/relay.js");
    const create = (name: string, budget: string) =>
      post({
        query: `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { name budget } } }`,
        variables: { input: { organisationId: toGlobalId("Organisation", organisation.id), name, amount: "10.00", budget } },
      });
    const before = await t.database.prisma.opportunity.count();
    for (const budget of ["1000000000000.00", "-1000000000000", "9999999999999.99"]) {
      const refused = await create(`Too wide ${budget}`, budget);
      expectCleanError(refused);
      expect(errorCodes(refused.body)).toEqual(["BAD_USER_INPUT"]);
      expect(refused.body.errors[0].message).toMatch(/12 digits before the point/);
    }
    expect(await t.database.prisma.opportunity.count()).toBe(before);
    const widest = await create("Widest budget", "999999999999.99");
    expect(widest.body.errors).toBeUndefined();
    expect(widest.body.data.createOpportunity.opportunity).toEqual({ name: "Widest budget", budget: "999999999999.99" });
  });
});
