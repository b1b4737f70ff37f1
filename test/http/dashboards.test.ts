// Every expected figure below is computed by hand from test/fixtures/dashboard-company.ts (period: October 2026).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { buildDashboardCompany } from "../fixtures/dashboard-company.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

const OCTOBER = { from: "2026-10-01", to: "2026-10-31" };

const ACTIVITY = `query($scope: DashboardScopeInput, $period: PeriodInput) {
  activityDashboard(scope: $scope, period: $period) {
    scope { kind label } period { from to }
    invoicedRevenue { value target attainment }
    orderedAmount { value target attainment }
    orderCount { value target attainment }
    averageBasket { group orderedAmount orderCount average }
    weightedPipeline { count amount weightedAmount byStage { key count amount weightedAmount } byCloseMonth { key count weightedAmount }
      coverageOfRemainingObjective { numerator denominator value } }
    winRate { numerator denominator value }
    createdBySource { source count }
    forecastReliability { forecast actual ratio }
    byRep { repName invoicedRevenue orderedAmount orderCount }
    trend { month invoicedRevenue orderedAmount orderCount }
  } }`;

const FIELD = `query($scope: DashboardScopeInput, $period: PeriodInput) {
  fieldDynamicsDashboard(scope: $scope, period: $period) {
    visitReports { value target attainment } visitToOrder { numerator denominator value }
    visitsPerRep { repName visits { value target } }
  } }`;

const ORGANISATION = `query($scope: DashboardScopeInput) {
  organisationDashboard(scope: $scope) {
    lateVisits { total items { label date } }
    overdueOrganisations { total items { label date } }
    quotesToChase { total }
    staleOpportunities { total items { label } }
    tasksDue { total items { label date } }
    outstanding { ordersNotDelivered ordersNotDeliveredAmount openIncidents pendingRequests pendingMaterialRequests }
  } }`;

const HEALTH = `query($scope: DashboardScopeInput, $period: PeriodInput) {
  dataHealthDashboard(scope: $scope, period: $period) {
    contactCompleteness { numerator denominator } qualityIndex verificationFreshness { numerator denominator }
    organisationUniqueness { numerator denominator } suspectedDuplicates emailValidity { numerator denominator } invalidEmails
    phoneValidity { numerator denominator } invalidPhones contactsWhoLeft currentContacts { numerator denominator }
    newProspects customers inactiveCustomers lostCustomers pendingRequests pendingRequestAverageAgeDays
  } }`;

let t: TestServer;
let company: Awaited<ReturnType<typeof buildDashboardCompany>>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestServer({ seedDemo: false, env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" } });
  company = await buildDashboardCompany(t.database.prisma);
  for (const who of ["a", "b", "c", "manager", "ho", "steward"]) tokens[who] = await t.login(`${who}@test`);
});
afterAll(() => t?.close());

const repScope = (id: string) => ({ kind: "REP", id: toGlobalId("User", id) });
const teamScope = (id: string) => ({ kind: "TEAM", id: toGlobalId("Team", id) });

