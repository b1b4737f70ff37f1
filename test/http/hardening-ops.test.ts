// Operations (SPEC §8): structured JSON logs with a request id that never contain tokens, passwords or
// Authorization headers; graceful shutdown that finishes in-flight requests and refuses new ones. Runs the
// real entry point's startApp on its own database (PGlite in a temporary folder, or a new PostgreSQL
// database when TEST_DATABASE_URL is set).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.js";
import { loadConfig } from "../../src/config/config.js";
import { DEMO_PASSWORD } from "../../src/demo/demo-company.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { startApp, type RunningApp } from "../../src/app/start.js";
import { TODAY } from "../support/server.js";
import { holdUsersTable } from "../support/locks.js";
import { createScratchDatabase } from "../support/database.js";

const adminUrl = process.env.TEST_DATABASE_URL;
const lines: string[] = [];
let app: RunningApp;
let cleanup: () => Promise<void>;
let signalListenersBefore: number;
const signalListeners = () => process.listenerCount("SIGTERM") + process.listenerCount("SIGINT");

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** One POST on a fresh connection (no keep-alive), so that a closed server really refuses it. */
function post(body: unknown, authorization?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = http.request(
      {
        host: "127.0.0.1",
        port: app.port,
        path: "/graphql",
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...(authorization ? { authorization } : {}) },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) }));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

beforeAll(async () => {
  // production, as deployed: Apollo installs its own signal handlers there unless told not to
  const env: Record<string, string> = {
    NODE_ENV: "production",
    JWT_KEYS: `ops:${randomBytes(24).toString("hex")}`,
    LOG_LEVEL: "trace",
    PORT: "0",
    TOKEN_STATE_CACHE_MS: "0",
    SEED_DEMO: "always", // production seeds the demo company only when told so
  };
  if (adminUrl) {
    const scratch = await createScratchDatabase(adminUrl, "crm_test_ops");
    env.DATABASE_URL = scratch.url;
    cleanup = scratch.drop;
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), "crm-ops-"));
    env.DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const logger = createLogger("trace", { write: (line: string) => void lines.push(line) });
  signalListenersBefore = signalListeners();
  app = await startApp(loadConfig(env), logger, { today: TODAY });
});
afterAll(async () => {
  await app?.shutdown("test end");
  await cleanup?.();
});

describe("logs", () => {
  let userToken: string;
  let partnerToken: string;
  const requestIds: string[] = [];

  it("are JSON lines; each request has a request id, also sent back in x-request-id (or taken from the caller)", async () => {
    const login = await post({
      query: `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
      variables: { email: "head.office@demo.test", password: DEMO_PASSWORD },
    });
    expect(login.status).toBe(200);
    userToken = login.body.data.login.token;
    requestIds.push(String(login.headers["x-request-id"]));

    const territory = await app.database.prisma.territory.findFirstOrThrow({ where: { name: "Hauts-de-France" } });
    const issued = await post(
      {
        query: `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
        variables: {
          input: {
            kind: "PARTNER",
            name: "log check",
            scopes: ["visits:write"],
            territoryIds: [toGlobalId("Territory", territory.id)],
            expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString(), // ctx.now is the real clock in startApp
          },
        },
      },
      `Bearer ${userToken}`,
    );
    expect(issued.body.errors).toBeUndefined();
    partnerToken = issued.body.data.issueApiToken.token;
    requestIds.push(String(issued.headers["x-request-id"]));

    const asPartner = await post({ query: "{ organisations(first: 1) { totalCount } }" }, `Bearer ${partnerToken}`);
    expect(asPartner.status).toBe(200);
    requestIds.push(String(asPartner.headers["x-request-id"]));

    const refused = await post({ query: "{ me { email } }" }, `Bearer ${userToken}x`);
    expect(refused.status).toBe(401);
    requestIds.push(String(refused.headers["x-request-id"]));

    const chosen = await new Promise<string>((resolve, reject) => {
      const request = http.request(
        { host: "127.0.0.1", port: app.port, path: "/health", agent: false, headers: { "x-request-id": "caller-chosen-id-42" } },
        (response) => {
          response.resume();
          resolve(String(response.headers["x-request-id"]));
        },
      );
      request.on("error", reject);
      request.end();
    });
    expect(chosen).toBe("caller-chosen-id-42");

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const record of records) expect(record).toMatchObject({ service: "fieldsales-crm-api", level: expect.any(Number), time: expect.any(Number) });
    const requestLines = records.filter((record) => record.msg === "request");
    for (const id of [...requestIds, "caller-chosen-id-42"]) {
      expect(id).toMatch(/\S{8,}/);
      expect(requestLines.filter((record) => record.requestId === id)).toHaveLength(1);
    }
    expect(requestLines.find((record) => record.requestId === requestIds[3])).toMatchObject({ status: 401, path: "/graphql", method: "POST" });
  });

  it("never contain a token, a password or an Authorization header", () => {
    const all = lines.join("\n");
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [userToken, partnerToken, `${userToken}x`]) expect(all).not.toContain(secret);
    // any part of a token (its signature) is absent too
    expect(all).not.toContain(userToken.split(".")[2]!);
    expect(all).not.toMatch(/bearer/i);
    expect(all).not.toMatch(/"password"\s*:\s*"(?!\[redacted\])/);
    expect(all).not.toContain(`"${DEMO_PASSWORD}"`);
  });

  it("redact secrets even when code logs them by mistake", () => {
    const captured: string[] = [];
    const logger = createLogger("info", { write: (line: string) => void captured.push(line) });
    logger.info(
      { req: { headers: { authorization: "Bearer abc.def.ghi" } }, headers: { authorization: "Bearer jkl" }, variables: { password: "hunter2", input: { password: "p4ss" } }, token: "tok-123" },
      "oops",
    );
    const line = captured.join("");
    for (const secret of ["abc.def.ghi", "jkl", "hunter2", "p4ss", "tok-123"]) expect(line).not.toContain(secret);
    expect(line).toContain("[redacted]");
  });
});

