// Delegation: a token never grants rows or scopes its issuer cannot read or write. A manager's partner token
// stays inside the manager's own sight (team territories whose organisations the team's reps are in charge
// of, organisations the manager reads, scopes a manager holds); head office may issue any token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;

const DAY = new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), TODAY.getUTCDate()));
const DAY_MS = 86_400_000;
const inDays = (days: number) => new Date(TODAY.getTime() + days * DAY_MS).toISOString();
/** rows in force today, written out here rather than taken from src/auth */
const inForce = { validFrom: { lte: DAY }, OR: [{ validTo: null }, { validTo: { gt: DAY } }] };

const ISSUE = `mutation($input: IssueApiTokenInput!) {
  issueApiToken(input: $input) { token apiToken { id kind scopes expiresAt organisationIds territories { id name } } }
}`;

let t: TestServer;
const territoryId = new Map<string, string>();

const issue = async (email: string, input: Record<string, unknown>) => t.gql<Data, Record<string, unknown>>(ISSUE, { input }, await t.login(email));

const partner = (territories: string[], scopes: string[], organisationIds: string[] = []) => ({
  kind: "PARTNER",
  name: `agency ${territories.join("+")} ${scopes.join(" ")}`,
  scopes,
  territoryIds: territories.map((name) => toGlobalId("Territory", territoryId.get(name)!)),
  organisationIds: organisationIds.map((id) => toGlobalId("Organisation", id)),
  expiresAt: inDays(30),
});

/** Refused with `code`, a message naming `named`, and no token written. */
async function expectRefused(email: string, input: Record<string, unknown>, code: string, named: string) {
  const before = await t.database.prisma.apiToken.count();
  const response = await issue(email, input);
  expect(errorCodes(response)).toEqual([code]);
  expect(response.errors![0]!.message).toContain(named);
  expect(response.data?.issueApiToken ?? null).toBeNull();
  expect(await t.database.prisma.apiToken.count()).toBe(before);
}

/** Organisations a rep of the manager's team is in charge of today. */
const teamPortfolio = async (managerEmail: string) => {
  const manager = await t.database.prisma.user.findUniqueOrThrow({ where: { email: managerEmail }, include: { managedTeam: true } });
  return { assignments: { some: { ...inForce, rep: { teamId: manager.managedTeam!.id, role: "REP" as const } } } };
};

beforeAll(async () => {
  t = await startTestServer();
  for (const territory of await t.database.prisma.territory.findMany()) territoryId.set(territory.name, territory.id);
});
afterAll(async () => t?.close());

