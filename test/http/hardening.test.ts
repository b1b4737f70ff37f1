// Hardening limits that sit around execution: batching and the introspection policy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

describe("batch size", () => {
  it("refuses an array of operations with the batch limit in the message", async () => {
    const response = await t.http
      .post("/graphql")
      .set("content-type", "application/json")
      .send([{ query: "{ __typename }" }, { query: "{ __typename }" }]);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "batch", max: 1 });
    expect(response.body.errors[0].message).toContain("at most 1 operation");
  });

  it("still answers a single operation", async () => {
    const response = await t.gql<{ __typename: string }, Record<string, never>>("{ __typename }");
    expect(response.data?.__typename).toBe("Query");
  });
});

describe("introspection policy: authenticated principals only", () => {
  it("refuses __schema to an anonymous caller with UNAUTHENTICATED", async () => {
    const response = await t.gql("{ __schema { queryType { name } } }");
    expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
    expect(response.data ?? null).toBeNull();
  });

  it("refuses __type nested in a fragment to an anonymous caller", async () => {
    const response = await t.gql("query { ...F } fragment F on Query { __type(name: \"Query\") { name } }");
    expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
  });

  it("answers introspection for an authenticated user", async () => {
    const token = await t.login("rep.lyon@demo.test");
    const response = await t.gql<{ __schema: { queryType: { name: string } } }, Record<string, never>>(
      "{ __schema { queryType { name } } }",
      {},
      token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema.queryType.name).toBe("Query");
  });
});
