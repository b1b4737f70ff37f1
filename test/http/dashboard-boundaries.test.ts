// Every dated figure on the edges of its period, and every field of every dashboard for a rep and a team,
// against values computed by hand from test/fixtures/boundary-company.ts (October 2026; today 2026-11-15,
// 10:00 UTC). Rows sit on the day before the period, its first day, its last day and the first day after
// (timestamps at 00:00:00 and 23:59:59), so that moving a bound by one (`<` for `<=`, `>` for `>=`, now for
// today) changes a figure. Where two fields express one rule they are compared on the same rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { buildBoundaryCompany } from "../fixtures/boundary-company.js";
import { expectData } from "../support/exact.js";
import { startTestServer, type TestServer } from "../support/server.js";

const OCTOBER = { from: "2026-10-01", to: "2026-10-31" };

const ACTIVITY = `query($scope: DashboardScopeInput, $period: PeriodInput) {
  activityDashboard(scope: $scope, period: $period) {
    scope { kind label } period { from to }
    invoicedRevenue { value target attainment } orderedAmount { value target attainment } orderCount { value target attainment }
    averageBasket { group orderedAmount orderCount average }
    weightedPipeline { count amount weightedAmount byStage { key count amount weightedAmount } byCloseMonth { key count amount weightedAmount }
      coverageOfRemainingObjective { numerator denominator value } }
    winRate { numerator denominator value } createdBySource { source count } forecastReliability { forecast actual ratio }
    forecast { category count amount weightedAmount }
    byRep { repName invoicedRevenue orderedAmount orderCount } trend { month invoicedRevenue orderedAmount orderCount }
  } }`;

const FIELD = `query($scope: DashboardScopeInput, $period: PeriodInput) {
  fieldDynamicsDashboard(scope: $scope, period: $period) {
    scope { kind label } period { from to }
    visitReports { value target attainment } visitToOrder { numerator denominator value }
    actionPlans { objective progress { numerator denominator value } } actionPlanProgress { numerator denominator value }
    qualifiedLeads { value target attainment }
    effortByCategory { key done planned ratio } effortBySegment { key done planned ratio }
    visitsPerRep { repName visits { value target attainment } }
  } }`;

const LIST = "total items { label date }";
const ORGANISATION = `query($scope: DashboardScopeInput) {
  organisationDashboard(scope: $scope) {
    scope { kind label }
    lateVisits { ${LIST} } overdueOrganisations { ${LIST} } quotesToChase { ${LIST} } staleOpportunities { ${LIST} } tasksDue { ${LIST} }
    outstanding { ordersNotDelivered ordersNotDeliveredAmount openIncidents pendingRequests pendingMaterialRequests }
  } }`;

const HEALTH = `query($scope: DashboardScopeInput, $period: PeriodInput) {
  dataHealthDashboard(scope: $scope, period: $period) {
    scope { kind label } period { from to }
    contactCompleteness { numerator denominator value } qualityIndex verificationFreshness { numerator denominator value }
    organisationUniqueness { numerator denominator value } suspectedDuplicates emailValidity { numerator denominator value } invalidEmails
    phoneValidity { numerator denominator value } invalidPhones contactsWhoLeft currentContacts { numerator denominator value }
    newProspects customers inactiveCustomers lostCustomers defaultOrderCycleDays
    pendingRequests pendingRequestAverageAgeDays pendingRequestOldestAgeDays
  } }`;

let t: TestServer;
let company: Awaited<ReturnType<typeof buildBoundaryCompany>>;
const tokens: Record<string, string> = {};
const rep = (id: string) => ({ kind: "REP", id: toGlobalId("User", id) });
const team = (id: string) => ({ kind: "TEAM", id: toGlobalId("Team", id) });

beforeAll(async () => {
  t = await startTestServer({ seedDemo: false });
  company = await buildBoundaryCompany(t.database.prisma);
  for (const who of ["r1", "r2", "r3", "mgr", "ho"]) tokens[who] = await t.login(`${who}@edge.test`);
});
afterAll(() => t?.close());