describe("a manager delegates only what they see", () => {
  it("fixtures: Grand Est is a North territory with no rep, whose organisations no North rep is in charge of", async () => {
    const grandEst = await t.database.prisma.territory.findUniqueOrThrow({ where: { name: "Grand Est" }, include: { team: { include: { manager: true } } } });
    expect(grandEst.team?.manager?.email).toBe("manager.north@demo.test");
    expect(await t.database.prisma.territoryAssignment.count({ where: { territoryId: grandEst.id, ...inForce } })).toBe(0);
    const members = { territoryMemberships: { some: { territoryId: grandEst.id, ...inForce } } };
    expect(await t.database.prisma.organisation.count({ where: members })).toBeGreaterThan(0);
    expect(await t.database.prisma.organisation.count({ where: { AND: [members, await teamPortfolio("manager.north@demo.test")] } })).toBe(0);
  });

  it("own team's territory with a rep: allowed, and the token carries exactly the restriction asked for", async () => {
    const response = await issue("manager.north@demo.test", partner(["Normandie"], ["visits:write", "contacts:write"]));
    expect(response.errors).toBeUndefined();
    const { apiToken, token } = response.data!.issueApiToken;
    expect(apiToken).toMatchObject({
      kind: "PARTNER",
      organisationIds: [],
      territories: [{ id: toGlobalId("Territory", territoryId.get("Normandie")!), name: "Normandie" }],
      expiresAt: inDays(30),
    });
    expect([...apiToken.scopes].sort()).toEqual(["contacts:write", "visits:write"]);
    // what the partner reads is inside what the manager reads: the territory's members, all in the team's portfolio
    const members = { mergedIntoId: null, territoryMemberships: { some: { territoryId: territoryId.get("Normandie")!, ...inForce } } };
    const memberCount = await t.database.prisma.organisation.count({ where: members });
    expect(memberCount).toBeGreaterThan(0);
    expect(await t.database.prisma.organisation.count({ where: { AND: [members, await teamPortfolio("manager.north@demo.test")] } })).toBe(memberCount);
    const listed = await t.gql<Data, Record<string, unknown>>(`{ organisations { totalCount } }`, {}, token);
    expect(listed.data!.organisations.totalCount).toBe(memberCount);
  });

  it("own team's territory without a rep, whose organisations are out of the manager's sight: FORBIDDEN naming it", async () => {
    await expectRefused("manager.north@demo.test", partner(["Grand Est"], ["visits:write"]), "FORBIDDEN", "Grand Est");
    // one such territory among allowed ones refuses the whole token
    await expectRefused("manager.north@demo.test", partner(["Normandie", "Grand Est"], ["visits:write"]), "FORBIDDEN", "Grand Est");
  });

  it("another team's territory: FORBIDDEN naming it", async () => {
    await expectRefused("manager.north@demo.test", partner(["Auvergne-Rhône-Alpes"], ["visits:write"]), "FORBIDDEN", "Auvergne-Rhône-Alpes");
    await expectRefused("manager.south@demo.test", partner(["Normandie"], ["visits:write"]), "FORBIDDEN", "Normandie");
  });

  it.each(["export:read", "referential:read", "orders:import"])("a scope the manager lacks (%s): FORBIDDEN naming it", async (lacking) => {
    await expectRefused("manager.north@demo.test", partner(["Normandie"], ["visits:write", lacking]), "FORBIDDEN", lacking);
  });

  it("an explicit organisation out of the manager's sight: NOT_FOUND naming it, like any row out of scope", async () => {
    const outside = await t.database.prisma.organisation.findFirstOrThrow({
      where: { mergedIntoId: null, NOT: await teamPortfolio("manager.north@demo.test") },
      orderBy: { id: "asc" },
    });
    await expectRefused("manager.north@demo.test", partner(["Normandie"], ["visits:write"], [outside.id]), "NOT_FOUND", toGlobalId("Organisation", outside.id));
  });

  it("an explicit organisation of the team's portfolio is accepted and returned as given", async () => {
    const inside = await t.database.prisma.organisation.findFirstOrThrow({
      where: { mergedIntoId: null, ...(await teamPortfolio("manager.north@demo.test")) },
      orderBy: { id: "asc" },
    });
    const response = await issue("manager.north@demo.test", partner(["Normandie"], ["contacts:read"], [inside.id]));
    expect(response.errors).toBeUndefined();
    expect(response.data!.issueApiToken.apiToken.organisationIds).toEqual([toGlobalId("Organisation", inside.id)]);
  });
});

describe("head office holds every power", () => {
  it("may issue a partner token on the repless territory, and sees exactly its members through it", async () => {
    const response = await issue("head.office@demo.test", partner(["Grand Est"], ["visits:write"]));
    expect(response.errors).toBeUndefined();
    const members = await t.database.prisma.organisation.count({
      where: { mergedIntoId: null, territoryMemberships: { some: { territoryId: territoryId.get("Grand Est")!, ...inForce } } },
    });
    const listed = await t.gql<Data, Record<string, unknown>>(`{ organisations { totalCount } }`, {}, response.data!.issueApiToken.token);
    expect(listed.data!.organisations.totalCount).toBe(members);
  });

  it("may issue a service token with export:read", async () => {
    const response = await issue("head.office@demo.test", { kind: "SERVICE", name: "export", scopes: ["export:read"] });
    expect(response.errors).toBeUndefined();
    expect(response.data!.issueApiToken.apiToken.scopes).toEqual(["export:read"]);
  });
});
