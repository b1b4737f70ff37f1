// The GraphQL-over-HTTP conformance audit of the `graphql-http` package, run against the real server on a
// real port. Every MUST and every SHOULD item passes for an authenticated client (none is a warning); MAY
// results are printed (and listed in docs/permissions.md). Anonymous clients fail exactly the two MUST items that query `__type`,
// which our documented policy reserves to authenticated principals.
import { serverAudits, type AuditResult } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

let t: TestServer;
let url: string;
let token: string;
const results: AuditResult[] = [];

/** The platform fetch, with the client's bearer token on every request. */
const authenticatedFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

beforeAll(async () => {
  t = await startTestServer();
  token = await t.login("rep.lyon@demo.test");
  const port = await t.server.listen(0);
  url = `http://127.0.0.1:${port}/graphql`;
});
afterAll(async () => {
  const others = results.filter((result) => !result.name.startsWith("MUST"));
  const count = (prefix: string) =>
    `${results.filter((r) => r.name.startsWith(prefix) && r.status === "ok").length}/${results.filter((r) => r.name.startsWith(prefix)).length}`;
  console.info(`graphql-http audit (authenticated client): MUST ${count("MUST")}, SHOULD ${count("SHOULD")}, MAY ${count("MAY")} pass`);
  const summary = others.map((result) => `${result.status === "ok" ? "ok" : result.status}: ${result.name}${result.status === "ok" ? "" : ` (${result.reason})`}`);
  console.info(`graphql-http audit, SHOULD/MAY items (authenticated client):\n${summary.join("\n")}`);
  await t?.close();
});

describe("graphql-http server audit, authenticated client", () => {
  // the URL is known only after listen(): the audits read it through a function
  for (const audit of serverAudits({ url: () => url, fetchFn: authenticatedFetch })) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      results.push(result);
      if (audit.name.startsWith("MUST") || audit.name.startsWith("SHOULD")) {
        expect(result.status === "ok" ? "ok" : `${result.status}: ${result.reason}`).toBe("ok");
      }
    });
  }

  it("passed every SHOULD item: none is a warning", () => {
    const should = results.filter((result) => result.name.startsWith("SHOULD"));
    expect(should.length).toBeGreaterThan(0);
    expect(should.filter((result) => result.status !== "ok").map((result) => result.name)).toEqual([]);
  });
});

describe("graphql-http server audit, anonymous client", () => {
  it("fails only the MUST items that use introspection (`__type`), refused by policy with 401", async () => {
    const failed: string[] = [];
    for (const audit of serverAudits({ url: () => url })) {
      if (!audit.name.startsWith("MUST")) continue;
      const result = await audit.fn();
      if (result.status !== "ok") {
        failed.push(audit.id);
        expect(result.response.status).toBe(401);
      }
    }
    expect(failed.sort()).toEqual(["28B9", "BF61"]);
  });
});
