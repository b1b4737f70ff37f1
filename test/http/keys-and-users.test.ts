// Secure defaults (SPEC §8) and users administration: no signing key in the source (each installation
// generates its own, kept with its data), production refuses weak or former-default keys and gets no demo
// accounts unless asked, the admin command creates the first head-office user, head office administers
// users, a deactivated user's token is refused at once. Runs the real startApp (and the built entry point
// and admin command as child processes) on fresh databases: PGlite in temporary folders, or new
// databases on the PostgreSQL server of TEST_DATABASE_URL.
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import jwt from "jsonwebtoken";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.js";
import { INSTALLATION_KEY_FILE } from "../../src/auth/installation-key.js";
import { loadConfig } from "../../src/config/config.js";
import { PROJECT_ROOT } from "../../src/config/paths.js";
import { DEMO_PASSWORD } from "../../src/demo/demo-company.js";
import { insertUser } from "../../src/modules/users/user.admin.js";
import { startApp, type RunningApp } from "../../src/app/start.js";
import { principalTokens } from "../support/principals.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";
import { createScratchDatabase } from "../support/database.js";

const adminUrl = process.env.TEST_DATABASE_URL;
const OLD_DEV_KEY = "dev-only-insecure-signing-key-change-me-0123456789";
const STRONG_KEYS = () => `prod:${randomBytes(48).toString("base64url")}`;
const run = promisify(execFile);

// ───────────── Installations: a fresh database each, and the real start-up ─────────────

interface Installation {
  env: Record<string, string>;
  dataDir: string | null;
  drop(): Promise<void>;
}

const installations: Installation[] = [];

async function freshInstallation(env: Record<string, string>): Promise<Installation> {
  const base = { LOG_LEVEL: "warn", PORT: "0", TOKEN_STATE_CACHE_MS: "0", ...env };
  let installation: Installation;
  if (adminUrl) {
    const scratch = await createScratchDatabase(adminUrl, "crm_test_keys");
    installation = { env: { ...base, DATABASE_URL: scratch.url }, dataDir: null, drop: scratch.drop };
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), "crm-keys-"));
    const dataDir = path.join(dir, "data");
    installation = { env: { ...base, DATA_DIR: dataDir }, dataDir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  installations.push(installation);
  return installation;
}

interface Started {
  app: RunningApp;
  http: ReturnType<typeof supertest>;
  logs: string[];
}

const running: RunningApp[] = [];

async function start(installation: Installation): Promise<Started> {
  const logs: string[] = [];
  const app = await startApp(loadConfig(installation.env), createLogger("warn", { write: (line: string) => void logs.push(line) }));
  running.push(app);
  return { app, http: supertest(app.server.app), logs };
}

async function stop(started: Started): Promise<void> {
  await started.app.shutdown("test");
  running.splice(running.indexOf(started.app), 1);
}

afterAll(async () => {
  await Promise.all(running.map((app) => app.shutdown("test end")));
  for (const installation of installations) await installation.drop();
});

