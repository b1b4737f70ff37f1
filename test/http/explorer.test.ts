// The API explorer's switch (EXPLORER) and its page headers, over HTTP. The page in a browser:
// test/browser/explorer.test.ts.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { startTestServer, type TestServer } from "../support/server.js";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const PRODUCTION = () => ({ NODE_ENV: "production", JWT_KEYS: `prod:${randomBytes(48).toString("base64url")}` });

const isHtml = (response: { headers: Record<string, string>; text?: string }) =>
  /text\/html/.test(response.headers["content-type"] ?? "") || /<html/i.test(response.text ?? "");

beforeAll(() => {
  execFileSync(process.execPath, ["scripts/build-explorer.mjs"], { stdio: "inherit" });
}, 300_000);

describe("EXPLORER in production: off unless EXPLORER=on", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seedDemo: false, env: PRODUCTION() });
  });
  afterAll(async () => t?.close());

  it("GET /graphql from a browser gets no HTML page (neither ours nor Apollo's landing page)", async () => {
    const response = await t.http.get("/graphql").set("accept", BROWSER_ACCEPT);
    expect(isHtml(response)).toBe(false);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers["content-security-policy"]).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it("no /explorer page and no assets", async () => {
    for (const path of ["/explorer", "/explorer/assets/explorer.js"]) {
      const response = await t.http.get(path).set("accept", BROWSER_ACCEPT);
      expect(response.status).toBe(404);
      expect(response.text).not.toContain("explorer-settings");
    }
  });

  it("the API itself still answers", async () => {
    const response = await t.gql("{ __typename }");
    expect(response.data).toEqual({ __typename: "Query" });
  });
});

describe("EXPLORER=on in production", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seedDemo: true, env: { ...PRODUCTION(), EXPLORER: "on" } });
  });
  afterAll(async () => t?.close());

  it("serves the page, without the demo accounts even when they exist", async () => {
    const response = await t.http.get("/explorer").set("accept", BROWSER_ACCEPT);
    expect(response.status).toBe(200);
    expect(response.text).toContain('"demoUsers":[]');
    expect(response.text).not.toContain("@demo.test");
  });
});

describe("EXPLORER by default in tests: the page, with a CSP that loads from this server only (no inline script)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seedDemo: true });
  });
  afterAll(async () => t?.close());

  it.each(["/graphql", "/explorer"])("GET %s from a browser is the explorer page", async (path) => {
    const response = await t.http.get(path).set("accept", BROWSER_ACCEPT);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/html/);
    expect(response.text).toContain('<script src="/explorer/assets/explorer.js"></script>');
    expect(response.text).not.toMatch(/https?:\/\//); // nothing from elsewhere
    const csp = response.headers["content-security-policy"];
    const nonce = /data-style-nonce="([^"]+)"/.exec(response.text)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toBe(
      `default-src 'none';script-src 'self';style-src 'self' 'nonce-${nonce}';style-src-elem 'self' 'nonce-${nonce}';style-src-attr 'unsafe-inline';font-src 'self' data:;img-src 'self' data:;connect-src 'self';worker-src 'self';base-uri 'none';form-action 'none';frame-ancestors 'none'`,
    );
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("a fresh nonce on every page", async () => {
    const nonces = await Promise.all([1, 2].map(async () => (await t.http.get("/explorer")).headers["content-security-policy"]));
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("lists the demo accounts of the seeded demo company", async () => {
    const response = await t.http.get("/explorer");
    expect(response.text).toContain("rep.lyon@demo.test");
  });

  it("JSON callers of GET /graphql still get GraphQL", async () => {
    const response = await t.http.get("/graphql").query({ query: "{ __typename }" }).set("accept", "application/json").set("apollo-require-preflight", "1");
    expect(response.body).toEqual({ data: { __typename: "Query" } });
  });

  it("the bundle and its workers are served from here", async () => {
    for (const asset of ["explorer.js", "explorer.css", "editor.worker.js", "json.worker.js", "graphql.worker.js"]) {
      const response = await t.http.get(`/explorer/assets/${asset}`);
      expect(response.status, asset).toBe(200);
    }
    expect((await t.http.get("/explorer/assets/missing.js")).status).toBe(404);
    expect((await t.http.get("/explorer/assets/../../package.json")).status).toBe(404);
  });
});

describe("EXPLORER configuration", () => {
  it("defaults: on in development and tests, off in production", () => {
    expect(loadConfig({ NODE_ENV: "development" }).explorer).toBe(true);
    expect(loadConfig({ NODE_ENV: "test" }).explorer).toBe(true);
    expect(loadConfig(PRODUCTION()).explorer).toBe(false);
    expect(loadConfig({ ...PRODUCTION(), EXPLORER: "on" }).explorer).toBe(true);
    expect(loadConfig({ NODE_ENV: "development", EXPLORER: "off" }).explorer).toBe(false);
  });

  it("refuses anything but on|off, naming EXPLORER", () => {
    expect(() => loadConfig({ NODE_ENV: "test", EXPLORER: "yes" })).toThrow(/EXPLORER: must be on or off/);
  });
});