describe("unexpected errors", () => {
  it("are logged with their cause and answered INTERNAL_SERVER_ERROR at their path, without details", async () => {
    const login = await post({
      query: `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
      variables: { email: "head.office@demo.test", password: DEMO_PASSWORD },
    });
    const token = login.body.data.login.token as string;
    // a real failure of the database under a resolver: the table it reads has gone
    await app.database.prisma.$executeRawUnsafe(`ALTER TABLE "PipelineStage" RENAME TO "PipelineStageAway"`);
    try {
      const before = lines.length;
      const answer = await post({ query: "{ me { email } pipelineStages { name } }" }, `Bearer ${token}`);
      expect(answer.status).toBe(200);
      expect(answer.body.data).toBeNull(); // pipelineStages is non-null: the error reaches the root
      expect(answer.body.errors).toEqual([{ message: "Internal server error", path: ["pipelineStages"], extensions: { code: "INTERNAL_SERVER_ERROR" } }]);
      const logged = lines.slice(before).map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string } });
      expect(logged.some((record) => record.level >= 50 && record.msg === "unexpected error" && /PipelineStage/.test(record.err?.message ?? ""))).toBe(true);
    } finally {
      await app.database.prisma.$executeRawUnsafe(`ALTER TABLE "PipelineStageAway" RENAME TO "PipelineStage"`);
    }
  });
});

describe("graceful shutdown", () => {
  it("signals belong to main's handler alone: the server installs none of its own", () => {
    // Apollo's handlers (on by default in production) raced main's: shutdown then never completed
    expect(signalListeners()).toBe(signalListenersBefore);
  });

  it("finishes an in-flight request while new connections are refused, then closes", async () => {
    const login = await post({
      query: `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
      variables: { email: "rep.lille@demo.test", password: DEMO_PASSWORD },
    });
    const token = login.body.data.login.token as string;

    // Hold the users table so that the next authenticated request is in flight for as long as we want.
    const usersTable = await holdUsersTable(app.database.prisma);
    const inFlight = post({ query: "{ me { email } }" }, `Bearer ${token}`);
    // a webhook pass waiting on the database at the same time must not keep the listener open
    const webhookPass = app.server.runWebhookPass().catch(() => null);
    // wait until the server holds the request's connection (earlier connections were closed: no keep-alive)
    const connections = () => new Promise<number>((resolve) => app.server.httpServer.getConnections((_error, count) => resolve(count)));
    for (let i = 0; i < 100 && (await connections()) < 1; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 200));

    let stoppedAt = 0;
    const stopping = app.shutdown("SIGTERM (test)").then(() => (stoppedAt = performance.now()));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(post({ query: "{ __typename }" })).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
    expect(stoppedAt).toBe(0); // still waiting for the in-flight request

    const releasedAt = performance.now();
    await usersTable.release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.data.me.email).toBe("rep.lille@demo.test");
    await stopping;
    await webhookPass;
    expect(stoppedAt).toBeGreaterThanOrEqual(releasedAt);
    expect(lines.some((line) => line.includes("shutting down"))).toBe(true);
  });
});
