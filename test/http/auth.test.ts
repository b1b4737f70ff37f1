import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../src/demo/demo-company.js";
import { graphql } from "../generated/gql.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";
import { signWith, unsignedToken } from "../support/tokens.js";

const Me = graphql(`
  query Me {
    me {
      id
      email
      role
      team { name }
    }
  }
`);

const Login = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      user { email role }
    }
  }
`);

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

describe("health and readiness", () => {
  it("answers /health and /ready on a migrated database", async () => {
    expect((await t.http.get("/health")).body).toEqual({ status: "ok" });
    const ready = await t.http.get("/ready");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true, database: "up", migrations: "applied" });
  });
});

describe("login", () => {
  it.each(DEMO_USERS.map((u) => [u.email, u.role] as const))("%s logs in with the demo password as %s", async (email, role) => {
    const response = await t.gql(Login, { email, password: "demo" });
    expect(response.errors).toBeUndefined();
    expect(response.data?.login.user).toEqual({ email, role });
    const me = await t.gql(Me, {}, response.data!.login.token);
    expect(me.data?.me.email).toBe(email);
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    const wrong = await t.gql(Login, { email: "rep.lille@demo.test", password: "nope" });
    const unknown = await t.gql(Login, { email: "nobody@demo.test", password: "demo" });
    expect(errorCodes(wrong)).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(unknown)).toEqual(["UNAUTHENTICATED"]);
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
  });

  it("answers me for the team of a rep", async () => {
    const me = await t.gql(Me, {}, await t.login("rep.lyon@demo.test"));
    expect(me.data?.me).toMatchObject({ role: "REP", team: { name: "South" } });
  });

  it("requires authentication for me", async () => {
    expect(errorCodes(await t.gql(Me, {}))).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("tokens that must be refused with UNAUTHENTICATED", () => {
  async function userId(email: string): Promise<string> {
    const user = await t.database.prisma.user.findUniqueOrThrow({ where: { email } });
    return user.id;
  }

  it.each([
    ["forged (wrong secret)", { secret: "another-secret-that-is-long-enough-0123456789" }],
    ["expired", { expiresIn: -60 }],
    ["for another audience", { audience: "another-api" }],
    ["from another issuer", { issuer: "someone-else" }],
    ["with an unknown key id", { kid: "rotated-away" }],
    ["of an unknown type", { typ: "admin" }],
  ] as const)("a %s token", async (_label, overrides) => {
    const token = signWith(t, t.clock.now, { sub: await userId("head.office@demo.test"), ...overrides });
    const response = await t.gql(Me, {}, token);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
    expect(response.data ?? null).toBeNull();
  });

  it("an alg:none token", async () => {
    const response = await t.gql(Me, {}, unsignedToken(t, await userId("head.office@demo.test")));
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
  });

  it("a token of a deactivated user", async () => {
    const id = await userId("rep.rouen@demo.test");
    const token = signWith(t, t.clock.now, { sub: id });
    expect(errorCodes(await t.gql(Me, {}, token))).toEqual([]);
    await t.database.prisma.user.update({ where: { id }, data: { active: false } });
    try {
      expect(errorCodes(await t.gql(Me, {}, token))).toEqual(["UNAUTHENTICATED"]);
    } finally {
      await t.database.prisma.user.update({ where: { id }, data: { active: true } });
    }
  });

  it("a malformed Authorization header", async () => {
    const response = await t.http.post("/graphql").set("authorization", "Basic abc").send({ query: "{ me { id } }" });
    expect(response.status).toBe(401);
    expect(response.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });
});

describe("token expiry on its instant", () => {
  /** The answer to `me` at `at` on the server's clock (restored afterwards). */
  async function meAt(at: Date, token: string) {
    const saved = t.clock.now;
    t.clock.now = at;
    try {
      return await t.gql(`{ me { email } }`, {}, token);
    } finally {
      t.clock.now = saved;
    }
  }

  it("a user token works until its lifetime ends (one second before) and not from that instant on", async () => {
    const issuedAt = t.clock.now;
    const token = signWith(t, issuedAt, { sub: (await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id, expiresIn: t.config.USER_TOKEN_TTL_SECONDS });
    const end = issuedAt.getTime() + t.config.USER_TOKEN_TTL_SECONDS * 1000;
    expect((await meAt(new Date(end - 1000), token)).data).toEqual({ me: { email: "rep.lyon@demo.test" } });
    expect(errorCodes(await meAt(new Date(end), token))).toEqual(["UNAUTHENTICATED"]);
  });

  it("an API token works until its expiresAt and not from that instant on", async () => {
    const expiresAt = new Date(t.clock.now.getTime() + 5 * 86_400_000);
    const issued = await t.gql<{ issueApiToken: { token: string } }, Record<string, unknown>>(
      `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
      { input: { kind: "SERVICE", name: "expiring", scopes: ["referential:read"], expiresAt: expiresAt.toISOString() } },
      await t.login("head.office@demo.test"),
    );
    const token = issued.data!.issueApiToken.token;
    const probe = async (at: Date) => {
      const saved = t.clock.now;
      t.clock.now = at;
      try {
        return errorCodes(await t.gql(`{ territories(first: 1) { totalCount } }`, {}, token));
      } finally {
        t.clock.now = saved;
      }
    };
    expect(await probe(new Date(expiresAt.getTime() - 1000))).toEqual([]);
    expect(await probe(expiresAt)).toEqual(["UNAUTHENTICATED"]);
  });
});