const zero = (category: string) => ({ category, count: 0, amount: "0.00", weightedAmount: "0.00" });

describe("activity dashboard on the edges of October", () => {
  // r1's pipeline today: E0 10.00 × 10 % + E1 100.00 × 50 % + E2 1000.00 × 50 % + E3 10000.00 × 10 %
  const pipeline = {
    count: 4,
    amount: "11110.00",
    weightedAmount: "1551.00",
    byStage: [
      { key: "Identification", count: 2, amount: "10010.00", weightedAmount: "1001.00" },
      { key: "Proposal", count: 2, amount: "1100.00", weightedAmount: "550.00" },
    ],
    byCloseMonth: [
      { key: "2026-09", count: 1, amount: "10.00", weightedAmount: "1.00" },
      { key: "2026-10", count: 2, amount: "1100.00", weightedAmount: "550.00" },
      { key: "2026-11", count: 1, amount: "10000.00", weightedAmount: "1000.00" },
    ],
  };

  it("rep r1: only the rows of 1 and 31 October count", async () => {
    await expectData(t.gql(ACTIVITY, { period: OCTOBER }, tokens.r1), "activityDashboard", {
      scope: { kind: "REP", label: "r1" },
      period: OCTOBER,
      // I-first 10.00 + I-last 100.00 (not 30 September's 1.00 nor 1 November's 1000.00); the only
      // objective inside October is 200.00 (one ends on 2 November, one starts on 30 September)
      invoicedRevenue: { value: "110.00", target: "200.00", attainment: 0.55 },
      // P-first 20.00 + P-last 200.00 + P-a1-last 4000.00
      orderedAmount: { value: "4220.00", target: "8440.00", attainment: 0.5 },
      orderCount: { value: 3, target: 6, attainment: 0.5 },
      averageBasket: [
        { group: "ALL", orderedAmount: "4220.00", orderCount: 3, average: "1406.67" },
        { group: "GOLD", orderedAmount: "4000.00", orderCount: 1, average: "4000.00" },
        { group: "SILVER", orderedAmount: "220.00", orderCount: 2, average: "110.00" },
        { group: "DEVELOP", orderedAmount: "220.00", orderCount: 2, average: "110.00" },
        { group: "MAINTAIN", orderedAmount: "4000.00", orderCount: 1, average: "4000.00" },
      ],
      // remaining objective 200.00 − 110.00 = 90.00
      weightedPipeline: { ...pipeline, coverageOfRemainingObjective: { numerator: 1551, denominator: 90, value: 1551 / 90 } },
      // W1 closed on 1 October 00:00 (won), L1 on 31 October 23:59:59 (lost); W0 and W2 fall outside
      winRate: { numerator: 1, denominator: 2, value: 0.5 },
      createdBySource: [{ source: "MARKETING", count: 1 }, { source: "PARTNER", count: 1 }],
      forecastReliability: { forecast: "50.00", actual: "10.00", ratio: 0.2 },
      // E1 (expected 1 October) and E2 (31 October) in Proposal's BEST_CASE; E0 (30 September) and E3
      // (1 November) in no forecast of October; W1 CLOSED, L1 OMITTED
      forecast: [
        zero("PIPELINE"),
        { category: "BEST_CASE", count: 2, amount: "1100.00", weightedAmount: "550.00" },
        zero("COMMIT"),
        { category: "CLOSED", count: 1, amount: "10.00", weightedAmount: "10.00" },
        { category: "OMITTED", count: 1, amount: "100.00", weightedAmount: "0.00" },
      ],
      byRep: [],
      trend: [{ month: "2026-10", invoicedRevenue: "110.00", orderedAmount: "4220.00", orderCount: 3 }],
    });
  });

  it("team North: r1 and r2", async () => {
    const teamView = await expectData(t.gql(ACTIVITY, { scope: team(company.north.id), period: OCTOBER }, tokens.mgr), "activityDashboard", {
      scope: { kind: "TEAM", label: "Team North" },
      period: OCTOBER,
      invoicedRevenue: { value: "310.00", target: "300.00", attainment: 310 / 300 },
      orderedAmount: { value: "4520.00", target: "8440.00", attainment: 4520 / 8440 },
      orderCount: { value: 4, target: 6, attainment: 4 / 6 },
      averageBasket: [
        { group: "ALL", orderedAmount: "4520.00", orderCount: 4, average: "1130.00" },
        { group: "GOLD", orderedAmount: "4300.00", orderCount: 2, average: "2150.00" },
        { group: "SILVER", orderedAmount: "220.00", orderCount: 2, average: "110.00" },
        { group: "CONQUER", orderedAmount: "300.00", orderCount: 1, average: "300.00" },
        { group: "DEVELOP", orderedAmount: "220.00", orderCount: 2, average: "110.00" },
        { group: "MAINTAIN", orderedAmount: "4000.00", orderCount: 1, average: "4000.00" },
      ],
      // the team's revenue exceeds its objective: nothing remains to cover
      weightedPipeline: { ...pipeline, coverageOfRemainingObjective: null },
      winRate: { numerator: 2, denominator: 3, value: 2 / 3 },
      createdBySource: [{ source: "MARKETING", count: 1 }, { source: "PARTNER", count: 1 }],
      forecastReliability: { forecast: "200.00", actual: "310.00", ratio: 1.55 },
      forecast: [
        zero("PIPELINE"),
        { category: "BEST_CASE", count: 2, amount: "1100.00", weightedAmount: "550.00" },
        zero("COMMIT"),
        { category: "CLOSED", count: 2, amount: "310.00", weightedAmount: "310.00" },
        { category: "OMITTED", count: 1, amount: "100.00", weightedAmount: "0.00" },
      ],
      byRep: [
        { repName: "r1", invoicedRevenue: "110.00", orderedAmount: "4220.00", orderCount: 3 },
        { repName: "r2", invoicedRevenue: "200.00", orderedAmount: "300.00", orderCount: 1 },
      ],
      trend: [{ month: "2026-10", invoicedRevenue: "310.00", orderedAmount: "4520.00", orderCount: 4 }],
    });
    // the manager's view of one rep is that rep's own dashboard, not the team's
    const managerOfR1 = await expectData(t.gql(ACTIVITY, { scope: rep(company.r1.id), period: OCTOBER }, tokens.mgr), "activityDashboard", null);
    const own = await expectData(t.gql(ACTIVITY, { period: OCTOBER }, tokens.r1), "activityDashboard", null);
    expect(managerOfR1).toEqual(own);
    expect(managerOfR1).not.toEqual(teamView);
  });

  it("territory Z: credited by the charge on each date (validTo exclusive: H0 until 30 October, H1 on 31 October)", async () => {
    const response = await t.gql(ACTIVITY, { scope: { kind: "TERRITORY", id: toGlobalId("Territory", company.z.id) }, period: OCTOBER }, tokens.ho);
    // H0 on 30 October 3.00 + H1 on 31 October 3000.00 (not H0's 31 October 30.00 nor H1's 30 October 300.00)
    expect((await expectData(response, "activityDashboard", null)).invoicedRevenue).toEqual({ value: "3003.00", target: null, attainment: null });
  });
});

