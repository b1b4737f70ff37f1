// Latency of Visit.brief over HTTP (issue 6): median and p95 of 20 calls after 3 warm-up calls, on
//   - the big-brief fixture (50 orders, 20 incidents, 30 tasks on the demo company, a fresh database);
//   - the generated database (100 000 organisations, read only), the organisation with the most orders.
//   npm run bench:modules -- bench/visit-brief.bench.ts   (PostgreSQL from TEST_DATABASE_URL / BENCH_DATABASE_URL)
import { randomBytes } from "node:crypto";
import supertest from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/app/logger.js";
import { createServer } from "../src/app/server.js";
import { loadConfig } from "../src/config/config.js";
import { openDatabase } from "../src/db/client.js";
import { toGlobalId } from "../src/graphql/relay.js";
import { DEFAULT_BENCH_DATABASE_URL } from "../scripts/generate/load.js";
import { buildCustomer, day, fillBrief } from "../test/fixtures/visits.js";
import { startTestServer, TODAY, type TestServer } from "../test/support/server.js";

const BRIEF = `query($id: ID!) { visit(id: $id) { id brief {
  incidents { id kind status summary openedAt } announcements { id title }
  opportunities { id name stage amount weightedAmount expectedCloseDate } quotesToChase { id amount followUpDate }
  lastReport { visitId outcome } openTasks { id title dueDate assignee } recentOrders { externalId orderedAt amount }
  pendingMaterialRequests { id status items { item quantity } } } } }`;

type Send = (token: string) => Promise<{ ok: boolean; statements: number }>;

async function measure(label: string, send: Send, token: string) {
  for (let i = 0; i < 3; i += 1) expect((await send(token)).ok).toBe(true);
  const times: number[] = [];
  let statements = 0;
  for (let i = 0; i < 20; i += 1) {
    const start = process.hrtime.bigint();
    const result = await send(token);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    statements = result.statements;
    expect(result.ok).toBe(true);
  }
  times.sort((a, b) => a - b);
  const median = (times[9]! + times[10]!) / 2;
  const p95 = times[18]!;
  console.log(`[visits-latency] ${label}: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ${statements} SQL statements per call (20 calls)`);
}

let t: TestServer | undefined;
afterAll(() => t?.close());

describe("Visit.brief latency", () => {
  it("big-brief fixture", async () => {
    t = await startTestServer();
    const db = t.database.prisma;
    const lyon = (await db.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id;
    const { organisation } = await buildCustomer(db, "Latence Brief", { charges: [[lyon, day("2025-01-01")]] });
    await fillBrief(db, organisation.id, TODAY, { orders: 50, incidents: 20, tasks: 30 });
    const visit = await db.visit.create({ data: { organisationId: organisation.id, repId: lyon, plannedAt: new Date("2026-11-16T09:00:00Z") } });
    const id = toGlobalId("Visit", visit.id);
    const send: Send = async (token) => {
      const response = await t!.gql<Record<string, any>, Record<string, unknown>>(BRIEF, { id }, token);
      return { ok: !response.errors && response.data?.visit?.brief?.recentOrders?.length === 10, statements: response.statements };
    };
    await measure(`fixture (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, send, await t.login("rep.lyon@demo.test"));
  }, 120_000);

  it("generated database", async () => {
    const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", TOKEN_STATE_CACHE_MS: "0" });
    const database = await openDatabase({ kind: "server", url: process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL, poolSize: 10, statementTimeoutMs: 30_000 });
    const keyRing = { keys: new Map([["bench", randomBytes(48).toString("base64url")]]), activeKid: "bench" };
    const server = await createServer({ config, database, logger: createLogger("silent"), keyRing });
    try {
      // The visit of the organisation with the most orders (then incidents, tasks) whose rep is in charge today.
      const [target] = await database.prisma.$queryRaw<{ visitId: string; email: string }[]>`
        WITH o AS (SELECT "organisationId" AS id, COUNT(*) AS n FROM "Order" GROUP BY 1 ORDER BY 2 DESC LIMIT 50)
        SELECT v."id" AS "visitId", u."email" FROM o
        JOIN "Visit" v ON v."organisationId" = o.id
        JOIN "OrganisationAssignment" a ON a."organisationId" = o.id AND a."validTo" IS NULL
        JOIN "User" u ON u."id" = a."repId"
        ORDER BY o.n DESC, (SELECT COUNT(*) FROM "Task" t WHERE t."organisationId" = o.id) DESC, v."plannedAt" DESC LIMIT 1`;
      const http = supertest(server.app);
      const login = await http.post("/graphql").send({ query: `mutation { login(email: "${target!.email}", password: "bench") { token } }` });
      const token = login.body.data.login.token as string;
      const id = toGlobalId("Visit", target!.visitId);
      const send: Send = async (bearer) => {
        const response = await http.post("/graphql").set("authorization", `Bearer ${bearer}`).send({ query: BRIEF, variables: { id } });
        return { ok: !response.body.errors && Boolean(response.body.data?.visit?.brief), statements: Number(response.headers["x-sql-statements"]) };
      };
      await measure("crm_bench (100 000 organisations)", send, token);
    } finally {
      await server.stop();
      await database.close();
    }
  }, 120_000);
});
