// Starts the real server (real schema, real rules, real database) for one test file.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import supertest from "supertest";
import { prepareDatabase } from "../../src/app/bootstrap.js";
import { createLogger } from "../../src/app/logger.js";
import { createServer, type AppServer } from "../../src/app/server.js";
import { resolveKeyRing } from "../../src/auth/installation-key.js";
import { loadConfig, type Config, type JwtKeyRing } from "../../src/config/config.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { DEMO_PASSWORD } from "../../src/demo/demo-company.js";
import { openTestDatabase, migrateTestDatabase } from "./database.js";

export interface GraphQLResponse<T> {
  status: number;
  data: T | null | undefined;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
  headers: Record<string, string>;
  statements: number;
  /** the statements' shapes (verb and tables), when the test records statement texts (recordStatementText) */
  statementShapes: string[];
}

export interface TestServer {
  server: AppServer;
  database: Database;
  config: Config;
  /** the keys the server signs with (without JWT_KEYS: the test database's generated key) */
  keyRing: JwtKeyRing;
  clock: { now: Date };
  http: ReturnType<typeof supertest>;
  gql<T, V>(document: TypedDocumentNode<T, V> | string, variables?: V, token?: string): Promise<GraphQLResponse<T>>;
  login(email: string): Promise<string>;
  close(): Promise<void>;
}

export const TODAY = new Date("2026-11-15T10:00:00Z");

export async function startTestServer(
  options: { env?: Record<string, string>; seedDemo?: boolean; now?: Date; replicaUrls?: (databaseUrl: string) => string[] } = {},
): Promise<TestServer> {
  // the webhook loop is off: a test runs worker passes itself (server.runWebhookPass)
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", TOKEN_STATE_CACHE_MS: "0", CONFIGURATION_CACHE_MS: "0", WEBHOOK_WORKER: "off", ...options.env });
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openTestDatabase({ replicaUrls: options.replicaUrls, maxReplicaLagMs: config.REPLICA_MAX_LAG_MS });
  const clock = { now: options.now ?? TODAY };
  await migrateTestDatabase(database);
  await prepareDatabase(database, { seedDemo: options.seedDemo ?? true, logger, today: clock.now });
  const { keyRing } = await resolveKeyRing(config, database);
  const server = await createServer({ config, database, logger, keyRing, clock: () => clock.now });
  const http = supertest(server.app);
  const tokens = new Map<string, string>();

  async function gql<T, V>(document: TypedDocumentNode<T, V> | string, variables?: V, token?: string): Promise<GraphQLResponse<T>> {
    const query = typeof document === "string" ? document : print(document);
    const request = http.post("/graphql").set("content-type", "application/json");
    if (token) request.set("authorization", `Bearer ${token}`);
    const response = await request.send({ query, variables });
    return {
      status: response.status,
      data: response.body.data,
      errors: response.body.errors,
      headers: response.headers as Record<string, string>,
      statements: Number(response.headers["x-sql-statements"] ?? NaN),
      statementShapes: JSON.parse(response.headers["x-sql-statement-shapes"] ?? "[]") as string[],
    };
  }

  /** A session per user and clock reading: a test that moves the clock past the token's lifetime logs in again. */
  async function login(email: string): Promise<string> {
    const key = `${email}@${clock.now.getTime()}`;
    const cached = tokens.get(key);
    if (cached) return cached;
    const response = await gql(`mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`, {
      email,
      password: DEMO_PASSWORD,
    });
    const token = (response.data as { login?: { token: string } } | null)?.login?.token;
    if (!token) throw new Error(`login failed for ${email}: ${JSON.stringify(response.errors)}`);
    tokens.set(key, token);
    return token;
  }

  return {
    server,
    database,
    config,
    keyRing,
    clock,
    http,
    gql,
    login,
    async close() {
      await server.stop();
      await (database as Database & { drop(): Promise<void> }).drop();
    },
  };
}

export interface SecondInstance {
  server: AppServer;
  close(): Promise<void>;
}

/** Another server on the same PostgreSQL database as `t` (several instances), on the same clock and keys. */
export async function startSecondInstance(t: TestServer): Promise<SecondInstance> {
  const target = t.database.target;
  if (target.kind !== "server") throw new Error("a second instance needs a PostgreSQL server database (TEST_DATABASE_URL)");
  const database = await openDatabase({ ...target, poolSize: 5 });
  const server = await createServer({ config: t.config, database, logger: createLogger(t.config.LOG_LEVEL), keyRing: t.keyRing, clock: () => t.clock.now });
  return {
    server,
    async close() {
      await server.stop();
      await database.close();
    },
  };
}

export function errorCodes(response: { errors?: { extensions?: { code?: string } }[] }): (string | undefined)[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}
