// Several instances (issue 21, part 6): two API instances on one PostgreSQL and one Redis, behind a small
// round-robin proxy, as a load balancer would put them. What one instance does, the other must honour:
// requests spread across both, a token revoked through one is refused by the other, the rate limit is one
// budget, and a scheduled territory change applies on both when its day comes.
import { randomBytes } from "node:crypto";
import {
  createServer as createHttpServer,
  request as httpRequest,
  type Server,
} from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../../src/app/server.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import {
  errorCodes,
  startSecondInstance,
  startTestServer,
  TODAY,
  type SecondInstance,
  type TestServer,
} from "../support/server.js";
import { connectTestRedis, releaseTestRedis } from "../support/redis.js";

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const enabled = Boolean(databaseUrl && redisUrl);
if (!enabled) {
  console.warn(
    "two-instances.test.ts: SKIPPED — it needs both TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL (Redis), " +
      `missing: ${[!databaseUrl && "TEST_DATABASE_URL", !redisUrl && "TEST_REDIS_URL"].filter(Boolean).join(", ")}`,
  );
}

const BUDGET = 100;
/** 1 + 10 × (edges + node + id) */
const COSTLY =
  "query Costly { organisations(first: 10) { edges { node { id } } } }";
const COSTLY_COST = 31;

/** Listens on a free local port; resolves to that port. */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const closeServer = (server: Server | undefined) =>
  new Promise<void>((resolve) =>
    server ? server.close(() => resolve()) : resolve(),
  );

