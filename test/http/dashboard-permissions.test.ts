// Every principal × every dashboard family × a scope it may see and one it may not (SPEC §2, §5).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { buildDashboardCompany } from "../fixtures/dashboard-company.js";
import { expectData } from "../support/exact.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Family = "activity" | "organisation" | "dataHealth" | "fieldDynamics";
type Scope = Record<string, string> | null;

const FIELDS: Record<Family, string> = {
  activity: "activityDashboard(scope: $scope, period: $period) { scope { kind label } invoicedRevenue { value } }",
  organisation: "organisationDashboard(scope: $scope) { scope { kind label } lateVisits { total } outstanding { ordersNotDelivered ordersNotDeliveredAmount pendingRequests } }",
  dataHealth: "dataHealthDashboard(scope: $scope, period: $period) { scope { kind label } newProspects customers }",
  fieldDynamics: "fieldDynamicsDashboard(scope: $scope, period: $period) { scope { kind label } visitReports { value } visitsPerRep { repName } }",
};
const FAMILIES = Object.keys(FIELDS) as Family[];
const PERIOD = { from: "2026-10-01", to: "2026-10-31" };

let t: TestServer;
let company: Awaited<ReturnType<typeof buildDashboardCompany>>;
let otherTerritoryId: string;
const tokens: Record<string, string> = {};

function ask(family: Family, scope: Scope, who: string) {
  const usesPeriod = family !== "organisation";
  const query = `query($scope: DashboardScopeInput${usesPeriod ? ", $period: PeriodInput" : ""}) { ${FIELDS[family]} }`;
  return t.gql<Record<string, Record<string, unknown>>, Record<string, unknown>>(query, { scope, ...(usesPeriod ? { period: PERIOD } : {}) }, tokens[who]);
}

const rep = (id: string) => ({ kind: "REP", id: toGlobalId("User", id) });
const team = (id: string) => ({ kind: "TEAM", id: toGlobalId("Team", id) });
const territory = (id: string) => ({ kind: "TERRITORY", id: toGlobalId("Territory", id) });
const COMPANY = { kind: "COMPANY" };

