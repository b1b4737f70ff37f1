// Database down (SPEC §8): the server's own PostgreSQL database is cut (no new connections, every open one
// terminated) → /ready answers 503, GraphQL answers quickly with SERVICE_UNAVAILABLE and no stack trace,
// the process stays up → the database comes back → the server recovers by itself. PostgreSQL only: the
// embedded PGlite runs inside the process and cannot go away on its own.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "../../src/app/bootstrap.js";
import { createLogger } from "../../src/app/logger.js";
import { openDatabase } from "../../src/db/client.js";
import { DEMO_PASSWORD } from "../../src/demo/demo-company.js";
import { usesServer } from "../support/database.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

if (!usesServer) console.warn("failure.test.ts: SKIPPED on PGlite — the database-down test needs PostgreSQL (set TEST_DATABASE_URL)");

/** generous bound for "answers quickly": the pool gives up connecting after 3 s */
const QUICK_MS = 6_000;

describe.skipIf(!usesServer)("database down and back (PostgreSQL only)", () => {
  let t: TestServer;
  let admin: pg.Client;
  let name: string;
  let token: string;

  const timed = async <T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> => {
    const started = performance.now();
    const result = await run();
    return { result, ms: performance.now() - started };
  };

  async function cut() {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
  }
  async function restore() {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
  }

  beforeAll(async () => {
    t = await startTestServer();
    const target = t.database.target;
    if (target.kind !== "server") throw new Error("expected a PostgreSQL test database");
    name = new URL(target.url).pathname.slice(1);
    expect(name).toMatch(/^crm_test_[0-9a-f]+$/);
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    token = await t.login("rep.lille@demo.test");
  });
  afterAll(async () => {
    await restore().catch(() => undefined);
    await admin?.end();
    await t?.close();
  });

  it("while the database is cut: /ready is 503, GraphQL answers SERVICE_UNAVAILABLE quickly, /health stays up", async () => {
    expect((await t.http.get("/ready")).status).toBe(200);
    await cut();

    const ready = await timed(() => t.http.get("/ready"));
    expect(ready.result.status).toBe(503);
    expect(ready.result.body).toMatchObject({ ready: false, database: "down" });
    expect(ready.ms).toBeLessThan(QUICK_MS);

    expect((await t.http.get("/health")).status).toBe(200);

    // an authenticated request (its token's state is read from the database)
    const authed = await timed(() => t.gql(`{ organisations(first: 5) { totalCount } }`, {}, token));
    expect(authed.ms).toBeLessThan(QUICK_MS);
    expect(authed.result.status).toBe(503);
    expect(errorCodes(authed.result)).toEqual(["SERVICE_UNAVAILABLE"]);

    // an anonymous login (a resolver reaching the database)
    const login = await timed(() =>
      t.gql(`mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`, {
        email: "rep.paris@demo.test",
        password: DEMO_PASSWORD,
      }),
    );
    expect(login.ms).toBeLessThan(QUICK_MS);
    expect(errorCodes(login.result)).toEqual(["SERVICE_UNAVAILABLE"]);

    for (const response of [authed.result, login.result]) {
      const text = JSON.stringify(response.errors);
      expect(text).not.toMatch(/stacktrace|at .*\.(js|ts):\d+|not currently accepting connections|crm_test_/);
      expect(response.errors![0]!.message).toMatch(/database is unavailable/i);
    }
  });

  it("several requests at once while down: all answered, none hangs, the process is alive", async () => {
    const answers = await timed(() => Promise.all(Array.from({ length: 8 }, () => t.gql(`{ me { email } }`, {}, token))));
    expect(answers.ms).toBeLessThan(QUICK_MS * 2);
    for (const answer of answers.result) expect(errorCodes(answer)).toEqual(["SERVICE_UNAVAILABLE"]);
    expect((await t.http.get("/health")).body).toEqual({ status: "ok" });
  });

  it("when the database comes back the server recovers by itself", async () => {
    await restore();
    const deadline = performance.now() + 15_000;
    let ready = await t.http.get("/ready");
    while (ready.status !== 200 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ready = await t.http.get("/ready");
    }
    expect(ready.status).toBe(200);
    const response = await t.gql<{ me: { email: string } }, Record<string, never>>(`{ me { email } }`, {}, token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.me.email).toBe("rep.lille@demo.test");
    const login = await t.gql(`mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`, {
      email: "rep.paris@demo.test",
      password: DEMO_PASSWORD,
    });
    expect(login.errors).toBeUndefined();
  });
});

describe.skipIf(!usesServer)("instances starting together on one PostgreSQL database (PostgreSQL only)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("both take and release the migration lock on one session: they start, and nobody holds it afterwards", async () => {
    const target = t.database.target;
    if (target.kind !== "server") throw new Error("expected a PostgreSQL test database");
    const logger = createLogger("silent");
    const instances = await Promise.all([openDatabase(target), openDatabase(target), openDatabase(target)]);
    try {
      // a lock left on another pooled session made the next instance time out after 10 s
      await Promise.all(instances.map((database) => prepareDatabase(database, { seedDemo: false, logger })));
      await Promise.all(instances.map((database) => prepareDatabase(database, { seedDemo: false, logger })));
      const held = await t.database.prisma.$queryRawUnsafe<{ n: number }[]>(
        // this database's only: other test files migrate their own databases meanwhile
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(held[0]!.n).toBe(0);
    } finally {
      await Promise.all(instances.map((database) => database.close()));
    }
  });
});