describe("field dynamics on the edges of October", () => {
  it("rep r1", async () => {
    await expectData(t.gql(FIELD, { period: OCTOBER }, tokens.r1), "fieldDynamicsDashboard", {
      scope: { kind: "REP", label: "r1" },
      period: OCTOBER,
      // done on 1 October 00:00 and 31 October 23:00 (not 30 September nor 1 November; the cancelled one never)
      visitReports: { value: 2, target: 4, attainment: 0.5 },
      // A1's visit of 1 October → A1's order of 31 October (day 30); A2's of 31 October → its order that day
      visitToOrder: { numerator: 2, denominator: 2, value: 1 },
      // Grow A1: done / (done + open), the cancelled task left out; the closed plan is not listed
      actionPlans: [{ objective: "Grow A1", progress: { numerator: 1, denominator: 2, value: 0.5 } }],
      actionPlanProgress: { numerator: 1, denominator: 2, value: 0.5 },
      // qualified on 1 October 00:00 and 31 October 23:59:59
      qualifiedLeads: { value: 2, target: 4, attainment: 0.5 },
      // A1 and A2: 365 visits a year × 31 / 365 = 31 each; the prospects have no rhythm (BRONZE: no policy)
      effortByCategory: [
        { key: "CONQUER", done: 0, planned: 0, ratio: null },
        { key: "DEVELOP", done: 1, planned: 31, ratio: 1 / 31 },
        { key: "MAINTAIN", done: 1, planned: 31, ratio: 1 / 31 },
      ],
      effortBySegment: [
        { key: "BRONZE", done: 0, planned: 0, ratio: null },
        { key: "GOLD", done: 1, planned: 31, ratio: 1 / 31 },
        { key: "SILVER", done: 1, planned: 31, ratio: 1 / 31 },
      ],
      visitsPerRep: [{ repName: "r1", visits: { value: 2, target: 4, attainment: 0.5 } }],
    });
  });

  it("team North", async () => {
    await expectData(t.gql(FIELD, { scope: team(company.north.id), period: OCTOBER }, tokens.mgr), "fieldDynamicsDashboard", {
      scope: { kind: "TEAM", label: "Team North" },
      period: OCTOBER,
      visitReports: { value: 3, target: 4, attainment: 0.75 },
      // B1's visit of 15 October: B1's only order was the day before
      visitToOrder: { numerator: 2, denominator: 3, value: 2 / 3 },
      actionPlans: [
        { objective: "Grow A1", progress: { numerator: 1, denominator: 2, value: 0.5 } },
        { objective: "Win B1", progress: { numerator: 2, denominator: 3, value: 2 / 3 } },
      ],
      actionPlanProgress: { numerator: 3, denominator: 5, value: 0.6 },
      qualifiedLeads: { value: 3, target: 4, attainment: 0.75 },
      // B1: GOLD monthly = 12 a year × 31 / 365 = 1.02
      effortByCategory: [
        { key: "CONQUER", done: 1, planned: 1, ratio: 1 },
        { key: "DEVELOP", done: 1, planned: 31, ratio: 1 / 31 },
        { key: "MAINTAIN", done: 1, planned: 31, ratio: 1 / 31 },
      ],
      effortBySegment: [
        { key: "BRONZE", done: 0, planned: 0, ratio: null },
        { key: "GOLD", done: 2, planned: 32, ratio: 2 / 32 },
        { key: "SILVER", done: 1, planned: 31, ratio: 1 / 31 },
      ],
      visitsPerRep: [
        { repName: "r1", visits: { value: 2, target: 4, attainment: 0.5 } },
        { repName: "r2", visits: { value: 1, target: null, attainment: null } },
      ],
    });
  });

  it("flash of r1: the same edges", async () => {
    const response = await t.gql(`query { flash(period: { from: "2026-10-01", to: "2026-10-31" }) { period { from to } won lost conversionRate { numerator denominator value } visitsDone lateVisits quotesToChase revenueAttainment } }`, {}, tokens.r1);
    await expectData(response, "flash", {
      period: OCTOBER,
      won: 1,
      lost: 1,
      conversionRate: { numerator: 1, denominator: 2, value: 0.5 },
      visitsDone: 2,
      lateVisits: 2,
      quotesToChase: 2,
      revenueAttainment: 0.55,
    });
  });
});

