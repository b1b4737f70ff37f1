// SPEC §4 workflow 5: a manager issues a partner token for one of the team's territories with
// `visits:write contacts:write` for 30 days → the partner lists and updates only those organisations and
// never reads amounts → the manager revokes the token → the next request is refused. Then the same
// revocation seen from a second instance on the same database, which follows within its cache time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.js";
import { createServer, type AppServer } from "../../src/app/server.js";
import { loadConfig } from "../../src/config/config.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import supertest from "supertest";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;

const DAY = new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), TODAY.getUTCDate()));
const DAY_MS = 86_400_000;
const inDays = (days: number) => new Date(TODAY.getTime() + days * DAY_MS).toISOString();
const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;
/** assignments in force today, written out here rather than taken from src/auth/row-scope.ts */
const inForce = { validFrom: { lte: DAY }, OR: [{ validTo: null }, { validTo: { gt: DAY } }] };

/** How long the second instance may keep a token's state (short, so that the test is quick). */
const CACHE_MS = 400;

let t: TestServer;
let territoryId: string;
let otherTeamTerritoryId: string;
let partnerToken: string;
let partnerTokenId: string;

const gql = (query: string, variables: Record<string, unknown>, token: string | undefined) =>
  t.gql<Data, Record<string, unknown>>(query, variables, token);

const ISSUE = `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token apiToken { id expiresAt scopes territories { id } } } }`;
const REVOKE = `mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { apiToken { id revokedAt } } }`;

const partnerInput = (territory: string, days: number) => ({
  kind: "PARTNER",
  name: `merchandising agency (${days} days)`,
  scopes: ["visits:write", "contacts:write"],
  territoryIds: [toGlobalId("Territory", territory)],
  expiresAt: inDays(days),
});

beforeAll(async () => {
  t = await startTestServer({ env: { TOKEN_STATE_CACHE_MS: String(CACHE_MS) } });
  const north = await t.database.prisma.team.findFirstOrThrow({ where: { manager: { email: "manager.north@demo.test" } } });
  // a territory of the North team that has organisations today, and one of another team
  const territories = await t.database.prisma.territory.findMany({ orderBy: { name: "asc" } });
  const withMembers = async (id: string) => (await t.database.prisma.organisationAssignment.count({ where: { ...inForce, territoryId: id } })) > 0;
  let found: string | undefined;
  for (const territory of territories.filter((x) => x.teamId === north.id)) if (!found && (await withMembers(territory.id))) found = territory.id;
  territoryId = found!;
  otherTeamTerritoryId = territories.find((x) => x.teamId && x.teamId !== north.id)!.id;
  expect(territoryId).toBeDefined();
});
afterAll(async () => t?.close());