/** A round-robin proxy: request n goes to upstream n mod 2, body and headers passed through unchanged. */
function roundRobinProxy(upstreamPorts: number[]): Server {
  let next = 0;
  return createHttpServer((incoming, outgoing) => {
    const port = upstreamPorts[next++ % upstreamPorts.length]!;
    const forwarded = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
}

/** `graphql_request_duration_seconds_count` of one operation in an instance's /metrics (0 when absent). */
async function operationCount(
  server: AppServer,
  operation: string,
): Promise<number> {
  const response = await supertest(server.app).get("/metrics");
  expect(response.status).toBe(200);
  const line = response.text
    .split("\n")
    .find(
      (l) =>
        l.startsWith("graphql_request_duration_seconds_count{") &&
        l.includes(`operation="${operation}"`),
    );
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe.skipIf(!enabled)(
  "two instances on one PostgreSQL and Redis, behind a round-robin proxy — needs TEST_DATABASE_URL and TEST_REDIS_URL",
  () => {
    const prefix = `crm-two-instances-${randomBytes(6).toString("hex")}`;
    let t: TestServer;
    let second: SecondInstance;
    let redis: Redis;
    const listeners: Server[] = [];
    let proxy: Server;
    let viaProxy: ReturnType<typeof supertest>;

    const ask = (
      query: string,
      token?: string,
      variables?: Record<string, unknown>,
    ) => {
      const request = viaProxy
        .post("/graphql")
        .set("content-type", "application/json");
      if (token) request.set("authorization", `Bearer ${token}`);
      return request.send({ query, variables });
    };

    beforeAll(async () => {
      redis = await connectTestRedis(redisUrl!);
      t = await startTestServer({
        env: {
          RATE_LIMIT_POINTS: String(BUDGET),
          RATE_LIMIT_WINDOW_SECONDS: "60",
          MAX_QUERY_COST: String(BUDGET),
          REDIS_URL: redisUrl!,
          RATE_LIMIT_KEY_PREFIX: prefix,
        },
      });
      // same database, same Redis (same config), same keys and clock; its own pool, limiter and token-state cache
      second = await startSecondInstance(t);
      const ports: number[] = [];
      for (const app of [t.server.app, second.server.app]) {
        const listener = createHttpServer(app);
        listeners.push(listener);
        ports.push(await listen(listener));
      }
      proxy = roundRobinProxy(ports);
      viaProxy = supertest(`http://127.0.0.1:${await listen(proxy)}`);
    });

    afterAll(async () => {
      await closeServer(proxy);
      for (const listener of listeners) await closeServer(listener);
      await second?.close();
      await t?.close();
      await releaseTestRedis(redis, prefix);
    });

    it("requests spread across both instances: each one's /metrics counts its half", async () => {
      const token = await t.login("rep.lille@demo.test");
      const [firstBefore, secondBefore] = [
        await operationCount(t.server, "Spread"),
        await operationCount(second.server, "Spread"),
      ];
      for (let i = 0; i < 6; i++) {
        const response = await ask("query Spread { me { email } }", token);
        expect(response.status).toBe(200);
        expect(response.body.data.me.email).toBe("rep.lille@demo.test");
      }
      expect((await operationCount(t.server, "Spread")) - firstBefore).toBe(3);
      expect(
        (await operationCount(second.server, "Spread")) - secondBefore,
      ).toBe(3);
    });

    it("a token revoked through one instance is refused by the other", async () => {
      const headOffice = await t.login("head.office@demo.test");
      const territory = await t.database.prisma.territory.findFirstOrThrow({
        where: { name: "Hauts-de-France" },
      });
      const issued = await ask(
        `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token apiToken { id } } }`,
        headOffice,
        {
          input: {
            kind: "PARTNER",
            name: "two-instance partner",
            scopes: ["visits:write"],
            territoryIds: [toGlobalId("Territory", territory.id)],
            expiresAt: new Date(
              TODAY.getTime() + 30 * 86_400_000,
            ).toISOString(),
          },
        },
      );
      expect(issued.body.errors).toBeUndefined();
      const { token, apiToken } = issued.body.data.issueApiToken as {
        token: string;
        apiToken: { id: string };
      };
      const partnerQuery =
        "{ organisations(first: 1) { edges { node { id } } } }";
      // accepted by both instances (two requests through the proxy: one each)
      for (let i = 0; i < 2; i++)
        expect((await ask(partnerQuery, token)).status).toBe(200);

      // revoke directly on the first instance, then ask the second one, directly and through the proxy
      const revoked = await t.gql<any, any>(
        `mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { apiToken { revokedAt } } }`,
        { input: { id: apiToken.id } },
        headOffice,
      );
      expect(revoked.data.revokeApiToken.apiToken.revokedAt).not.toBeNull();
      const onSecond = await supertest(second.server.app)
        .post("/graphql")
        .set("content-type", "application/json")
        .set("authorization", `Bearer ${token}`)
        .send({ query: partnerQuery });
      expect(errorCodes(onSecond.body)).toEqual(["UNAUTHENTICATED"]);
      for (let i = 0; i < 2; i++)
        expect(errorCodes((await ask(partnerQuery, token)).body)).toEqual([
          "UNAUTHENTICATED",
        ]);
    });

    it("the rate limit is one budget: hits through both instances count together in Redis", async () => {
      const token = await t.login("rep.lyon@demo.test");
      const userId = (
        await t.database.prisma.user.findUniqueOrThrow({
          where: { email: "rep.lyon@demo.test" },
        })
      ).id;
      const before = [
        await operationCount(t.server, "Costly"),
        await operationCount(second.server, "Costly"),
      ];
      // 3 × 31 = 93 through the proxy (instances alternate), then a fourth is refused whichever instance answers
      for (let i = 0; i < 3; i++)
        expect((await ask(COSTLY, token)).status).toBe(200);
      const answered = [
        (await operationCount(t.server, "Costly")) - before[0]!,
        (await operationCount(second.server, "Costly")) - before[1]!,
      ];
      // both instances took part (2 + 1): neither alone spent enough to refuse
      expect([...answered].sort()).toEqual([1, 2]);
      expect(Number(await redis.get(`${prefix}:user:${userId}`))).toBe(
        3 * COSTLY_COST,
      );
      for (let i = 0; i < 2; i++) {
        const refused = await ask(COSTLY, token);
        expect(refused.status).toBe(429);
        expect(errorCodes(refused.body)).toEqual(["RATE_LIMITED"]);
        expect(refused.body.errors[0].extensions).toMatchObject({
          budget: BUDGET,
          cost: COSTLY_COST,
        });
      }
    });

    // last: it moves the shared clock
    it("a scheduled territory change applies on both instances on its day", async () => {
      // seeded: Grand Est has nobody today and the Rouen rep from the 1st of next month
      const strasbourg = await t.database.prisma.organisation.findFirstOrThrow({
        where: { region: "Grand Est", mergedIntoId: null },
      });
      const query =
        "query Scheduled($id: ID!) { organisation(id: $id) { id } }";
      const variables = { id: toGlobalId("Organisation", strasbourg.id) };
      const onEach = async () => {
        const token = await t.login("rep.rouen@demo.test");
        const direct = [supertest(t.server.app), supertest(second.server.app)];
        return Promise.all(
          direct.map((agent) =>
            agent
              .post("/graphql")
              .set("content-type", "application/json")
              .set("authorization", `Bearer ${token}`)
              .send({ query, variables }),
          ),
        );
      };
      for (const response of await onEach())
        expect(errorCodes(response.body)).toEqual(["NOT_FOUND"]);
      t.clock.now = new Date("2026-12-01T10:00:00Z");
      for (const response of await onEach()) {
        expect(response.body.errors).toBeUndefined();
        expect(response.body.data.organisation.id).toBe(variables.id);
      }
    });
  },
);