beforeAll(async () => {
  t = await startTestServer({ seedDemo: false, env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" } });
  company = await buildDashboardCompany(t.database.prisma);
  otherTerritoryId = (await t.database.prisma.territory.create({ data: { name: "South only", teamId: company.south.id } })).id;
  // a partner's restriction is its territories' members (the rules' matches), not the reps' charges
  await t.database.prisma.territoryMembership.createMany({
    data: [company.o1, company.o3].map((o) => ({ organisationId: o.id, territoryId: company.x.id, validFrom: new Date("2026-01-01T00:00:00Z") })),
  });
  for (const who of ["a", "b", "manager", "ho", "steward"]) tokens[who] = await t.login(`${who}@test`);
  const issue = async (input: Record<string, unknown>) => {
    const response = await t.gql<{ issueApiToken: { token: string } }, Record<string, unknown>>(
      `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`, { input }, tokens.ho);
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.issueApiToken.token;
  };
  const expiresAt = new Date(t.clock.now.getTime() + 30 * 86_400_000).toISOString();
  tokens.partner = await issue({ kind: "PARTNER", name: "field partner", scopes: ["visits:write", "contacts:write"], territoryIds: [toGlobalId("Territory", company.x.id)], expiresAt });
  tokens.service = await issue({ kind: "SERVICE", name: "erp", scopes: ["orders:import", "referential:read"] });
});
afterAll(() => t?.close());

/**
 * What each scope receives, by hand from test/fixtures/dashboard-company.ts (October 2026, today 15 November):
 * A holds O2; B holds O1 (since 15 October), O3, O5, O6 and has P4 (800.00) undelivered; the pending request
 * is A's; the late visit (10 November, O1) is A's; the partner sees territory X's members (O1, O3) without amounts.
 */
type Seen = "a" | "b" | "north" | "company" | "partner";
const EXPECTED: Record<Family, Partial<Record<Seen, unknown>>> = {
  activity: {
    a: { scope: { kind: "REP", label: "a" }, invoicedRevenue: { value: "1250.50" } },
    b: { scope: { kind: "REP", label: "b" }, invoicedRevenue: { value: "500.00" } },
    north: { scope: { kind: "TEAM", label: "Team North" }, invoicedRevenue: { value: "1750.50" } },
    company: { scope: { kind: "COMPANY", label: "Company" }, invoicedRevenue: { value: "2050.50" } },
  },
  organisation: {
    a: { scope: { kind: "REP", label: "a" }, lateVisits: { total: 1 }, outstanding: { ordersNotDelivered: 0, ordersNotDeliveredAmount: "0.00", pendingRequests: 1 } },
    b: { scope: { kind: "REP", label: "b" }, lateVisits: { total: 0 }, outstanding: { ordersNotDelivered: 1, ordersNotDeliveredAmount: "800.00", pendingRequests: 0 } },
    north: { scope: { kind: "TEAM", label: "Team North" }, lateVisits: { total: 1 }, outstanding: { ordersNotDelivered: 1, ordersNotDeliveredAmount: "800.00", pendingRequests: 1 } },
    company: { scope: { kind: "COMPANY", label: "Company" }, lateVisits: { total: 1 }, outstanding: { ordersNotDelivered: 1, ordersNotDeliveredAmount: "800.00", pendingRequests: 1 } },
    partner: { scope: { kind: "TERRITORY", label: "Partner restriction" }, lateVisits: { total: 1 }, outstanding: { ordersNotDelivered: 1, ordersNotDeliveredAmount: null, pendingRequests: 0 } },
  },
  dataHealth: {
    a: { scope: { kind: "REP", label: "a" }, newProspects: 0, customers: 1 },
    b: { scope: { kind: "REP", label: "b" }, newProspects: 1, customers: 3 },
    north: { scope: { kind: "TEAM", label: "Team North" }, newProspects: 1, customers: 4 },
    company: { scope: { kind: "COMPANY", label: "Company" }, newProspects: 1, customers: 4 },
  },
  fieldDynamics: {
    a: { scope: { kind: "REP", label: "a" }, visitReports: { value: 2 }, visitsPerRep: [{ repName: "a" }] },
    b: { scope: { kind: "REP", label: "b" }, visitReports: { value: 0 }, visitsPerRep: [{ repName: "b" }] },
    north: { scope: { kind: "TEAM", label: "Team North" }, visitReports: { value: 2 }, visitsPerRep: [{ repName: "a" }, { repName: "b" }] },
    company: { scope: { kind: "COMPANY", label: "Company" }, visitReports: { value: 3 }, visitsPerRep: [{ repName: "a" }, { repName: "b" }, { repName: "c" }] },
    // O1's visit of 2 October and O3's of 14 October (C covering) were in territory X on their dates
    partner: { scope: { kind: "TERRITORY", label: "Partner restriction" }, visitReports: { value: 2 }, visitsPerRep: [] },
  },
};

/** [principal, family, a scope it may see (null: its default), what it then receives, a scope it may not see, the refusal code] */
type Case = [string, Family, () => Scope, Seen, () => Scope, string];
const matrix: Case[] = [
  ...FAMILIES.map((family): Case => ["a", family, () => rep(company.a.id), "a", () => rep(company.b.id), "NOT_FOUND"]),
  ...FAMILIES.map((family): Case => ["a", family, () => null, "a", () => COMPANY, "FORBIDDEN"]),
  ...FAMILIES.map((family): Case => ["manager", family, () => team(company.north.id), "north", () => team(company.south.id), "NOT_FOUND"]),
  ...FAMILIES.map((family): Case => ["manager", family, () => rep(company.b.id), "b", () => territory(otherTerritoryId), "NOT_FOUND"]),
  // Head office may see every scope: its refusal is an id that does not exist
  ...FAMILIES.map((family): Case => ["ho", family, () => COMPANY, "company", () => rep("00000000-0000-4000-8000-000000000000"), "NOT_FOUND"]),
  ["steward", "dataHealth", () => COMPANY, "company", () => ({ kind: "REP", id: "not-an-id" }), "NOT_FOUND"],
  ["partner", "organisation", () => null, "partner", () => territory(otherTerritoryId), "NOT_FOUND"],
  ["partner", "fieldDynamics", () => territory(company.x.id), "partner", () => COMPANY, "FORBIDDEN"],
];

const FIELD_OF: Record<Family, string> = { activity: "activityDashboard", organisation: "organisationDashboard", dataHealth: "dataHealthDashboard", fieldDynamics: "fieldDynamicsDashboard" };

describe("dashboards: who may ask for which scope", () => {
  it.each(matrix)("%s × %s: exactly the figures of that scope", async (who, family, allowed, seen, refused, code) => {
    await expectData(ask(family, allowed(), who), FIELD_OF[family], EXPECTED[family][seen]);
    expect(errorCodes(await ask(family, refused(), who))).toEqual([code]);
  });

  it.each(FAMILIES)("%s: a manager's view of a rep is that rep's own dashboard, not the team's", async (family) => {
    for (const [repId, who] of [[company.a.id, "a"], [company.b.id, "b"]] as const) {
      const managerView = await expectData(ask(family, rep(repId), "manager"), FIELD_OF[family], null);
      expect(managerView).toEqual(await expectData(ask(family, null, who), FIELD_OF[family], null));
      expect(managerView).not.toEqual(await expectData(ask(family, team(company.north.id), "manager"), FIELD_OF[family], null));
    }
  });

  it.each([
    ["steward", ["activity", "organisation", "fieldDynamics"]],
    ["partner", ["activity", "dataHealth"]],
    ["service", FAMILIES],
  ] as const)("%s is refused %j whatever the scope", async (who, families) => {
    for (const family of families) {
      expect(errorCodes(await ask(family, null, who))).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await ask(family, COMPANY, who))).toEqual(["FORBIDDEN"]);
    }
  });

  it("anonymous requests are refused on every family", async () => {
    for (const family of FAMILIES) expect(errorCodes(await ask(family, null, "nobody"))).toEqual(["UNAUTHENTICATED"]);
  });

  it("partners and stewards never receive an amount", async () => {
    const partnerView = await ask("organisation", null, "partner");
    expect(partnerView.data!.organisationDashboard!.outstanding).toMatchObject({ ordersNotDeliveredAmount: null });
    const stewardView = await ask("dataHealth", COMPANY, "steward");
    expect(stewardView.errors).toBeUndefined();
    const repView = await ask("organisation", null, "a");
    expect(repView.data!.organisationDashboard!.outstanding).toMatchObject({ ordersNotDeliveredAmount: expect.any(String) });
  });
});