describe("workflow 5: a partner token issued by a manager", () => {
  it("the manager issues a 30-day partner token on a team territory with visits:write contacts:write", async () => {
    const response = await gql(ISSUE, { input: partnerInput(territoryId, 30) }, await t.login("manager.north@demo.test"));
    expect(response.errors).toBeUndefined();
    const payload = response.data!.issueApiToken;
    expect(payload.apiToken.scopes.sort()).toEqual(["contacts:write", "visits:write"]);
    expect(payload.apiToken.territories).toEqual([{ id: toGlobalId("Territory", territoryId) }]);
    expect(payload.apiToken.expiresAt).toBe(inDays(30));
    partnerToken = payload.token;
    partnerTokenId = payload.apiToken.id;
    // stored as a hash only
    const stored = await t.database.prisma.apiToken.findUniqueOrThrow({ where: { id: uuidOf(partnerTokenId) } });
    expect(JSON.stringify(stored)).not.toContain(partnerToken);
  });

  it("a manager cannot issue a partner token for more than 90 days, nor on another team's territory", async () => {
    const manager = await t.login("manager.north@demo.test");
    const before = await t.database.prisma.apiToken.count();
    expect(errorCodes(await gql(ISSUE, { input: partnerInput(territoryId, 91) }, manager))).toEqual(["BAD_USER_INPUT"]);
    const noExpiry = { ...partnerInput(territoryId, 30), expiresAt: undefined };
    expect(errorCodes(await gql(ISSUE, { input: noExpiry }, manager))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(ISSUE, { input: partnerInput(otherTeamTerritoryId, 30) }, manager))).toEqual(["FORBIDDEN"]);
    expect(await t.database.prisma.apiToken.count()).toBe(before);
  });

  it("the partner lists exactly the organisations of the territory", async () => {
    const expected = (
      await t.database.prisma.organisation.findMany({
        where: { mergedIntoId: null, assignments: { some: { ...inForce, territoryId } } },
        select: { id: true },
      })
    ).map((o) => o.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    const response = await gql(`{ organisations(first: 200) { totalCount edges { node { id } } } }`, {}, partnerToken);
    expect(response.errors).toBeUndefined();
    expect(response.data!.organisations.totalCount).toBe(expected.length);
    expect(response.data!.organisations.edges.map((e: Data) => uuidOf(e.node.id)).sort()).toEqual(expected);
  });

  it("the partner updates a contact of one of those organisations (audited with the token's jti)", async () => {
    const contact = await t.database.prisma.contact.findFirstOrThrow({
      where: { organisation: { mergedIntoId: null, assignments: { some: { ...inForce, territoryId } } } },
      orderBy: { id: "asc" },
    });
    const response = await gql(
      `mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id jobTitle version } } }`,
      { input: { id: toGlobalId("Contact", contact.id), version: contact.version, jobTitle: "Chef de rayon (vu par l'agence)" } },
      partnerToken,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.updateContact.contact).toMatchObject({ jobTitle: "Chef de rayon (vu par l'agence)", version: contact.version + 1 });
    const token = await t.database.prisma.apiToken.findUniqueOrThrow({ where: { id: uuidOf(partnerTokenId) } });
    const audit = await t.database.prisma.auditEvent.findFirst({ where: { entityId: contact.id, tokenJti: token.jti } });
    expect(audit).not.toBeNull();
  });

  it("outside the territory: NOT_FOUND for reads and writes, exactly like a missing id", async () => {
    const outside = await t.database.prisma.organisation.findFirstOrThrow({
      where: { mergedIntoId: null, NOT: { assignments: { some: { ...inForce, territoryId } } } },
      orderBy: { name: "asc" },
    });
    const read = await gql(`query($id: ID!) { organisation(id: $id) { name } }`, { id: toGlobalId("Organisation", outside.id) }, partnerToken);
    expect(errorCodes(read)).toEqual(["NOT_FOUND"]);
    const viaNode = await gql(`query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId("Organisation", outside.id) }, partnerToken);
    expect(errorCodes(viaNode)).toEqual(["NOT_FOUND"]);
    const contact = await t.database.prisma.contact.findFirstOrThrow({ where: { organisationId: outside.id } });
    const write = await gql(
      `mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } } }`,
      { input: { id: toGlobalId("Contact", contact.id), version: contact.version, jobTitle: "x" } },
      partnerToken,
    );
    expect(errorCodes(write)).toEqual(["NOT_FOUND"]);
    expect((await t.database.prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).jobTitle).toBe(contact.jobTitle);
  });

  it("the partner never reads amounts: opportunities, orders and revenue are FORBIDDEN", async () => {
    const opportunities = await gql(`{ opportunities(first: 5) { edges { node { amount weightedAmount } } } }`, {}, partnerToken);
    expect(errorCodes(opportunities)).toEqual(["FORBIDDEN"]);
    expect(opportunities.data ?? null).toBeNull();

    const organisation = await gql(`{ organisations(first: 3) { edges { node { id opportunities(first: 5) { edges { node { amount } } } } } } }`, {}, partnerToken);
    expect(new Set(errorCodes(organisation))).toEqual(new Set(["FORBIDDEN"]));
    expect(JSON.stringify(organisation.data ?? null)).not.toContain("amount");

    const dashboard = await gql(`{ activityDashboard { invoicedRevenue { value } } }`, {}, partnerToken);
    expect(errorCodes(dashboard).length).toBeGreaterThan(0);
    expect(dashboard.data?.activityDashboard ?? null).toBeNull();
  });

  it("the manager revokes the token: the partner's next request is UNAUTHENTICATED", async () => {
    const before = await gql(`{ organisations(first: 1) { totalCount } }`, {}, partnerToken);
    expect(before.errors).toBeUndefined();
    const revoked = await gql(REVOKE, { input: { id: partnerTokenId } }, await t.login("manager.north@demo.test"));
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revokeApiToken.apiToken.revokedAt).not.toBeNull();
    const after = await gql(`{ organisations(first: 1) { totalCount } }`, {}, partnerToken);
    expect(after.status).toBe(401);
    expect(errorCodes(after)).toEqual(["UNAUTHENTICATED"]);
    expect(after.data ?? null).toBeNull();
  });
});

describe("revocation reaches every instance within the token-state cache time", () => {
  let second: AppServer;
  afterAll(async () => second?.stop());

  it("a second server on the same database refuses the token within TOKEN_STATE_CACHE_MS", async () => {
    const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", TOKEN_STATE_CACHE_MS: String(CACHE_MS) });
    second = await createServer({ config, database: t.database, logger: createLogger("silent"), keyRing: t.keyRing, clock: () => t.clock.now });
    const onSecond = (token: string) =>
      supertest(second.app).post("/graphql").set("authorization", `Bearer ${token}`).send({ query: "{ organisations(first: 1) { totalCount } }" });

    const issued = await gql(ISSUE, { input: partnerInput(territoryId, 30) }, await t.login("manager.north@demo.test"));
    const { token, apiToken } = issued.data!.issueApiToken;
    // the second instance reads the token's state now and keeps it for CACHE_MS
    expect((await onSecond(token)).status).toBe(200);

    const revoked = await gql(REVOKE, { input: { id: apiToken.id } }, await t.login("head.office@demo.test"));
    expect(revoked.errors).toBeUndefined();
    const revokedAt = performance.now();
    // the first instance forgets at once
    expect(errorCodes(await gql(`{ organisations(first: 1) { totalCount } }`, {}, token))).toEqual(["UNAUTHENTICATED"]);

    // the second instance read the token's state before the revocation; once that reading is older than
    // the cache time, its very next request reads the database again and refuses the token
    await new Promise((resolve) => setTimeout(resolve, CACHE_MS + 50));
    const afterCacheTime = await onSecond(token);
    expect(afterCacheTime.status).toBe(401);
    expect(afterCacheTime.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(performance.now() - revokedAt).toBeLessThan(CACHE_MS + 5_000);
  });
});
