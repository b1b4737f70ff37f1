// Password guessing: failed logins are counted per account (the e-mail given) and per client address; a
// blocked account answers RATE_LIMITED with Retry-After whatever the password, for longer at each block; an
// unknown e-mail is answered exactly like a wrong password. Memory backend, and Redis shared by two
// instances when TEST_REDIS_URL is set.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.js";
import { createServer, type AppServer } from "../../src/app/server.js";
import { loadConfig } from "../../src/config/config.js";
import { DEMO_PASSWORD } from "../../src/demo/demo-company.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";
import { connectTestRedis, releaseTestRedis } from "../support/redis.js";

type Agent = ReturnType<typeof supertest>;
type Answer = { status: number; body: any; headers: Record<string, string> };

const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;
const login = (agent: Agent, email: string, password: string): Promise<Answer> =>
  agent.post("/graphql").set("content-type", "application/json").send({ query: LOGIN, variables: { email, password } });

function expectWrongCredentials(answer: Answer) {
  expect(answer.status).toBe(401);
  expect(errorCodes(answer.body)).toEqual(["UNAUTHENTICATED"]);
  expect(answer.body.errors[0].message).toBe("Invalid email or password");
  expect(answer.headers["retry-after"]).toBeUndefined();
}

function expectThrottled(answer: Answer, whose: "account" | "address"): number {
  expect(answer.status).toBe(429);
  expect(errorCodes(answer.body)).toEqual(["RATE_LIMITED"]);
  expect(answer.body.data?.login ?? null).toBeNull();
  const retryAfter = Number(answer.headers["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(answer.body.errors[0].extensions.retryAfterSeconds).toBe(retryAfter);
  expect(answer.body.errors[0].message).toContain(whose === "account" ? "for this account" : "from this address");
  return retryAfter;
}

const expectLoggedIn = (answer: Answer) => {
  expect(answer.body.errors).toBeUndefined();
  expect(typeof answer.body.data.login.token).toBe("string");
};

/** Waits out a block: asks again after each Retry-After until the attempt is let through (its answer). */
async function waitOut(agent: Agent, email: string, password: string) {
  for (;;) {
    const answer = await login(agent, email, password);
    if (answer.status !== 429) return answer;
    await new Promise((resolve) => setTimeout(resolve, Number(answer.headers["retry-after"]) * 1000 + 50));
  }
}

describe("per account (memory backend, defaults: 5 failures per 15 minutes)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.close());

  it("after 5 failures the 6th attempt is refused with RATE_LIMITED and Retry-After, even with the right password", async () => {
    for (let i = 0; i < 5; i++) expectWrongCredentials(await login(t.http, "rep.lille@demo.test", `guess-${i}`));
    const retryAfter = expectThrottled(await login(t.http, "rep.lille@demo.test", DEMO_PASSWORD), "account");
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // the account key is the e-mail as normalised by login
    expectThrottled(await login(t.http, "  REP.Lille@demo.test ", DEMO_PASSWORD), "account");
    // other accounts are not affected
    expectLoggedIn(await login(t.http, "rep.rouen@demo.test", DEMO_PASSWORD));
  });

  it("a successful login resets the account's count", async () => {
    for (let i = 0; i < 4; i++) expectWrongCredentials(await login(t.http, "rep.paris@demo.test", `guess-${i}`));
    expectLoggedIn(await login(t.http, "rep.paris@demo.test", DEMO_PASSWORD));
    for (let i = 0; i < 5; i++) expectWrongCredentials(await login(t.http, "rep.paris@demo.test", `again-${i}`));
    expectThrottled(await login(t.http, "rep.paris@demo.test", DEMO_PASSWORD), "account");
  });

  it("an unknown e-mail is answered exactly like a wrong password, and is throttled alike", async () => {
    const wrong = await login(t.http, "rep.lyon@demo.test", "not-the-password");
    const unknown = await login(t.http, "nobody.here@demo.test", "not-the-password");
    expectWrongCredentials(wrong);
    expectWrongCredentials(unknown);
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body).toEqual(wrong.body);
    for (let i = 0; i < 4; i++) expectWrongCredentials(await login(t.http, "nobody.here@demo.test", `guess-${i}`));
    const throttledUnknown = await login(t.http, "nobody.here@demo.test", "x");
    for (let i = 0; i < 4; i++) expectWrongCredentials(await login(t.http, "rep.lyon@demo.test", `guess-${i}`));
    const throttledKnown = await login(t.http, "rep.lyon@demo.test", "x");
    expectThrottled(throttledUnknown, "account");
    expectThrottled(throttledKnown, "account");
    expect(throttledUnknown.body.errors[0].extensions.code).toBe(throttledKnown.body.errors[0].extensions.code);
  });
});