const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token user { email role } } }`;
const ME = `{ me { email role } }`;

async function post(http: ReturnType<typeof supertest>, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const request = http.post("/graphql").set("content-type", "application/json");
  if (token) request.set("authorization", `Bearer ${token}`);
  const response = await request.send({ query, variables });
  return { status: response.status, data: response.body.data, errors: response.body.errors as { extensions?: { code?: string } }[] | undefined };
}

async function loginOn(http: ReturnType<typeof supertest>, email: string, password: string): Promise<string> {
  const response = await post(http, LOGIN, { email, password });
  if (!response.data?.login) throw new Error(`login failed for ${email}: ${JSON.stringify(response.errors)}`);
  return response.data.login.token as string;
}

/** A token as the server would sign it, but with the given secret (and kid). */
function forged(secret: string, kid: string, sub: string): string {
  return jwt.sign({ typ: "user" }, secret, { algorithm: "HS256", keyid: kid, audience: "fieldsales-crm-api", issuer: "fieldsales-crm", subject: sub, expiresIn: 3600 });
}

const FIRST = { email: "first@corp.test", name: "First User", role: "HEAD_OFFICE" as const, teamId: null, password: "correct horse battery" };

// ───────────── Keys ─────────────

describe("without JWT_KEYS each installation signs with its own generated key", () => {
  let one: Installation;
  let a: Started;
  let tokenA: string;
  let userIdA: string;

  beforeAll(async () => {
    one = await freshInstallation({ NODE_ENV: "development", SEED_DEMO: "never" });
    a = await start(one);
    userIdA = (await insertUser(a.app.database.prisma, FIRST, { actorId: null, tokenJti: null })).id;
    tokenA = await loginOn(a.http, FIRST.email, FIRST.password);
  });

  it("says so in a warning at start-up", () => {
    const warning = a.logs.map((line) => JSON.parse(line)).find((entry) => /JWT_KEYS is not set/.test(entry.msg));
    expect(warning?.level).toBe(40);
    expect(warning?.msg).toContain("no other installation accepts them");
  });

  it("keeps the key beside the data: a file of mode 0600 in DATA_DIR, or a row in the PostgreSQL database", async () => {
    if (one.dataDir) {
      expect(statSync(path.join(one.dataDir, INSTALLATION_KEY_FILE)).mode & 0o777).toBe(0o600);
    } else {
      const rows = await a.app.database.prisma.installationSecret.findMany();
      expect(rows.map((row) => row.name)).toEqual(["jwt-signing-key"]);
      expect(Buffer.byteLength(rows[0]!.value)).toBeGreaterThanOrEqual(32);
    }
  });

  it("refuses a token signed with the former development key (401)", async () => {
    expect((await post(a.http, ME, {}, tokenA)).data?.me).toEqual({ email: FIRST.email, role: "HEAD_OFFICE" });
    for (const kid of ["dev", "installation"]) {
      const response = await post(a.http, ME, {}, forged(OLD_DEV_KEY, kid, userIdA));
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
    }
  });

  it("issues tokens another fresh installation refuses, both ways", async () => {
    const b = await start(await freshInstallation({ NODE_ENV: "development", SEED_DEMO: "never" }));
    await insertUser(b.app.database.prisma, FIRST, { actorId: null, tokenJti: null });
    const tokenB = await loginOn(b.http, FIRST.email, FIRST.password);
    expect((await post(b.http, ME, {}, tokenB)).data?.me.email).toBe(FIRST.email);
    expect((await post(b.http, ME, {}, tokenA)).status).toBe(401);
    expect((await post(a.http, ME, {}, tokenB)).status).toBe(401);
    await stop(b);
  });

  it("keeps tokens valid across a restart on the same data", async () => {
    await stop(a);
    a = await start(one);
    expect((await post(a.http, ME, {}, tokenA)).data?.me).toEqual({ email: FIRST.email, role: "HEAD_OFFICE" });
  });
});

// ───────────── Production ─────────────

describe("in production", () => {
  beforeAll(async () => {
    // the entry point and the admin command run as built
    await run("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: PROJECT_ROOT });
  });

  async function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(PROJECT_ROOT, "dist/src/main.js")], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
  }

  it("refuses to start with a short key, a former default key, or none, and says why", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /JWT_KEYS is required when NODE_ENV=production/],
      [{ JWT_KEYS: "prod:too-short-secret" }, /JWT_KEYS: the secret of kid "prod" must be at least 32 bytes/],
      [{ JWT_KEYS: `dev:${OLD_DEV_KEY}` }, /JWT_KEYS: the secret of kid "dev" is a former default published in this project's history/],
    ];
    for (const [env, message] of cases) {
      const result = await runMain({ NODE_ENV: "production", PORT: "0", DATA_DIR: path.join(os.tmpdir(), "crm-never-opened"), ...env });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
    }
  });

  it("an empty database gets no demo account", async () => {
    const started = await start(await freshInstallation({ NODE_ENV: "production", JWT_KEYS: STRONG_KEYS() }));
    expect(await started.app.database.prisma.user.count()).toBe(0);
    const response = await post(started.http, LOGIN, { email: "head.office@demo.test", password: DEMO_PASSWORD });
    expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
    await stop(started);
  });

  it("SEED_DEMO=always loads the demo company, with a loud warning", async () => {
    const started = await start(await freshInstallation({ NODE_ENV: "production", JWT_KEYS: STRONG_KEYS(), SEED_DEMO: "always" }));
    expect(started.logs.some((line) => /SEED_DEMO=always/.test(line) && JSON.parse(line).level === 40)).toBe(true);
    const response = await post(started.http, LOGIN, { email: "head.office@demo.test", password: DEMO_PASSWORD });
    expect(response.data?.login.user).toEqual({ email: "head.office@demo.test", role: "HEAD_OFFICE" });
    await stop(started);
  });

  it("users:create gives a fresh production database its first head-office user, who logs in", async () => {
    const installation = await freshInstallation({ NODE_ENV: "production", JWT_KEYS: STRONG_KEYS() });
    const script = path.join(PROJECT_ROOT, "dist/scripts/users-create.js");
    const env = { PATH: process.env.PATH ?? "", ...installation.env };
    const runScript = (args: string[], input: string | null) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [script, ...args], { env, stdio: [input === null ? "ignore" : "pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
        if (input !== null) child.stdin!.end(input);
      });
    // the password piped on stdin
    const piped = await runScript(["--email", "Ada@Corp.test", "--role", "HEAD_OFFICE", "--name", "Ada Lovelace"], "a long enough passphrase\n");
    expect(piped).toMatchObject({ code: 0, stderr: "" });
    expect(piped.stdout).toMatch(/^created HEAD_OFFICE ada@corp\.test \(/);
    // no input: a one-time password is generated and printed once
    const generated = await runScript(["--email", "steward@corp.test", "--role", "DATA_STEWARD"], null);
    expect(generated.code).toBe(0);
    const oneTime = /one-time password \(shown once; change it with changePassword\): (\S+)/.exec(generated.stdout)?.[1];
    expect(oneTime).toBeDefined();
    // refused: a short password, an email already used, an unknown role
    expect(await runScript(["--email", "x@corp.test", "--role", "REP"], "short")).toMatchObject({ code: 1, stderr: expect.stringContaining("password must be at least 12 characters") });
    expect(await runScript(["--email", "ada@corp.test", "--role", "REP"], "another long passphrase")).toMatchObject({ code: 1, stderr: expect.stringContaining("email is already used") });
    expect(await runScript(["--email", "y@corp.test", "--role", "KING"], "another long passphrase")).toMatchObject({ code: 1, stderr: expect.stringContaining("role") });

    const started = await start(installation);
    const login = await post(started.http, LOGIN, { email: "ada@corp.test", password: "a long enough passphrase" });
    expect(login.data?.login.user).toEqual({ email: "ada@corp.test", role: "HEAD_OFFICE" });
    const steward = await post(started.http, LOGIN, { email: "steward@corp.test", password: oneTime });
    expect(steward.data?.login.user).toEqual({ email: "steward@corp.test", role: "DATA_STEWARD" });
    expect(await started.app.database.prisma.user.count({ where: { email: { endsWith: "@demo.test" } } })).toBe(0);
    await stop(started);
  }, 300_000); // six processes, each opening the database
});

// ───────────── Users administration ─────────────

const USER_FIELDS = `id email name role active version team { name }`;
const CREATE = `mutation($input: CreateUserInput!) { createUser(input: $input) { user { ${USER_FIELDS} } } }`;
const UPDATE = `mutation($input: UpdateUserInput!) { updateUser(input: $input) { user { ${USER_FIELDS} } } }`;
const DEACTIVATE = `mutation($input: UserVersionInput!) { deactivateUser(input: $input) { user { ${USER_FIELDS} } } }`;
const REACTIVATE = `mutation($input: UserVersionInput!) { reactivateUser(input: $input) { user { ${USER_FIELDS} } } }`;
const SET_MANAGER = `mutation($input: SetTeamManagerInput!) { setTeamManager(input: $input) { team { name manager { email } } } }`;
const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { user { email } } }`;
const USERS = `query($filter: UserFilter) { users(first: 50, filter: $filter) { totalCount edges { node { email role active } } } }`;