describe("activity dashboard (October 2026)", () => {
  it("rep A: revenue and orders credited on their dates, objectives, basket, pipeline, win rate, forecast", async () => {
    const response = await t.gql(ACTIVITY, { period: OCTOBER }, tokens.a);
    expect(response.errors).toBeUndefined();
    const a = (response.data as { activityDashboard: Record<string, unknown> }).activityDashboard;
    expect(a.period).toEqual({ from: "2026-10-01", to: "2026-10-31" });
    // I1 1000.00 + I3 250.50 (I2 is B's: O1 moved on 15 Oct; I5 is September)
    expect(a.invoicedRevenue).toEqual({ value: "1250.50", target: "2000.00", attainment: 0.62525 });
    // P1 1200 + P2 300; objective 4 orders
    expect(a.orderedAmount).toEqual({ value: "1500.00", target: null, attainment: null });
    expect(a.orderCount).toEqual({ value: 2, target: 4, attainment: 0.5 });
    expect(a.averageBasket).toEqual([
      { group: "ALL", orderedAmount: "1500.00", orderCount: 2, average: "750.00" },
      { group: "GOLD", orderedAmount: "1200.00", orderCount: 1, average: "1200.00" },
      { group: "SILVER", orderedAmount: "300.00", orderCount: 1, average: "300.00" },
      { group: "DEVELOP", orderedAmount: "300.00", orderCount: 1, average: "300.00" },
      { group: "MAINTAIN", orderedAmount: "1200.00", orderCount: 1, average: "1200.00" },
    ]);
    // Op1 1000.00 × 50 % = 500.00; Op2 333.33 × 10 % = 33.333 → 33.33
    expect(a.weightedPipeline).toEqual({
      count: 2,
      amount: "1333.33",
      weightedAmount: "533.33",
      byStage: [
        { key: "Identification", count: 1, amount: "333.33", weightedAmount: "33.33" },
        { key: "Proposal", count: 1, amount: "1000.00", weightedAmount: "500.00" },
      ],
      byCloseMonth: [
        { key: "2026-12", count: 1, weightedAmount: "500.00" },
        { key: "NONE", count: 1, weightedAmount: "33.33" },
      ],
      // remaining objective 2000.00 − 1250.50 = 749.50
      coverageOfRemainingObjective: { numerator: 533.33, denominator: 749.5, value: 533.33 / 749.5 },
    });
    // Op3 won, Op4 lost in October
    expect(a.winRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(a.createdBySource).toEqual([{ source: "REP", count: 1 }, { source: "MARKETING", count: 1 }].sort((x, y) => x.source.localeCompare(y.source)));
    // 30 days before closing: Op3 2000.00 × 50 % = 1000.00, Op4 500.00 × 20 % = 100.00; won: 2000.00
    expect(a.forecastReliability).toEqual({ forecast: "1100.00", actual: "2000.00", ratio: 2000 / 1100 });
    expect(a.byRep).toEqual([]);
    expect(a.trend).toEqual([{ month: "2026-10", invoicedRevenue: "1250.50", orderedAmount: "1500.00", orderCount: 2 }]);
  });

  it("team North: A and B, without C's temporary cover", async () => {
    const response = await t.gql(ACTIVITY, { scope: teamScope(company.north.id), period: OCTOBER }, tokens.manager);
    const team = (response.data as { activityDashboard: Record<string, { value?: unknown }> }).activityDashboard;
    // 1000.00 + 500.00 + 250.50; objectives 2000 + 1000
    expect(team.invoicedRevenue).toEqual({ value: "1750.50", target: "3000.00", attainment: 1750.5 / 3000 });
    // A: 1200 + 300; B: 800 + 100 + 50
    expect(team.orderedAmount!.value).toBe("2450.00");
    expect(team.byRep).toEqual([
      { repName: "a", invoicedRevenue: "1250.50", orderedAmount: "1500.00", orderCount: 2 },
      { repName: "b", invoicedRevenue: "500.00", orderedAmount: "950.00", orderCount: 3 },
    ]);
  });

  it("territory X: what it was in charge of on each date, the cover included", async () => {
    const response = await t.gql(ACTIVITY, { scope: { kind: "TERRITORY", id: toGlobalId("Territory", company.x.id) }, period: OCTOBER }, tokens.ho);
    const territory = (response.data as { activityDashboard: Record<string, { value?: unknown }> }).activityDashboard;
    // O1: 1000.00 (A) + 500.00 (B); O3: 300.00 (C covering); O2 is a manual assignment
    expect(territory.invoicedRevenue).toEqual({ value: "1800.00", target: null, attainment: null });
  });

  it("company: everyone, and the same figures whatever today's portfolio is", async () => {
    const response = await t.gql(ACTIVITY, { scope: { kind: "COMPANY" }, period: OCTOBER }, tokens.ho);
    const all = (response.data as { activityDashboard: Record<string, { value?: unknown }> }).activityDashboard;
    expect(all.invoicedRevenue!.value).toBe("2050.50");
    expect(all.orderedAmount!.value).toBe("2900.00");
  });
});

describe("field dynamics (October 2026)", () => {
  it("rep A: done visits only (the cancelled one does not count), visit → order within 30 days", async () => {
    const response = await t.gql(FIELD, { period: OCTOBER }, tokens.a);
    expect(response.errors).toBeUndefined();
    const f = (response.data as { fieldDynamicsDashboard: Record<string, unknown> }).fieldDynamicsDashboard;
    expect(f.visitReports).toEqual({ value: 2, target: 5, attainment: 0.4 });
    // V1 (O1, 2 Oct) → P1 on 3 Oct; V2 (O2, 20 Oct) → no order of O2 until 19 Nov
    expect(f.visitToOrder).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
  });

  it("company: C's visit counts for C; per rep with targets", async () => {
    const response = await t.gql(FIELD, { scope: { kind: "COMPANY" }, period: OCTOBER }, tokens.ho);
    const f = (response.data as { fieldDynamicsDashboard: Record<string, unknown> }).fieldDynamicsDashboard;
    expect((f.visitReports as { value: number }).value).toBe(3);
    expect(f.visitsPerRep).toEqual([
      { repName: "a", visits: { value: 2, target: 5 } },
      { repName: "b", visits: { value: 0, target: null } },
      { repName: "c", visits: { value: 1, target: null } },
    ]);
  });
});

describe("organisation dashboard (today 2026-11-15)", () => {
  it("rep A: the planned visit of 10 Nov is late; Op2 has been in Identification 5 days (max 30): not stale", async () => {
    const response = await t.gql(ORGANISATION, {}, tokens.a);
    expect(response.errors).toBeUndefined();
    const o = (response.data as { organisationDashboard: Record<string, unknown> }).organisationDashboard;
    expect(o.lateVisits).toEqual({ total: 1, items: [{ label: "O1", date: "2026-11-10" }] });
    // Op1 entered Proposal on 2 Oct, max 20 days: stale
    expect(o.staleOpportunities).toEqual({ total: 1, items: [{ label: "Op1" }] });
    // A's portfolio today is O2 only (SILVER: yearly, visited 20 Oct); the pending request is A's
    expect(o.overdueOrganisations).toEqual({ total: 0, items: [] });
    expect(o.tasksDue).toEqual({ total: 1, items: [{ label: "Call O2", date: "2026-11-20" }] });
    expect(o.outstanding).toEqual({ ordersNotDelivered: 0, ordersNotDeliveredAmount: "0.00", openIncidents: 0, pendingRequests: 1, pendingMaterialRequests: 0 });
  });

  it("company: late visits, overdue organisations against the most specific policy, stale deals, tasks due within 7 days", async () => {
    const response = await t.gql(ORGANISATION, { scope: { kind: "COMPANY" } }, tokens.ho);
    expect(response.errors).toBeUndefined();
    const o = (response.data as { organisationDashboard: Record<string, unknown> }).organisationDashboard;
    expect(o.lateVisits).toEqual({ total: 1, items: [{ label: "O1", date: "2026-11-10" }] });
    // O5 and O6 were never visited; O1 (GOLD: monthly) last on 2 Oct; O2 (20 Oct) and O3 (14 Oct) are yearly; O4 is merged
    expect(o.overdueOrganisations).toEqual({
      total: 3,
      items: [{ label: "O5", date: null }, { label: "O6", date: null }, { label: "O1", date: "2026-10-02" }],
    });
    expect(o.quotesToChase).toEqual({ total: 0 });
    expect(o.staleOpportunities).toEqual({ total: 1, items: [{ label: "Op1" }] });
    // due by 22 Nov and open: "Later" is due 1 Dec, "Done" is done
    expect(o.tasksDue).toEqual({ total: 1, items: [{ label: "Call O2", date: "2026-11-20" }] });
    expect(o.outstanding).toEqual({ ordersNotDelivered: 1, ordersNotDeliveredAmount: "800.00", openIncidents: 0, pendingRequests: 1, pendingMaterialRequests: 0 });
  });

  it("rep B: P4 of O1 is not delivered yet; three organisations overdue", async () => {
    const response = await t.gql(ORGANISATION, {}, tokens.b);
    const o = (response.data as { organisationDashboard: Record<string, unknown> }).organisationDashboard;
    expect(o.outstanding).toMatchObject({ ordersNotDelivered: 1, ordersNotDeliveredAmount: "800.00" });
    // B's portfolio: O1 (GOLD, last visit 2 Oct), O3 (visited 14 Oct by C's cover), O5 and O6 never visited
    expect(o.overdueOrganisations).toEqual({
      total: 3,
      items: [{ label: "O5", date: null }, { label: "O6", date: null }, { label: "O1", date: "2026-10-02" }],
    });
    expect(o.tasksDue).toEqual({ total: 0, items: [] }); // B's only task is done
  });
});

describe("data health (company, October 2026)", () => {
  it("completeness, quality index, duplicates, quiet customers, pending requests", async () => {
    const response = await t.gql(HEALTH, { scope: { kind: "COMPANY" }, period: OCTOBER }, tokens.steward);
    expect(response.errors).toBeUndefined();
    const h = (response.data as { dataHealthDashboard: Record<string, unknown> }).dataHealthDashboard;
    expect(h).toEqual({
      contactCompleteness: { numerator: 1, denominator: 3 }, // C1 of C1, C2, C4 (C3 left)
      verificationFreshness: { numerator: 1, denominator: 3 }, // C1 verified 1 June 2026
      organisationUniqueness: { numerator: 3, denominator: 5 }, // O2 and O3 share legal id 222; O4 merged
      suspectedDuplicates: 2,
      emailValidity: { numerator: 1, denominator: 2 }, // "bad@"
      invalidEmails: 1,
      phoneValidity: { numerator: 1, denominator: 2 }, // "abc"
      invalidPhones: 1,
      contactsWhoLeft: 1,
      currentContacts: { numerator: 3, denominator: 4 },
      // mean(1/3, 1/3, 3/5, 1/2, 1/2, 3/4) = 0.50278 → 50.3
      qualityIndex: 50.3,
      newProspects: 1, // O3, created 5 Oct
      customers: 4, // O1, O2, O5, O6
      inactiveCustomers: 1, // O6: median gap 20 days, silent 35 days
      lostCustomers: 1, // O5: gaps 30 and 30 days, silent 107 days
      pendingRequests: 1,
      pendingRequestAverageAgeDays: 10,
    });
  });
});

describe("who may ask for what", () => {
  it.each([
    ["a rep asks for another rep", "a", () => repScope(company.b.id), "NOT_FOUND"],
    ["a rep asks for the company", "a", () => ({ kind: "COMPANY" }), "FORBIDDEN"],
    ["a manager asks for the other team", "manager", () => teamScope(company.south.id), "NOT_FOUND"],
    ["a manager asks for a rep of another team", "manager", () => repScope(company.c.id), "NOT_FOUND"],
  ] as const)("%s → %s", async (_label, who, scope, code) => {
    expect(errorCodes(await t.gql(ACTIVITY, { scope: scope(), period: OCTOBER }, tokens[who]))).toEqual([code]);
  });

  it("a manager sees a rep of the team; head office sees anyone", async () => {
    expect((await t.gql(ACTIVITY, { scope: repScope(company.a.id), period: OCTOBER }, tokens.manager)).errors).toBeUndefined();
    expect((await t.gql(ACTIVITY, { scope: repScope(company.c.id), period: OCTOBER }, tokens.ho)).errors).toBeUndefined();
  });

  it("a data steward sees data health only, never revenue", async () => {
    expect(errorCodes(await t.gql(ACTIVITY, { period: OCTOBER }, tokens.steward))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await t.gql(FIELD, { period: OCTOBER }, tokens.steward))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await t.gql(ORGANISATION, {}, tokens.steward))).toEqual(["FORBIDDEN"]);
  });

  it("anonymous requests are refused", async () => {
    expect(errorCodes(await t.gql(ACTIVITY, {}))).toEqual(["UNAUTHENTICATED"]);
  });

  it("flash figures for a rep", async () => {
    const response = await t.gql(`query { flash(period: { from: "2026-10-01", to: "2026-10-31" }) { won lost conversionRate { value } visitsDone lateVisits quotesToChase revenueAttainment } }`, {}, tokens.a);
    expect(response.data).toEqual({ flash: { won: 1, lost: 1, conversionRate: { value: 0.5 }, visitsDone: 2, lateVisits: 1, quotesToChase: 0, revenueAttainment: 0.62525 } });
  });
});