describe("changePassword's current password counts like a login", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.close());

  it("5 wrong current passwords block the account: changePassword and login answer RATE_LIMITED, even with the right password", async () => {
    const token = await t.login("rep.rouen@demo.test");
    const CHANGE = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { user { email } } }`;
    for (let i = 0; i < 5; i++) {
      const wrong = await t.gql(CHANGE, { input: { currentPassword: `guess-${i}`, newPassword: "a brand new password" } }, token);
      expect(errorCodes(wrong)).toEqual(["BAD_USER_INPUT"]);
    }
    const blocked = await t.gql(CHANGE, { input: { currentPassword: DEMO_PASSWORD, newPassword: "a brand new password" } }, token);
    expect(blocked.status).toBe(429);
    expect(errorCodes(blocked)).toEqual(["RATE_LIMITED"]);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    expectThrottled(await login(t.http, "rep.rouen@demo.test", DEMO_PASSWORD), "account");
  });
});

describe("blocks grow with repeated failures", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { LOGIN_MAX_FAILURES: "2", LOGIN_BLOCK_SECONDS: "1", LOGIN_MAX_BLOCK_SECONDS: "3" } });
  });
  afterAll(async () => t?.close());

  it("each block of the account doubles the previous one, up to LOGIN_MAX_BLOCK_SECONDS", async () => {
    const email = "rep.bordeaux@demo.test";
    const blocks: number[] = [];
    for (let round = 0; round < 3; round++) {
      // no success in between (a success would clear the account's history)
      expectWrongCredentials(await waitOut(t.http, email, "wrong"));
      expectWrongCredentials(await login(t.http, email, "wrong"));
      blocks.push(expectThrottled(await login(t.http, email, DEMO_PASSWORD), "account"));
    }
    expect(blocks).toEqual([1, 2, 3]);
  });

  it("rejects a maximum block shorter than the first block at start-up", () => {
    expect(() => loadConfig({ NODE_ENV: "test", LOGIN_BLOCK_SECONDS: "60", LOGIN_MAX_BLOCK_SECONDS: "30" })).toThrow(/LOGIN_MAX_BLOCK_SECONDS/);
    expect(() => loadConfig({ NODE_ENV: "test", LOGIN_MAX_FAILURES: "0" })).toThrow(/LOGIN_MAX_FAILURES/);
  });
});

describe("per address, across accounts", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { LOGIN_IP_MAX_FAILURES: "8" } });
  });
  afterAll(async () => t?.close());

  it("8 failures spread over accounts (none of them blocked) exhaust the address; successes do not count", async () => {
    for (const email of ["rep.lille@demo.test", "rep.rouen@demo.test", "nobody@demo.test"]) {
      expectLoggedIn(await login(t.http, "manager.north@demo.test", DEMO_PASSWORD));
      for (let i = 0; i < (email === "nobody@demo.test" ? 2 : 3); i++) expectWrongCredentials(await login(t.http, email, `guess-${i}`));
    }
    // a fresh account with the right password: refused for the address
    expectThrottled(await login(t.http, "rep.paris@demo.test", DEMO_PASSWORD), "address");
    // the address is the connection's: a forwarded-for header does not pick another budget
    const spoofed = await t.http
      .post("/graphql")
      .set("content-type", "application/json")
      .set("x-forwarded-for", "203.0.113.7")
      .set("x-crm-client-ip", "203.0.113.7")
      .send({ query: LOGIN, variables: { email: "rep.paris@demo.test", password: DEMO_PASSWORD } });
    expectThrottled(spoofed, "address");
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) {
  console.warn("login-throttle.test.ts: TEST_REDIS_URL is not set, so the Redis backend tests are SKIPPED (set it, e.g. redis://127.0.0.1:6379)");
}

describe.skipIf(!redisUrl)("Redis backend (two instances share the counts) — needs TEST_REDIS_URL", () => {
  const prefix = `crm-login-test-${randomBytes(6).toString("hex")}`;
  let t: TestServer;
  let second: AppServer;
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectTestRedis(redisUrl!);
    const env = { REDIS_URL: redisUrl!, RATE_LIMIT_KEY_PREFIX: prefix };
    t = await startTestServer({ env });
    const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", TOKEN_STATE_CACHE_MS: "0", ...env });
    second = await createServer({ config, database: t.database, logger: createLogger("silent"), keyRing: t.keyRing, clock: () => t.clock.now });
    // until its Redis connection is up, an instance counts in its in-memory insurance limiter: wait for the
    // second instance to spend a rate-limit budget in Redis
    const other = supertest(second.app);
    const token = (await login(other, "head.office@demo.test", DEMO_PASSWORD)).body.data.login.token as string;
    const userId = (await t.database.prisma.user.findUniqueOrThrow({ where: { email: "head.office@demo.test" } })).id;
    for (let i = 0; i < 100 && !(await redis.get(`${prefix}:user:${userId}`)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await other.post("/graphql").set("content-type", "application/json").set("authorization", `Bearer ${token}`).send({ query: "{ me { email } }" });
    }
  });
  afterAll(async () => {
    await second?.stop();
    await t?.close();
    await releaseTestRedis(redis, prefix);
  });

  it("failures on either instance count towards one block, stored in Redis", async () => {
    const other = supertest(second.app);
    for (let i = 0; i < 5; i++) expectWrongCredentials(await login(i % 2 ? other : t.http, "rep.marseille@demo.test", `guess-${i}`));
    expect((await redis.keys(`${prefix}:login-account:*`)).length).toBe(1);
    expectThrottled(await login(t.http, "rep.marseille@demo.test", DEMO_PASSWORD), "account");
    expectThrottled(await login(other, "rep.marseille@demo.test", DEMO_PASSWORD), "account");
  });

  it("a success on one instance resets the count for both", async () => {
    const other = supertest(second.app);
    for (let i = 0; i < 4; i++) expectWrongCredentials(await login(other, "rep.lyon@demo.test", `guess-${i}`));
    expectLoggedIn(await login(t.http, "rep.lyon@demo.test", DEMO_PASSWORD));
    for (let i = 0; i < 5; i++) expectWrongCredentials(await login(other, "rep.lyon@demo.test", `again-${i}`));
    expectThrottled(await login(t.http, "rep.lyon@demo.test", DEMO_PASSWORD), "account");
  });
});
