// Every principal × every dashboard family × a scope it may see and one it may not (SPEC §2, §5).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { buildDashboardCompany } from "../fixtures/dashboard-company.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Family = "activity" | "organisation" | "dataHealth" | "fieldDynamics";
type Scope = Record<string, string> | null;

const FIELDS: Record<Family, string> = {
  activity: "activityDashboard(scope: $scope, period: $period) { scope { kind label } invoicedRevenue { value } }",
  organisation: "organisationDashboard(scope: $scope) { scope { kind label } outstanding { openIncidents ordersNotDeliveredAmount } }",
  dataHealth: "dataHealthDashboard(scope: $scope, period: $period) { scope { kind label } newProspects }",
  fieldDynamics: "fieldDynamicsDashboard(scope: $scope, period: $period) { scope { kind label } visitReports { value } }",
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
  for (const who of ["a", "manager", "ho", "steward"]) tokens[who] = await t.login(`${who}@test`);
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

/** [principal, family, a scope it may see (or null: refused whatever the scope), a scope it may not see, the refusal code] */
const matrix: Array<[string, Family, () => Scope, () => Scope, string]> = [
  ...FAMILIES.map((family): [string, Family, () => Scope, () => Scope, string] => ["a", family, () => rep(company.a.id), () => rep(company.b.id), "NOT_FOUND"]),
  ...FAMILIES.map((family): [string, Family, () => Scope, () => Scope, string] => ["a", family, () => null, () => COMPANY, "FORBIDDEN"]),
  ...FAMILIES.map((family): [string, Family, () => Scope, () => Scope, string] => ["manager", family, () => team(company.north.id), () => team(company.south.id), "NOT_FOUND"]),
  ...FAMILIES.map((family): [string, Family, () => Scope, () => Scope, string] => ["manager", family, () => rep(company.b.id), () => territory(otherTerritoryId), "NOT_FOUND"]),
  // Head office may see every scope: its refusal is an id that does not exist
  ...FAMILIES.map((family): [string, Family, () => Scope, () => Scope, string] => ["ho", family, () => COMPANY, () => rep("00000000-0000-4000-8000-000000000000"), "NOT_FOUND"]),
  ["steward", "dataHealth", () => COMPANY, () => ({ kind: "REP", id: "not-an-id" }), "NOT_FOUND"],
  ["partner", "organisation", () => null, () => territory(otherTerritoryId), "NOT_FOUND"],
  ["partner", "fieldDynamics", () => territory(company.x.id), () => COMPANY, "FORBIDDEN"],
];

describe("dashboards: who may ask for which scope", () => {
  it.each(matrix)("%s × %s", async (who, family, allowed, refused, code) => {
    const ok = await ask(family, allowed(), who);
    expect(ok.errors).toBeUndefined();
    expect(Object.values(ok.data!)[0]).toBeTruthy();
    expect(errorCodes(await ask(family, refused(), who))).toEqual([code]);
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
