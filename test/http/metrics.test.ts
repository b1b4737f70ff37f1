// GET /metrics in Prometheus format: durations per operation name, errors per code, limit and rate-limit
// refusals, database pool use, event-loop lag, and the bearer token (METRICS_TOKEN) that guards it;
// without a token it is open outside production and absent in production. Scrapes the real server over HTTP after real requests.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricSample, scrapeMetrics } from "../support/metrics.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

const scrape = scrapeMetrics;
const sample = metricSample;

describe("without METRICS_TOKEN, outside production", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seedDemo: false });
  });
  afterAll(async () => t?.close());

  it("counts a named operation under its name and an unnamed one as anonymous", async () => {
    for (let i = 0; i < 3; i++) expect((await t.gql("query MetricsProbe { __typename }")).status).toBe(200);
    await t.gql("{ __typename }");
    const response = await scrape(t);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(response.text, "graphql_request_duration_seconds_count", { operation: "MetricsProbe", type: "query" })).toBe(3);
    expect(sample(response.text, "graphql_request_duration_seconds_count", { operation: "anonymous", type: "query" })).toBe(1);
    expect(sample(response.text, "graphql_request_duration_seconds_bucket", { operation: "MetricsProbe", le: "+Inf" })).toBe(3);
  });

  it("counts errors under their code", async () => {
    const before = sample((await scrape(t)).text, "graphql_errors_total", { code: "UNAUTHENTICATED" }) ?? 0;
    const response = await t.gql("query WhoAmI { me { name } }");
    expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
    const text = (await scrape(t)).text;
    expect(sample(text, "graphql_errors_total", { code: "UNAUTHENTICATED" })).toBe(before + 1);
    expect(sample(text, "graphql_request_duration_seconds_count", { operation: "WhoAmI" })).toBe(1);
  });

  it("counts limit refusals with the limit that refused, before Apollo and inside it", async () => {
    const batch = await t.http.post("/graphql").set("content-type", "application/json").send([{ query: "{ __typename }" }, { query: "{ __typename }" }]);
    expect(batch.status).toBe(400);
    const aliases = `{ ${Array.from({ length: t.config.MAX_ALIASES + 1 }, (_, i) => `a${i}: me { email }`).join(" ")} }`;
    expect(errorCodes(await t.gql(aliases))).toContain("QUERY_TOO_COMPLEX");
    const text = (await scrape(t)).text;
    expect(sample(text, "graphql_refusals_total", { code: "QUERY_TOO_COMPLEX", limit: "batch" })).toBe(1);
    expect(sample(text, "graphql_refusals_total", { code: "QUERY_TOO_COMPLEX", limit: "aliases" })).toBe(1);
    expect(sample(text, "graphql_errors_total", { code: "QUERY_TOO_COMPLEX" })).toBeGreaterThanOrEqual(2);
  });

  it("exposes the process metrics (event-loop lag)", async () => {
    expect((await scrape(t)).text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it("exposes the database pool's use", async () => {
    const text = (await scrape(t)).text;
    const target = t.database.target;
    expect(sample(text, "db_pool_connections", { state: "max" })).toBe(target.kind === "server" ? target.poolSize : 1);
    // the test database has served queries: at least one connection is open, none is awaited now
    expect(sample(text, "db_pool_connections", { state: "open" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "db_pool_connections", { state: "idle" })).toBeGreaterThanOrEqual(0);
    expect(sample(text, "db_pool_connections", { state: "waiting" })).toBe(0);
  });
});

describe("rate-limit refusals", () => {
  let t: TestServer;
  beforeAll(async () => {
    // an anonymous budget of 3 points: `{ me { email } }` costs 2, so the second one is refused
    t = await startTestServer({ seedDemo: false, env: { RATE_LIMIT_POINTS: "3", MAX_QUERY_COST: "3" } });
  });
  afterAll(async () => t?.close());

  it("counts a RATE_LIMITED answer as an error and as a refusal by the rate limit", async () => {
    expect(errorCodes(await t.gql("query Spend { me { email } }"))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await t.gql("query Spend { me { email } }"))).toEqual(["RATE_LIMITED"]);
    const text = (await scrape(t)).text;
    expect(sample(text, "graphql_refusals_total", { code: "RATE_LIMITED", limit: "rate" })).toBe(1);
    expect(sample(text, "graphql_errors_total", { code: "RATE_LIMITED" })).toBe(1);
  });
});

describe("with METRICS_TOKEN", () => {
  const token = randomBytes(24).toString("base64url");
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seedDemo: false, env: { METRICS_TOKEN: token } });
  });
  afterAll(async () => t?.close());

  it("refuses a missing or wrong token, answers the right one", async () => {
    const missing = await scrape(t);
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(missing.text).not.toMatch(/graphql_/);
    expect((await scrape(t, `${token}x`)).status).toBe(401);
    expect((await scrape(t, token.slice(1))).status).toBe(401);
    expect((await t.http.get("/metrics").set("authorization", token)).status).toBe(401);
    const right = await scrape(t, token);
    expect(right.status).toBe(200);
    expect(right.text).toMatch(/graphql_request_duration_seconds/);
  });
});

describe("without METRICS_TOKEN, in production", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seedDemo: false, env: { NODE_ENV: "production", JWT_KEYS: `prod:${randomBytes(48).toString("base64url")}` } });
  });
  afterAll(async () => t?.close());

  it("has no /metrics (404)", async () => {
    expect((await scrape(t)).status).toBe(404);
  });
});