describe("head office administers users; nobody else may", () => {
  let t: TestServer;
  let ho: string;
  let teams: { id: string; name: string }[];

  beforeAll(async () => {
    t = await startTestServer();
    ho = await t.login("head.office@demo.test");
    teams = (await t.gql<{ teams: { id: string; name: string }[] }, object>(`{ teams { id name } }`, {}, ho)).data!.teams;
  });
  afterAll(() => t?.close());

  const north = () => teams.find((team) => team.name === "North")!.id;

  it("creates, changes, deactivates and reactivates a user, with exact results", async () => {
    const created = await t.gql(CREATE, { input: { email: " New.Rep@Corp.test ", name: "Nina Nouvelle", role: "REP", teamId: north(), password: "twelve chars ok" } }, ho);
    expect(created.errors).toBeUndefined();
    const user = (created.data as { createUser: { user: { id: string } } }).createUser.user;
    expect(user).toEqual({ id: user.id, email: "new.rep@corp.test", name: "Nina Nouvelle", role: "REP", active: true, version: 1, team: { name: "North" } });

    const updated = await t.gql(UPDATE, { input: { id: user.id, version: 1, role: "MANAGER", teamId: null, name: "Nina Manager" } }, ho);
    expect((updated.data as { updateUser: unknown }).updateUser).toEqual({
      user: { id: user.id, email: "new.rep@corp.test", name: "Nina Manager", role: "MANAGER", active: true, version: 2, team: null },
    });
    const stale = await t.gql(UPDATE, { input: { id: user.id, version: 1, name: "Late" } }, ho);
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);

    const deactivated = await t.gql(DEACTIVATE, { input: { id: user.id, version: 2 } }, ho);
    expect((deactivated.data as { deactivateUser: { user: unknown } }).deactivateUser.user).toMatchObject({ active: false, version: 3 });
    const listed = await t.gql(USERS, { filter: { active: false } }, ho);
    expect((listed.data as { users: { edges: { node: { email: string } }[] } }).users.edges.map((edge) => edge.node.email)).toEqual(["new.rep@corp.test"]);
    const reactivated = await t.gql(REACTIVATE, { input: { id: user.id, version: 3 } }, ho);
    expect((reactivated.data as { reactivateUser: { user: unknown } }).reactivateUser.user).toMatchObject({ active: true, version: 4 });

    const managerOfNorth = await t.gql(SET_MANAGER, { input: { teamId: north(), managerId: user.id } }, ho);
    expect((managerOfNorth.data as { setTeamManager: unknown }).setTeamManager).toEqual({ team: { name: "North", manager: { email: "new.rep@corp.test" } } });
    // a manager in charge of a team keeps the role until the team has another one
    const demote = await t.gql(UPDATE, { input: { id: user.id, version: 4, role: "REP" } }, ho);
    expect(errorCodes(demote)).toEqual(["BAD_USER_INPUT"]);
    const manager = (await t.gql<{ users: { edges: { node: { email: string } }[] } }, object>(`{ users(filter: { text: "manager.north" }) { edges { node { id email } } } }`, {}, ho)).data!.users.edges[0]!.node as { id?: string };
    await t.gql(SET_MANAGER, { input: { teamId: north(), managerId: manager.id } }, ho);
  });

  it("refuses bad input naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ email: "not-an-email", name: "X", role: "REP", password: "twelve chars ok" }, "email"],
      [{ email: "head.office@demo.test", name: "X", role: "REP", password: "twelve chars ok" }, "email"],
      [{ email: "short@corp.test", name: "X", role: "REP", password: "short" }, "password"],
    ];
    for (const [input, field] of cases) {
      const response = await t.gql(CREATE, { input }, ho);
      expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(JSON.stringify(response.errors)).toContain(`"field":"${field}"`);
    }
  });

  it("is FORBIDDEN to reps, managers, data stewards, partner and service tokens", async () => {
    const organisation = (await t.gql<{ organisations: { edges: { node: { id: string } }[] } }, object>(`{ organisations(first: 1) { edges { node { id } } } }`, {}, ho)).data!.organisations.edges[0]!.node.id;
    const tokens = await principalTokens(t, {
      rep: { login: "rep.lille@demo.test" },
      manager: { login: "manager.north@demo.test" },
      steward: { login: "data.steward@demo.test" },
      partner: { partner: ["visits:write"], organisationIds: [organisation] },
      service: { service: ["referential:read"] },
    });
    const someone = (await t.gql<{ users: { edges: { node: { id: string } }[] } }, object>(`{ users(filter: { text: "rep.rouen" }) { edges { node { id } } } }`, {}, ho)).data!.users.edges[0]!.node.id;
    const operations: [string, Record<string, unknown>][] = [
      [CREATE, { input: { email: "intruder@corp.test", name: "I", role: "HEAD_OFFICE", password: "twelve chars ok" } }],
      [UPDATE, { input: { id: someone, version: 1, role: "HEAD_OFFICE" } }],
      [DEACTIVATE, { input: { id: someone, version: 1 } }],
      [REACTIVATE, { input: { id: someone, version: 1 } }],
      [SET_MANAGER, { input: { teamId: north(), managerId: null } }],
      [USERS, {}],
      [`query($id: ID!) { user(id: $id) { email } }`, { id: someone }],
      [`{ teams { name } }`, {}],
    ];
    for (const [label, token] of tokens) {
      for (const [query, variables] of operations) {
        const response = await t.gql(query, variables, token);
        expect([label, errorCodes(response)]).toEqual([label, ["FORBIDDEN"]]);
      }
    }
    // tokens have no password to change
    expect(errorCodes(await t.gql(CHANGE_PASSWORD, { input: { currentPassword: "x", newPassword: "twelve chars ok" } }, tokens.get("service")))).toEqual(["FORBIDDEN"]);
    expect(await t.database.prisma.user.count({ where: { email: "intruder@corp.test" } })).toBe(0);
  });

  it("refuses a deactivated user's existing token at once", async () => {
    const created = await t.gql(CREATE, { input: { email: "leaving@corp.test", name: "Leo Leaving", role: "REP", teamId: north(), password: "twelve chars ok" } }, ho);
    const id = (created.data as { createUser: { user: { id: string } } }).createUser.user.id;
    const token = await loginWith(t, "leaving@corp.test", "twelve chars ok");
    expect((await t.gql(ME, {}, token)).data).toEqual({ me: { email: "leaving@corp.test", role: "REP" } });
    await t.gql(DEACTIVATE, { input: { id, version: 1 } }, ho);
    const refused = await t.gql(ME, {}, token);
    expect(refused.status).toBe(401);
    expect(errorCodes(refused)).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await t.gql(LOGIN, { email: "leaving@corp.test", password: "twelve chars ok" }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("lets a user change their own password, the current one required", async () => {
    await t.gql(CREATE, { input: { email: "changer@corp.test", name: "Chloé Change", role: "DATA_STEWARD", password: "first password" } }, ho);
    const token = await loginWith(t, "changer@corp.test", "first password");
    const wrong = await t.gql(CHANGE_PASSWORD, { input: { currentPassword: "not my password", newPassword: "second password" } }, token);
    expect(errorCodes(wrong)).toEqual(["BAD_USER_INPUT"]);
    expect(JSON.stringify(wrong.errors)).toContain(`"field":"currentPassword"`);
    expect(errorCodes(await t.gql(CHANGE_PASSWORD, { input: { currentPassword: "first password", newPassword: "short" } }, token))).toEqual(["BAD_USER_INPUT"]);
    const otherSession = await loginWith(t, "changer@corp.test", "first password");
    t.clock.now = new Date(t.clock.now.getTime() + 1);
    const changed = await t.gql(CHANGE_PASSWORD, { input: { currentPassword: "first password", newPassword: "second password" } }, token);
    expect(changed.data).toEqual({ changePassword: { user: { email: "changer@corp.test" } } });
    // every session opened with the old password has ended, this one too
    for (const old of [token, otherSession]) {
      const refused = await t.gql(ME, {}, old);
      expect(refused.status).toBe(401);
      expect(errorCodes(refused)).toEqual(["UNAUTHENTICATED"]);
    }
    expect(errorCodes(await t.gql(LOGIN, { email: "changer@corp.test", password: "first password" }))).toEqual(["UNAUTHENTICATED"]);
    t.clock.now = new Date(t.clock.now.getTime() + 1);
    const fresh = await loginWith(t, "changer@corp.test", "second password");
    expect((await t.gql(ME, {}, fresh)).data).toEqual({ me: { email: "changer@corp.test", role: "DATA_STEWARD" } });
  });
});

async function loginWith(t: TestServer, email: string, password: string): Promise<string> {
  const response = await t.gql<{ login: { token: string } }, object>(LOGIN, { email, password });
  if (!response.data?.login) throw new Error(JSON.stringify(response.errors));
  return response.data.login.token;
}
