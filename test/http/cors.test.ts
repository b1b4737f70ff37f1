// Browser access: CORS for the configured origins (CORS_ORIGINS; unset: localhost origins outside
// production, none in production), no credentials mode, and helmet's security headers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { startTestServer, type TestServer } from "../support/server.js";

const QUERY = { query: "{ __typename }" };
const post = (t: TestServer, origin?: string) => {
  const request = t.http.post("/graphql").set("content-type", "application/json");
  if (origin) request.set("origin", origin);
  return request.send(QUERY);
};
const preflight = (t: TestServer, origin: string) =>
  t.http
    .options("/graphql")
    .set("origin", origin)
    .set("access-control-request-method", "POST")
    .set("access-control-request-headers", "authorization,content-type");

const list = (value: string | undefined) => (value ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);

describe("default policy outside production: any localhost origin", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seedDemo: false });
  });
  afterAll(async () => t?.close());

  it.each(["http://localhost:5173", "http://127.0.0.1:8080", "http://localhost"])("allows %s: the origin is echoed, no credentials", async (origin) => {
    const response = await post(t, origin);
    expect(response.status).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBe(origin);
    expect(response.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(list(response.headers["vary"])).toContain("origin");
    expect(list(response.headers["access-control-expose-headers"])).toEqual(expect.arrayContaining(["retry-after", "x-request-id"]));
  });

  it.each(["https://evil.example", "http://localhost.evil.example", "https://localhost:5173", "http://localhost:5173.evil.example"])(
    "refuses %s: no Access-Control-Allow-Origin",
    async (origin) => {
      const response = await post(t, origin);
      expect(response.headers["access-control-allow-origin"]).toBeUndefined();
      const refused = await preflight(t, origin);
      expect(refused.status).toBe(403);
      expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
      expect(refused.headers["access-control-allow-headers"]).toBeUndefined();
    },
  );

  it("preflight of POST /graphql with authorization and content-type: 204 with the allow headers", async () => {
    const response = await preflight(t, "http://localhost:3000");
    expect(response.status).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    expect(list(response.headers["access-control-allow-headers"])).toEqual(expect.arrayContaining(["authorization", "content-type", "x-request-id"]));
    expect(list(response.headers["access-control-allow-methods"])).toContain("post");
    expect(response.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(Number(response.headers["access-control-max-age"])).toBeGreaterThan(0);
  });

  it("a request without Origin (not from a browser) is served without CORS headers", async () => {
    const response = await post(t);
    expect(response.status).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("security headers (helmet) on JSON answers: nosniff, no framing, a CSP that loads nothing", async () => {
    for (const response of [await post(t, "http://localhost:5173"), await t.http.get("/health")]) {
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["x-frame-options"]).toBe("SAMEORIGIN");
      expect(response.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
      expect(response.headers["content-security-policy"]).toBe("default-src 'none';frame-ancestors 'none'");
      expect(response.headers["x-powered-by"]).toBeUndefined();
    }
  });

  it("the explorer page (GET /graphql from a browser) has its own CSP: this server's scripts and styles only", async () => {
    const response = await t.http.get("/graphql").set("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/html/);
    expect(response.headers["content-security-policy"]).toMatch(/^default-src 'none';script-src 'self';style-src 'self' 'nonce-[^']+';/);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("CORS_ORIGINS: exact origins only", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seedDemo: false, env: { CORS_ORIGINS: "https://app.example.com, https://admin.example.com:8443" } });
  });
  afterAll(async () => t?.close());

  it("allows the listed origins and nothing else (not even localhost)", async () => {
    for (const origin of ["https://app.example.com", "https://admin.example.com:8443"]) {
      expect((await post(t, origin)).headers["access-control-allow-origin"]).toBe(origin);
      expect((await preflight(t, origin)).status).toBe(204);
    }
    for (const origin of ["http://localhost:5173", "https://app.example.com.evil.example", "http://app.example.com", "https://admin.example.com"]) {
      expect((await post(t, origin)).headers["access-control-allow-origin"]).toBeUndefined();
      expect((await preflight(t, origin)).status).toBe(403);
    }
  });

  it.each(["*", "https://app.example.com/", "https://*.example.com", "app.example.com", "ftp://files.example.com"])(
    "refuses %s at start-up with a message naming CORS_ORIGINS",
    (value) => {
      expect(() => loadConfig({ NODE_ENV: "test", CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS/);
    },
  );
});

describe("production default: no origin", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seedDemo: false, env: { NODE_ENV: "production", JWT_KEYS: `k1:${"p".repeat(40)}` } });
  });
  afterAll(async () => t?.close());

  it("refuses a localhost origin", async () => {
    expect(t.config.cors).toEqual({ origins: [], localhost: false });
    expect((await post(t, "http://localhost:5173")).headers["access-control-allow-origin"]).toBeUndefined();
    const refused = await preflight(t, "http://localhost:5173");
    expect(refused.status).toBe(403);
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