describe("organisation dashboard on the edges of today (2026-11-15)", () => {
  const r1Lists = {
    // the prepared visit of 10 November and the planned one of 14 November 23:59:59; those of today
    // 00:00 and 09:00 and of tomorrow are not late
    lateVisits: { total: 2, items: [{ label: "A2", date: "2026-11-10" }, { label: "A1", date: "2026-11-14" }] },
    // A2 last visited on 13 November, due the day after: overdue; A1 visited yesterday is due today: not overdue
    overdueOrganisations: { total: 1, items: [{ label: "A2", date: "2026-11-13" }] },
    // follow-up today, and one whose validity ends today; not tomorrow's, not the expired one, not the draft
    quotesToChase: { total: 2, items: [{ label: "Q-valid-today", date: "2026-11-10" }, { label: "Q-today", date: "2026-11-15" }] },
    // E3 in Identification (max 30 days) for 30 days and an hour, E2 in Proposal (max 20) for 21 days;
    // E1 exactly 20 days: not stale
    staleOpportunities: { total: 2, items: [{ label: "E3", date: "2026-10-16" }, { label: "E2", date: "2026-10-25" }] },
  };

  it("rep r1", async () => {
    await expectData(t.gql(ORGANISATION, {}, tokens.r1), "organisationDashboard", {
      scope: { kind: "REP", label: "r1" },
      ...r1Lists,
      // due by 22 November (today + 7) or late; not 23 November's, not the done one
      tasksDue: { total: 2, items: [{ label: "Late call", date: "2026-11-01" }, { label: "Edge call", date: "2026-11-22" }] },
      // the order of today, not delivered; tomorrow's is not outstanding yet
      outstanding: { ordersNotDelivered: 1, ordersNotDeliveredAmount: "50.00", openIncidents: 0, pendingRequests: 1, pendingMaterialRequests: 0 },
    });
  });

  it("team North: r2's visit left planned on 31 October and task due today are added", async () => {
    const teamView = await expectData(t.gql(ORGANISATION, { scope: team(company.north.id) }, tokens.mgr), "organisationDashboard", {
      scope: { kind: "TEAM", label: "Team North" },
      ...r1Lists,
      lateVisits: { total: 3, items: [{ label: "B1", date: "2026-10-31" }, ...r1Lists.lateVisits.items] },
      // B1's last visit 15 October 10:00 + one month = due today: not overdue
      tasksDue: { total: 3, items: [{ label: "Late call", date: "2026-11-01" }, { label: "Call B1", date: "2026-11-15" }, { label: "Edge call", date: "2026-11-22" }] },
      outstanding: { ordersNotDelivered: 1, ordersNotDeliveredAmount: "50.00", openIncidents: 0, pendingRequests: 1, pendingMaterialRequests: 0 },
    });
    const managerOfR1 = await expectData(t.gql(ORGANISATION, { scope: rep(company.r1.id) }, tokens.mgr), "organisationDashboard", null);
    expect(managerOfR1).toEqual(await expectData(t.gql(ORGANISATION, {}, tokens.r1), "organisationDashboard", null));
    expect(managerOfR1).not.toEqual(teamView);
  });
});

