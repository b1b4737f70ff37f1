// Cost-based rate limits (SPEC §8, issue 8): each operation spends its computed cost from a budget per
// token, per user and per anonymous address; RATE_LIMITED with retry information once it is spent. The
// memory backend serves one instance; with Redis two instances share one budget.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.js";
import { createServer, type AppServer } from "../../src/app/server.js";
import { loadConfig } from "../../src/config/config.js";
import { createRateLimiter } from "../../src/graphql/rate-limit.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { metricSample, scrapeMetrics } from "../support/metrics.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";
import { connectTestRedis, releaseTestRedis } from "../support/redis.js";

/** 1 + 10 × (edges + node + id) */
const COSTLY = "{ organisations(first: 10) { edges { node { id } } } }";
const COSTLY_COST = 31;
/** me + email */
const CHEAP = "{ me { email } }";
const CHEAP_COST = 2;
const BUDGET = 100;

type Agent = ReturnType<typeof supertest>;
const ask = (agent: Agent, query: string, token?: string) => {
  const request = agent.post("/graphql").set("content-type", "application/json");
  if (token) request.set("authorization", `Bearer ${token}`);
  return request.send({ query });
};

function expectRateLimited(response: { status: number; body: any; headers: Record<string, string> }, cost: number) {
  expect(response.status).toBe(429);
  expect(errorCodes(response.body)).toEqual(["RATE_LIMITED"]);
  const { extensions, message } = response.body.errors[0];
  expect(extensions).toMatchObject({ budget: BUDGET, windowSeconds: 60, cost });
  expect(extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect(extensions.retryAfterSeconds).toBeLessThanOrEqual(60);
  expect(response.headers["retry-after"]).toBe(String(extensions.retryAfterSeconds));
  expect(message).toContain(`budget of ${BUDGET} per 60 s`);
  expect(response.body.data ?? null).toBeNull();
}

async function partnerToken(t: TestServer): Promise<string> {
  const territory = await t.database.prisma.territory.findFirstOrThrow({ where: { name: "Hauts-de-France" } });
  const response = await t.gql<any, any>(
    `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
    {
      input: {
        kind: "PARTNER",
        name: "rate-limited partner",
        scopes: ["visits:write"],
        territoryIds: [toGlobalId("Territory", territory.id)],
        expiresAt: new Date(TODAY.getTime() + 30 * 86_400_000).toISOString(),
      },
    },
    await t.login("head.office@demo.test"),
  );
  return response.data.issueApiToken.token;
}

describe("memory backend (one instance)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { RATE_LIMIT_POINTS: String(BUDGET), RATE_LIMIT_WINDOW_SECONDS: "60", MAX_QUERY_COST: String(BUDGET) } });
  });
  afterAll(async () => t?.close());

  it("a costly query spends its cost: 3 × 31 fit in 100, then what is left pays for cheap queries only", async () => {
    const token = await t.login("rep.lille@demo.test");
    for (let i = 0; i < 3; i++) expect((await ask(t.http, COSTLY, token)).status).toBe(200);
    // 100 − 93 = 7 left: three queries of 2, then the refusal with Retry-After
    for (let i = 0; i < 3; i++) expect((await ask(t.http, CHEAP, token)).status).toBe(200);
    expectRateLimited(await ask(t.http, CHEAP, token), CHEAP_COST);
    expectRateLimited(await ask(t.http, COSTLY, token), COSTLY_COST);
  });

  it("a cheap query spends less: 50 queries of cost 2 fit in the same budget", async () => {
    const token = await t.login("rep.paris@demo.test");
    for (let i = 0; i < BUDGET / CHEAP_COST; i++) expect((await ask(t.http, CHEAP, token)).status).toBe(200);
    expectRateLimited(await ask(t.http, CHEAP, token), CHEAP_COST);
  });

  it("the budget is per user (all of a user's sessions together), not shared with other users", async () => {
    const exhausted = await t.login("rep.lille@demo.test");
    // a second session of the same user: same budget, already spent
    const login = await t.gql<any, any>(`mutation { login(email: "rep.lille@demo.test", password: "demo") { token } }`);
    const secondSession = login.data.login.token as string;
    expect(secondSession).not.toBe(exhausted);
    expectRateLimited(await ask(t.http, CHEAP, secondSession), CHEAP_COST);
    // another user is untouched
    expect((await ask(t.http, COSTLY, await t.login("rep.rouen@demo.test"))).status).toBe(200);
  });

  it("the budget is per token: a partner token spends its own", async () => {
    const token = await partnerToken(t);
    for (let i = 0; i < 3; i++) expect((await ask(t.http, COSTLY, token)).status).toBe(200);
    expectRateLimited(await ask(t.http, COSTLY, token), COSTLY_COST);
    expectRateLimited(await ask(t.http, COSTLY, await t.login("rep.lille@demo.test")), COSTLY_COST);
  });

  it("the CSV routes meet the same cost limit and spend the same budget as /graphql", async () => {
    const steward = await t.login("data.steward@demo.test");
    const refusals = async (limit: string) => metricSample((await scrapeMetrics(t)).text, "graphql_refusals_total", { limit }) ?? 0;
    const [costRefusals, rateRefusals] = [await refusals("cost"), await refusals("rate")];
    // an export page is 200 rows: far over a cost limit of 100, refused before any row is read
    const tooCostly = await t.http.get("/export/organisations.csv").set("authorization", `Bearer ${steward}`);
    expect(tooCostly.status).toBe(400);
    expect(errorCodes(tooCostly.body)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(tooCostly.body.errors[0].extensions).toMatchObject({ limit: "cost", max: BUDGET });
    // spend the steward's budget down to less than an import's admission, then the import is refused
    for (let i = 0; i < 3; i++) expect((await ask(t.http, COSTLY, steward)).status).toBe(200);
    let refused = null;
    for (let i = 0; i < BUDGET && !refused; i++) {
      const response = await t.http.post("/import/organisations").set("content-type", "text/csv").set("authorization", `Bearer ${steward}`).send("externalId,name\n");
      if (response.status !== 200) refused = response;
    }
    expect(refused).not.toBeNull();
    expect(refused!.status).toBe(429);
    expect(errorCodes(refused!.body)).toEqual(["RATE_LIMITED"]);
    expect(refused!.headers["retry-after"]).toBe(String(refused!.body.errors[0].extensions.retryAfterSeconds));
    // and the budget the CSV route found spent is the one /graphql spends
    expectRateLimited(await ask(t.http, CHEAP, steward), CHEAP_COST);
    // /metrics counts the CSV routes' refusals with /graphql's (the last ask above is one more rate refusal)
    expect(await refusals("cost")).toBe(costRefusals + 1);
    expect(await refusals("rate")).toBe(rateRefusals + 2);
  });

  it("anonymous callers spend a budget per address", async () => {
    const signedIn = await t.login("rep.marseille@demo.test");
    // the logins above came from this address too: spend what is left, then the refusal
    let refused = null;
    for (let i = 0; i < BUDGET && !refused; i++) {
      const response = await ask(t.http, "{ __typename }");
      if (response.status !== 200) refused = response;
    }
    expect(refused).not.toBeNull();
    expectRateLimited(refused!, 1);
    // the address comes from the connection: a client cannot pick another budget with a header
    const spoofed = await t.http.post("/graphql").set("content-type", "application/json").set("x-crm-client-ip", "203.0.113.9").send({ query: "{ __typename }" });
    expectRateLimited(spoofed, 1);
    // a signed-in user is not affected by the address's budget
    expect((await ask(t.http, CHEAP, signedIn)).status).toBe(200);
  });

  it("the budget comes back after the window", async () => {
    const limiter = createRateLimiter({ points: 10, windowSeconds: 1 }, () => undefined);
    await limiter.spend("k", 10);
    const refusal = await limiter.spend("k", 1).then(
      () => null,
      (error: { extensions: Record<string, unknown> }) => error,
    );
    expect(refusal?.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(limiter.spend("k", 10)).resolves.toBeUndefined();
    await limiter.close();
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) {
  console.warn("rate-limit.test.ts: TEST_REDIS_URL is not set, so the Redis backend tests are SKIPPED (set it, e.g. redis://127.0.0.1:6379)");
}

describe.skipIf(!redisUrl)("Redis backend (two instances share one budget) — needs TEST_REDIS_URL", () => {
  const prefix = `crm-rate-test-${randomBytes(6).toString("hex")}`;
  let t: TestServer;
  let second: AppServer;
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectTestRedis(redisUrl!);
    const env = {
      RATE_LIMIT_POINTS: String(BUDGET),
      RATE_LIMIT_WINDOW_SECONDS: "60",
      MAX_QUERY_COST: String(BUDGET),
      REDIS_URL: redisUrl!,
      RATE_LIMIT_KEY_PREFIX: prefix,
    };
    t = await startTestServer({ env });
    const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", TOKEN_STATE_CACHE_MS: "0", ...env });
    second = await createServer({ config, database: t.database, logger: createLogger("silent"), keyRing: t.keyRing, clock: () => t.clock.now });
  });
  afterAll(async () => {
    await second?.stop();
    await t?.close();
    await releaseTestRedis(redis, prefix);
  });

  it("spending on one instance counts on the other; the budget is stored in Redis", async () => {
    const token = await t.login("rep.lyon@demo.test");
    const userId = (await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id;
    const other = supertest(second.app);
    expect((await ask(t.http, COSTLY, token)).status).toBe(200);
    expect((await ask(other, COSTLY, token)).status).toBe(200);
    expect(Number(await redis.get(`${prefix}:user:${userId}`))).toBe(2 * COSTLY_COST);
    expect((await ask(t.http, COSTLY, token)).status).toBe(200);
    // 93 spent across both instances: the next costly query is refused by either
    expectRateLimited(await ask(other, COSTLY, token), COSTLY_COST);
    expectRateLimited(await ask(t.http, COSTLY, token), COSTLY_COST);
    const ttl = await redis.pttl(`${prefix}:user:${userId}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("a partner token's budget is its own, shared by both instances", async () => {
    const token = await partnerToken(t);
    const other = supertest(second.app);
    expect((await ask(other, COSTLY, token)).status).toBe(200);
    expect((await ask(t.http, COSTLY, token)).status).toBe(200);
    expect((await ask(other, COSTLY, token)).status).toBe(200);
    expectRateLimited(await ask(t.http, COSTLY, token), COSTLY_COST);
  });
});