describe("data health on the edges", () => {
  it("rep r1: verified 365 days ago is fresh, 366 is not; prospects created on 1 and 31 October", async () => {
    await expectData(t.gql(HEALTH, { period: OCTOBER }, tokens.r1), "dataHealthDashboard", {
      scope: { kind: "REP", label: "r1" },
      period: OCTOBER,
      contactCompleteness: { numerator: 2, denominator: 2, value: 1 }, // K1, K2 (K3 left)
      verificationFreshness: { numerator: 1, denominator: 2, value: 0.5 }, // K1 verified 2025-11-15; K2 2025-11-14
      organisationUniqueness: { numerator: 5, denominator: 6, value: 5 / 6 }, // A2 shares legal id D1 with C1
      suspectedDuplicates: 1,
      emailValidity: { numerator: 2, denominator: 2, value: 1 },
      invalidEmails: 0,
      phoneValidity: { numerator: 2, denominator: 2, value: 1 },
      invalidPhones: 0,
      contactsWhoLeft: 1,
      currentContacts: { numerator: 2, denominator: 3, value: 2 / 3 },
      // mean(1, 1/2, 5/6, 1, 1, 2/3) = 5/6
      qualityIndex: 83.3,
      newProspects: 2, // P1 (1 October 00:00), P2 (31 October 23:59:59); not P0 nor P3
      customers: 2,
      inactiveCustomers: 0, // A2: median gap 15.5 days, silent 15
      lostCustomers: 0,
      defaultOrderCycleDays: 90,
      pendingRequests: 1,
      pendingRequestAverageAgeDays: 10,
      pendingRequestOldestAgeDays: 10,
    });
  });

  it("team North: B1's bare contact", async () => {
    await expectData(t.gql(HEALTH, { scope: team(company.north.id), period: OCTOBER }, tokens.mgr), "dataHealthDashboard", {
      scope: { kind: "TEAM", label: "Team North" },
      period: OCTOBER,
      contactCompleteness: { numerator: 2, denominator: 3, value: 2 / 3 },
      verificationFreshness: { numerator: 1, denominator: 3, value: 1 / 3 },
      organisationUniqueness: { numerator: 6, denominator: 7, value: 6 / 7 },
      suspectedDuplicates: 1,
      emailValidity: { numerator: 2, denominator: 2, value: 1 },
      invalidEmails: 0,
      phoneValidity: { numerator: 2, denominator: 2, value: 1 },
      invalidPhones: 0,
      contactsWhoLeft: 1,
      currentContacts: { numerator: 3, denominator: 4, value: 0.75 },
      // mean(2/3, 1/3, 6/7, 1, 1, 3/4) = 0.76786
      qualityIndex: 76.8,
      newProspects: 2,
      customers: 3,
      inactiveCustomers: 0,
      lostCustomers: 0,
      defaultOrderCycleDays: 90,
      pendingRequests: 1,
      pendingRequestAverageAgeDays: 10,
      pendingRequestOldestAgeDays: 10,
    });
  });

  it("rep r3: silent exactly one cycle (90 days) is active, 91 and 180 inactive, 181 lost", async () => {
    const health = await expectData(t.gql(HEALTH, { period: OCTOBER }, tokens.r3), "dataHealthDashboard", null);
    expect(health).toMatchObject({ customers: 5, inactiveCustomers: 2, lostCustomers: 1 });
  });
});

describe("portfolio value on month ends", () => {
  it("r3: the charge at the month end (validTo exclusive), twelve months of invoices up to it, deals open at it", async () => {
    const response = await t.gql(
      `query($rep: ID!) { portfolioValue(repId: $rep, from: "2026-09-01", to: "2026-10-31") { month organisationCount trailingRevenue openWeightedPipeline value } }`,
      { rep: toGlobalId("User", company.r3.id) },
      tokens.ho,
    );
    await expectData(response, "portfolioValue", [
      // 30 September: C1, the four quiet ones, H0; invoices from 1 October 2025: 70000.00 + 0.70;
      // open then: W4 (closed 1 November) and W5 (closed 31 October)
      { month: "2026-09-01", organisationCount: 6, trailingRevenue: "70000.70", openWeightedPipeline: "20007.00", value: "90007.70" },
      // 31 October: H1 instead of H0; invoices from 1 November 2025: 0.70 + 5000.00 + H1's 300.00 + 3000.00;
      // open then: W4, and E8 created on 31 October 23:59:59 (not E9, created on 1 November)
      { month: "2026-10-01", organisationCount: 6, trailingRevenue: "8300.70", openWeightedPipeline: "20010.00", value: "28310.70" },
    ]);
  });
});

describe("one rule, two fields: they agree on the edge rows", () => {
  type Node = { id: string; isLate?: boolean; isStale?: boolean };
  const nodes = async (query: string, field: string, token: string): Promise<Node[]> => {
    const response = await t.gql<Record<string, { edges: { node: Node }[] }>, Record<string, unknown>>(query, {}, token);
    expect(response.errors).toBeUndefined();
    return response.data![field]!.edges.map((edge) => edge.node);
  };
  const dashboardIds = async (list: string, token: string, scope?: Record<string, string>) => {
    const response = await t.gql<{ organisationDashboard: Record<string, { total: number; items: { id: string; organisationId: string }[] }> }, Record<string, unknown>>(
      `query($scope: DashboardScopeInput) { organisationDashboard(scope: $scope) { ${list} { total items { id organisationId } } } }`, { scope }, token);
    expect(response.errors).toBeUndefined();
    return response.data!.organisationDashboard[list]!;
  };

  it("isLate on a visit, the lateVisits query and the dashboard's late visits: the same visits (tomorrow's and today's are not late)", async () => {
    const visits = await nodes(`query { visits(first: 100) { edges { node { id isLate } } } }`, "visits", tokens.r1);
    const late = visits.filter((v) => v.isLate).map((v) => v.id).sort();
    expect(late).toEqual(company.late.map((v) => toGlobalId("Visit", v.id)).sort());
    expect(visits.length).toBeGreaterThan(late.length + 3); // today's two, tomorrow's one and the done ones are not late
    const query = (await nodes(`query { lateVisits(first: 100) { edges { node { id } } } }`, "lateVisits", tokens.r1)).map((v) => v.id).sort();
    const dashboard = await dashboardIds("lateVisits", tokens.r1);
    expect(query).toEqual(late);
    expect(dashboard.items.map((item) => item.id).sort()).toEqual(late);
    expect(dashboard.total).toBe(late.length);
  });

  it("the visit plan's overdue and the dashboard's overdue organisations (due today is not overdue)", async () => {
    for (const who of [company.r1, company.r2]) {
      const response = await t.gql<{ visitPlan: { totalCount: number; edges: { node: { organisation: { id: string }; overdue: boolean } }[] } }, Record<string, unknown>>(
        `query($rep: ID!) { visitPlan(rep: $rep, first: 100) { totalCount edges { node { organisation { id } overdue } } } }`,
        { rep: toGlobalId("User", who.id) },
        tokens.mgr,
      );
      expect(response.errors).toBeUndefined();
      const plan = response.data!.visitPlan.edges.map((edge) => edge.node);
      const overdue = plan.filter((node) => node.overdue).map((node) => node.organisation.id).sort();
      const dashboard = await dashboardIds("overdueOrganisations", tokens.mgr, rep(who.id));
      expect(dashboard.items.map((item) => item.organisationId).sort(), who.name).toEqual(overdue);
      expect(dashboard.total, who.name).toBe(overdue.length);
    }
    const r1Plan = await dashboardIds("overdueOrganisations", tokens.r1);
    expect(r1Plan.items.map((item) => item.organisationId)).toEqual([toGlobalId("Organisation", company.a2.id)]);
  });

  it("isStale on an opportunity, the stale filter and the dashboard's stale opportunities (exactly the stage's maximum is not stale; an hour more is)", async () => {
    const deals = await nodes(`query { opportunities(first: 100) { edges { node { id isStale } } } }`, "opportunities", tokens.r1);
    const stale = deals.filter((d) => d.isStale).map((d) => d.id).sort();
    const dashboard = await dashboardIds("staleOpportunities", tokens.r1);
    expect(dashboard.items.map((item) => item.id).sort()).toEqual(stale);
    expect(stale).toHaveLength(2);
    const filtered = await nodes(`query { opportunities(first: 100, filter: { stale: true }) { edges { node { id } } } }`, "opportunities", tokens.r1);
    expect(filtered.map((d) => d.id).sort()).toEqual(stale);
  });
});
