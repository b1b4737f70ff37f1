// Visits over HTTP: workflow 2 of SPEC §4 (plan → brief → prepare → report sending only what changed),
// the brief's bounded statements, and the visit plan across a portfolio change. "Today" is 2026-11-15.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { addDays, addDeal, buildCustomer, day, fillBrief } from "../fixtures/visits.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);
const ids = new Map<string, string>();
const user = (email: string) => ids.get(email)!;

beforeAll(async () => {
  t = await startTestServer();
  const users = await t.database.prisma.user.findMany({ select: { id: true, email: true } });
  for (const u of users) ids.set(u.email, u.id);
});
afterAll(() => t?.close());

const VISIT_FIELDS = `
  id status version plannedAt channel
  organisation { id name }
  rep { email }
  contactsToMeet { id }
  preparation { objectives agenda notes }
  report { isDraft outcome notes nextSteps durationMinutes contactsMet { id } }
  tasks { id title status }
  materialRequests { id status }
`;

const BRIEF = `
  incidents { id kind status summary openedAt }
  announcements { id title }
  opportunities { id name stage probability amount weightedAmount expectedCloseDate }
  quotesToChase { id reference opportunityName amount followUpDate }
  lastReport { visitId outcome nextSteps }
  openTasks { id title dueDate }
  recentOrders { externalId orderedAt amount }
  pendingMaterialRequests { id status items { item quantity } }
`;

describe("workflow 2: plan → brief → prepare → report on the same record", () => {
  it("pre-fills the report from the preparation, creates tasks and material requests, and counts the visit", async () => {
    const db = t.database.prisma;
    const rep = await t.login("rep.lyon@demo.test");
    const { organisation, contacts } = await buildCustomer(db, "Jardinerie Workflow", {
      segment: "GOLD",
      region: "Auvergne-Rhône-Alpes",
      banner: "Maxi Brico",
      charges: [[user("rep.lyon@demo.test"), day("2025-01-01")]],
    });
    await db.incident.create({ data: { externalId: "WF-1", organisationId: organisation.id, kind: "AFTER_SALES", openedAt: day("2026-11-10"), summary: "Tondeuse en panne" } });
    await db.announcement.createMany({
      data: [
        { kind: "PRODUCT_LAUNCH", title: "Gamme GOLD", body: "…", validFrom: day("2026-11-01"), segments: ["GOLD"] },
        { kind: "PROMOTION", title: "Promo Rhône", body: "…", validFrom: day("2026-11-01"), validTo: day("2026-11-30"), regions: ["Auvergne-Rhône-Alpes"], banners: ["Maxi Brico"] },
        { kind: "PROMOTION", title: "Autre enseigne", body: "…", validFrom: day("2026-11-01"), banners: ["Proxi Jardin"] },
        { kind: "INFO", title: "Expirée", body: "…", validFrom: day("2026-10-01"), validTo: day("2026-11-10") },
        { kind: "INFO", title: "Silver seulement", body: "…", validFrom: day("2026-11-01"), segments: ["SILVER"] },
      ],
    });
    const organisationId = toGlobalId("Organisation", organisation.id);
    const contactIds = contacts.map((c) => toGlobalId("Contact", c.id));

    // 1. plan (yesterday's visit, reported today)
    const planned = await gql(
      `mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { ${VISIT_FIELDS} } } }`,
      { input: { organisationId, plannedAt: "2026-11-14T09:00:00Z", channel: "ON_SITE", contactIdsToMeet: contactIds } },
      rep,
    );
    expect(planned.errors).toBeUndefined();
    const visit = planned.data!.planVisit.visit;
    expect(visit).toMatchObject({ status: "PLANNED", version: 1, channel: "ON_SITE", rep: { email: "rep.lyon@demo.test" }, organisation: { id: organisationId } });
    expect(visit.contactsToMeet.map((c: Data) => c.id).sort()).toEqual([...contactIds].sort());
    expect(visit.report).toMatchObject({ isDraft: true, outcome: null, notes: null });

    // 2. brief
    const brief = await gql(`query($id: ID!) { visit(id: $id) { isLate brief { ${BRIEF} } } }`, { id: visit.id }, rep);
    expect(brief.errors).toBeUndefined();
    expect(brief.data!.visit.isLate).toBe(true);
    expect(brief.data!.visit.brief.incidents.map((i: Data) => i.summary)).toEqual(["Tondeuse en panne"]);
    // (the demo's own announcements may match too: only ours are asserted)
    const titles = brief.data!.visit.brief.announcements.map((a: Data) => a.title);
    expect(titles).toEqual(expect.arrayContaining(["Gamme GOLD", "Promo Rhône"]));
    for (const excluded of ["Autre enseigne", "Expirée", "Silver seulement"]) expect(titles).not.toContain(excluded);
    expect(brief.data!.visit.brief.lastReport).toBeNull();

    // 3. prepare, with tasks to carry out
    const prepared = await gql(
      `mutation($input: PrepareVisitInput!) { prepareVisit(input: $input) { visit { ${VISIT_FIELDS} } tasks { title status kind visit { id } } } }`,
      {
        input: {
          id: visit.id,
          version: 1,
          objectives: "Présenter la gamme été",
          agenda: "Tour du rayon, catalogue",
          notes: "Apporter les échantillons",
          tasks: [{ kind: "PRESENTATION", title: "Présenter la gamme été" }, { kind: "TRAINING", title: "Former l'équipe" }],
        },
      },
      rep,
    );
    expect(prepared.errors).toBeUndefined();
    const afterPreparation = prepared.data!.prepareVisit;
    expect(afterPreparation.visit).toMatchObject({ status: "PREPARED", version: 2, preparation: { objectives: "Présenter la gamme été", agenda: "Tour du rayon, catalogue", notes: "Apporter les échantillons" } });
    expect(afterPreparation.tasks).toEqual([
      { title: "Présenter la gamme été", status: "OPEN", kind: "PRESENTATION", visit: { id: visit.id } },
      { title: "Former l'équipe", status: "OPEN", kind: "TRAINING", visit: { id: visit.id } },
    ]);
    // The draft report is the preparation.
    expect(afterPreparation.visit.report).toMatchObject({
      isDraft: true,
      outcome: "Présenter la gamme été",
      notes: "Tour du rayon, catalogue\n\nApporter les échantillons",
    });
    expect(afterPreparation.visit.report.contactsMet).toHaveLength(2);

    // A stale version is a conflict, and changes nothing.
    const stale = await gql(`mutation($input: ReportVisitInput!) { reportVisit(input: $input) { visit { id } } }`, { input: { id: visit.id, version: 1 } }, rep);
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);

    // 4. report, sending only what changed
    const reported = await gql(
      `mutation($input: ReportVisitInput!) { reportVisit(input: $input) {
        visit { ${VISIT_FIELDS} } followUpTasks { title status kind dueDate } materialRequests { status items { item quantity } } } }`,
      {
        input: {
          id: visit.id,
          version: 2,
          nextSteps: "Envoyer le devis",
          durationMinutes: 45,
          followUpTasks: [{ kind: "FOLLOW_UP", title: "Envoyer le devis", dueDate: "2026-11-20" }],
          materialRequests: [{ items: [{ item: "Présentoir", quantity: 2 }, { item: "Échantillons", quantity: 10 }] }],
        },
      },
      rep,
    );
    expect(reported.errors).toBeUndefined();
    const done = reported.data!.reportVisit;
    expect(done.visit).toMatchObject({
      status: "DONE",
      version: 3,
      report: { isDraft: false, outcome: "Présenter la gamme été", notes: "Tour du rayon, catalogue\n\nApporter les échantillons", nextSteps: "Envoyer le devis", durationMinutes: 45 },
    });
    expect(done.visit.report.contactsMet.map((c: Data) => c.id).sort()).toEqual([...contactIds].sort());
    expect(done.followUpTasks).toEqual([{ title: "Envoyer le devis", status: "OPEN", kind: "FOLLOW_UP", dueDate: "2026-11-20" }]);
    expect(done.materialRequests).toEqual([{ status: "REQUESTED", items: [{ item: "Présentoir", quantity: 2 }, { item: "Échantillons", quantity: 10 }] }]);
    expect(done.visit.tasks.map((task: Data) => task.title)).toEqual(["Présenter la gamme été", "Former l'équipe", "Envoyer le devis"]);
    expect(done.visit.materialRequests).toHaveLength(1);

    // Stored as reported, audited.
    const row = await db.visit.findFirstOrThrow({ where: { organisationId: organisation.id } });
    expect(row).toMatchObject({ status: "DONE", outcome: "Présenter la gamme été", nextSteps: "Envoyer le devis" });
    expect(await db.auditEvent.count({ where: { entity: "Visit", entityId: row.id } })).toBe(3);

    // 5. counted in field dynamics (visits done in November by the rep)
    const dashboard = await gql(
      `query($scope: DashboardScopeInput, $period: PeriodInput) { fieldDynamicsDashboard(scope: $scope, period: $period) { visitReports { value } } }`,
      { scope: { kind: "REP", id: toGlobalId("User", user("rep.lyon@demo.test")) }, period: { from: "2026-11-14", to: "2026-11-14" } },
      rep,
    );
    const expected = await db.visit.count({ where: { repId: user("rep.lyon@demo.test"), status: "DONE", plannedAt: { gte: day("2026-11-14"), lt: day("2026-11-15") } } });
    expect(dashboard.errors).toBeUndefined();
    expect(expected).toBeGreaterThanOrEqual(1);
    expect(dashboard.data!.fieldDynamicsDashboard.visitReports.value).toBe(expected);

    // The next visit's brief shows this report as the last one.
    const next = await gql(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { brief { lastReport { visitId outcome nextSteps } } } } }`, {
      input: { organisationId, plannedAt: "2026-12-01T09:00:00Z" },
    }, rep);
    expect(next.data!.planVisit.visit.brief.lastReport).toEqual({ visitId: visit.id, outcome: "Présenter la gamme été", nextSteps: "Envoyer le devis" });
  });

  it("reports with explicit values override the draft, and null clears a field", async () => {
    const db = t.database.prisma;
    const rep = await t.login("rep.lyon@demo.test");
    const { organisation } = await buildCustomer(db, "Quincaillerie Override", { charges: [[user("rep.lyon@demo.test"), day("2025-01-01")]], contacts: 1 });
    const plan = await gql(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { id } } }`, {
      input: { organisationId: toGlobalId("Organisation", organisation.id), plannedAt: "2026-11-15T08:00:00Z", channel: "PHONE" },
    }, rep);
    const id = plan.data!.planVisit.visit.id;
    await gql(`mutation($input: PrepareVisitInput!) { prepareVisit(input: $input) { visit { id } } }`, { input: { id, version: 1, objectives: "Objectif", agenda: "Agenda" } }, rep);
    const reported = await gql(`mutation($input: ReportVisitInput!) { reportVisit(input: $input) { visit { status report { outcome notes contactsMet { id } } } } }`, {
      input: { id, version: 2, outcome: "Commande signée", notes: null },
    }, rep);
    expect(reported.errors).toBeUndefined();
    expect(reported.data!.reportVisit.visit).toEqual({ status: "DONE", report: { outcome: "Commande signée", notes: null, contactsMet: [] } });
  });

  it("cancels and reschedules open visits only, with a reason and a version", async () => {
    const db = t.database.prisma;
    const rep = await t.login("rep.lyon@demo.test");
    const { organisation } = await buildCustomer(db, "Bricolage Annulé", { charges: [[user("rep.lyon@demo.test"), day("2025-01-01")]], contacts: 0 });
    const plan = await gql(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { id } } }`, {
      input: { organisationId: toGlobalId("Organisation", organisation.id), plannedAt: "2026-11-20T08:00:00Z" },
    }, rep);
    const id = plan.data!.planVisit.visit.id;
    const moved = await gql(`mutation($input: RescheduleVisitInput!) { rescheduleVisit(input: $input) { visit { plannedAt channel version status } } }`, {
      input: { id, version: 1, plannedAt: "2026-11-25T14:00:00Z", channel: "VIDEO" },
    }, rep);
    expect(moved.data!.rescheduleVisit.visit).toEqual({ plannedAt: "2026-11-25T14:00:00.000Z", channel: "VIDEO", version: 2, status: "PLANNED" });
    const noReason = await gql(`mutation($input: CancelVisitInput!) { cancelVisit(input: $input) { visit { id } } }`, { input: { id, version: 2, reason: " " } }, rep);
    expect(errorCodes(noReason)).toEqual(["BAD_USER_INPUT"]);
    const cancelled = await gql(`mutation($input: CancelVisitInput!) { cancelVisit(input: $input) { visit { status cancelReason version } } }`, {
      input: { id, version: 2, reason: "Client fermé" },
    }, rep);
    expect(cancelled.data!.cancelVisit.visit).toEqual({ status: "CANCELLED", cancelReason: "Client fermé", version: 3 });
    const again = await gql(`mutation($input: ReportVisitInput!) { reportVisit(input: $input) { visit { id } } }`, { input: { id, version: 3 } }, rep);
    expect(errorCodes(again)).toEqual(["BAD_USER_INPUT"]);
    const late = await gql(`{ lateVisits(first: 200) { totalCount edges { node { id status plannedAt } } } }`, {}, rep);
    expect(late.data!.lateVisits.edges.every((e: Data) => ["PLANNED", "PREPARED"].includes(e.node.status) && e.node.plannedAt < TODAY.toISOString().slice(0, 10))).toBe(true);
    expect(late.data!.lateVisits.edges.some((e: Data) => e.node.id === id)).toBe(false);
  });

  it("plans a visit on a pending organisation request; it has no contacts and no material requests", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const request = await gql(`mutation { requestOrganisation(input: { kind: CREATE, fields: { name: "Nouvelle Jardinerie Visite", city: "Lyon", postalCode: "69001" } }) { organisationRequest { id } } }`, {}, rep);
    expect(request.errors).toBeUndefined();
    const requestId = request.data!.requestOrganisation.organisationRequest.id;
    const plan = await gql(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { id organisation { id } request { id } brief { openTasks { id } } } } }`, {
      input: { requestId, plannedAt: "2026-11-18T08:00:00Z" },
    }, rep);
    expect(plan.errors).toBeUndefined();
    expect(plan.data!.planVisit.visit).toMatchObject({ organisation: null, request: { id: requestId }, brief: { openTasks: [] } });
    const both = await gql(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { id } } }`, {
      input: { requestId, organisationId: toGlobalId("Organisation", "00000000-0000-4000-8000-000000000001"), plannedAt: "2026-11-18T08:00:00Z" },
    }, rep);
    expect(errorCodes(both)).toEqual(["BAD_USER_INPUT"]);
    // Workflow 1: once the steward approves, the visit belongs to the organisation.
    const steward = await t.login("data.steward@demo.test");
    const approved = await gql(`mutation($input: ApproveOrganisationRequestInput!) { approveOrganisationRequest(input: $input) { organisationRequest { status } } }`, {
      input: { id: requestId, version: 1 },
    }, steward);
    expect(approved.errors).toBeUndefined();
    const stored = await t.database.prisma.visit.findFirstOrThrow({ where: { request: { name: "Nouvelle Jardinerie Visite" } } });
    expect(stored.organisationId).not.toBeNull();
  });
});

describe("the brief costs a bounded number of statements", () => {
  it("50 orders, 20 incidents, 30 tasks cost the same statements as 1 of each, with the right content", async () => {
    const db = t.database.prisma;
    const rep = await t.login("rep.lyon@demo.test");
    const lyon = user("rep.lyon@demo.test");
    const big = await buildCustomer(db, "Grand Compte Brief", { charges: [[lyon, day("2025-01-01")]] });
    const small = await buildCustomer(db, "Petit Compte Brief", { charges: [[lyon, day("2025-01-01")]] });
    await fillBrief(db, big.organisation.id, TODAY, { orders: 50, incidents: 20, tasks: 30 });
    await fillBrief(db, small.organisation.id, TODAY, { orders: 1, incidents: 1, tasks: 1 });
    await addDeal(db, big.organisation.id, lyon, TODAY);
    await addDeal(db, small.organisation.id, lyon, TODAY);
    const visitOf = async (organisationId: string) =>
      (await db.visit.create({ data: { organisationId, repId: lyon, plannedAt: new Date("2026-11-16T09:00:00Z") } })).id;
    const bigVisit = toGlobalId("Visit", await visitOf(big.organisation.id));
    const smallVisit = toGlobalId("Visit", await visitOf(small.organisation.id));

    const query = `query($id: ID!) { visit(id: $id) { id brief { ${BRIEF} } } }`;
    const large = await gql(query, { id: bigVisit }, rep);
    const little = await gql(query, { id: smallVisit }, rep);
    expect(large.errors).toBeUndefined();
    expect(little.errors).toBeUndefined();
    expect(large.statements).toBe(little.statements);
    // authentication + the visit + 8 parts of the brief
    expect(large.statements).toBeLessThanOrEqual(12);

    const brief = large.data!.visit.brief;
    // 10 open + 10 resolved in the last 30 days; the 3 old resolved ones are left out; open first.
    expect(brief.incidents).toHaveLength(20);
    expect(brief.incidents.slice(0, 10).every((i: Data) => i.status === "OPEN")).toBe(true);
    expect(brief.incidents.some((i: Data) => i.summary.startsWith("Old"))).toBe(false);
    expect(brief.openTasks).toHaveLength(30);
    expect(brief.openTasks[0]).toMatchObject({ title: "Task 0", dueDate: "2026-11-15" });
    expect(brief.recentOrders).toHaveLength(10);
    expect(brief.recentOrders[0]).toEqual({ externalId: expect.stringMatching(/-0$/), orderedAt: "2026-11-14", amount: "100.50" });
    expect(brief.recentOrders[9]).toMatchObject({ orderedAt: "2026-11-05", amount: "109.50" });
    expect(brief.opportunities).toEqual([
      { id: expect.any(String), name: "Rayon jardin", stage: "Proposal", probability: 50, amount: "12000.00", weightedAmount: "6000.00", expectedCloseDate: "2026-12-15" },
    ]);
    expect(brief.quotesToChase).toEqual([{ id: expect.any(String), reference: "DEV-1", opportunityName: "Rayon jardin", amount: "11500.00", followUpDate: "2026-11-14" }]);
    expect(little.data!.visit.brief.recentOrders).toHaveLength(1);
    expect(little.data!.visit.brief.incidents).toHaveLength(1); // the old resolved one is left out
  });

  it("a list of visits with their briefs stays bounded too (each part is one statement per batch)", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const query = `query($first: Int!) { visits(first: $first, orderBy: { field: PLANNED_AT, direction: DESC }) { edges { node { id organisation { name } rep { email } brief { ${BRIEF} } } } } }`;
    const few = await gql(query, { first: 2 }, rep);
    const many = await gql(query, { first: 40 }, rep);
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(many.data!.visits.edges.length).toBeGreaterThan(20);
    expect(many.statements).toBe(few.statements);
  });

  it("Organisation.visits: 5 or 50 organisations with their visits cost the same statements", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const query = `query($first: Int!) { organisations(first: $first) { edges { node { id visits(first: 5) { totalCount edges { node { id status rep { email } organisation { id } } } } } } } }`;
    const few = await gql(query, { first: 5 }, rep);
    const many = await gql(query, { first: 50 }, rep);
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    const visits = many.data!.organisations.edges.reduce((sum: number, e: Data) => sum + e.node.visits.totalCount, 0);
    expect(visits).toBeGreaterThan(50);
    expect(many.statements).toBe(few.statements);
  });
});

describe("visit plan", () => {
  it("follows a portfolio change: the organisation leaves rep A's plan and enters rep B's on the change date", async () => {
    const db = t.database.prisma;
    const lyon = user("rep.lyon@demo.test");
    const marseille = user("rep.marseille@demo.test");
    const change = day("2026-12-01");
    const { organisation } = await buildCustomer(db, "Moving Customer", {
      segment: "SILVER",
      category: "MAINTAIN",
      charges: [[lyon, day("2025-01-01"), change], [marseille, change]],
    });
    await db.visit.create({ data: { organisationId: organisation.id, repId: lyon, plannedAt: new Date("2026-09-01T10:00:00Z"), status: "DONE" } });
    const head = await t.login("head.office@demo.test");
    const query = `query($rep: ID, $date: Date) { visitPlan(rep: $rep, date: $date, first: 200) {
      totalCount edges { node { organisationName plannedVisitsPerYear lastVisitAt nextDueDate overdue rep { email } policy { name intervalMonths } organisation { id } } } } }`;
    const planOf = async (repId: string, date: string, token = head) => {
      const response = await gql(query, { rep: toGlobalId("User", repId), date }, token);
      expect(response.errors).toBeUndefined();
      return response.data!.visitPlan.edges.map((e: Data) => e.node).find((n: Data) => n.organisationName === "Moving Customer") ?? null;
    };
    const expectedLine = {
      organisationName: "Moving Customer",
      plannedVisitsPerYear: 2,
      lastVisitAt: "2026-09-01T10:00:00.000Z",
      nextDueDate: "2027-03-01",
      overdue: false,
      policy: { name: "Silver", intervalMonths: 6 },
    };
    expect(await planOf(lyon, "2026-11-30")).toMatchObject({ ...expectedLine, rep: { email: "rep.lyon@demo.test" } });
    expect(await planOf(marseille, "2026-11-30")).toBeNull();
    expect(await planOf(lyon, "2026-12-01")).toBeNull();
    expect(await planOf(marseille, "2026-12-01")).toMatchObject({ ...expectedLine, rep: { email: "rep.marseille@demo.test" } });
    // The reps themselves see the same, each for their own plan; B sees the name before it is in B's scope.
    expect(await planOf(marseille, "2026-12-01", await t.login("rep.marseille@demo.test"))).toMatchObject({ organisation: null, overdue: false });
    expect(await planOf(lyon, "2026-12-01", await t.login("rep.lyon@demo.test"))).toBeNull();
  });

  it("computes due dates and overdue flags from the most specific policy or the organisation's own figure", async () => {
    const db = t.database.prisma;
    const bordeaux = user("rep.bordeaux@demo.test");
    const charge: [string, Date][] = [[bordeaux, day("2025-01-01")]];
    const bronze = await buildCustomer(db, "Plan Bronze", { segment: "BRONZE", category: "MAINTAIN", charges: charge, contacts: 0 });
    const conquer = await buildCustomer(db, "Plan Conquer Gold", { segment: "GOLD", category: "CONQUER", charges: charge, contacts: 0 });
    const own = await buildCustomer(db, "Plan Own Figure", { segment: "BRONZE", category: "MAINTAIN", charges: charge, contacts: 0, plannedVisitsPerYear: 6 });
    await db.visit.createMany({
      data: [
        { organisationId: bronze.organisation.id, repId: bordeaux, plannedAt: new Date("2025-06-01T10:00:00Z"), status: "DONE" },
        { organisationId: own.organisation.id, repId: bordeaux, plannedAt: new Date("2026-10-01T10:00:00Z"), status: "DONE" },
        { organisationId: own.organisation.id, repId: bordeaux, plannedAt: new Date("2026-11-01T10:00:00Z"), status: "CANCELLED" },
        { organisationId: own.organisation.id, repId: bordeaux, plannedAt: new Date("2026-11-20T10:00:00Z"), status: "PLANNED" },
      ],
    });
    const response = await gql(`{ visitPlan(first: 200) { edges { node { organisationName plannedVisitsPerYear nextDueDate overdue policy { name } nextPlannedVisit { plannedAt } } } } }`, {}, await t.login("rep.bordeaux@demo.test"));
    expect(response.errors).toBeUndefined();
    const line = (name: string) => response.data!.visitPlan.edges.map((e: Data) => e.node).find((n: Data) => n.organisationName === name);
    expect(line("Plan Bronze")).toEqual({ organisationName: "Plan Bronze", plannedVisitsPerYear: 1, nextDueDate: "2026-06-01", overdue: true, policy: { name: "Bronze" }, nextPlannedVisit: null });
    // CONQUER (category) is more specific than nothing, GOLD (segment) ranks above category alone: Gold wins.
    // Never visited: due on the day, and overdue (no visit meets its rhythm; the dashboard counts it too).
    expect(line("Plan Conquer Gold")).toMatchObject({ plannedVisitsPerYear: 3, nextDueDate: "2026-11-15", overdue: true, policy: { name: "Gold" } });
    // Own figure 6/year: 365 / 6 = 60 days after the last done visit (cancelled visits do not count).
    expect(line("Plan Own Figure")).toMatchObject({ plannedVisitsPerYear: 6, nextDueDate: "2026-11-30", overdue: false, nextPlannedVisit: { plannedAt: "2026-11-20T10:00:00.000Z" } });
    // Most overdue first
    const dates = response.data!.visitPlan.edges.map((e: Data) => e.node.nextDueDate).filter(Boolean);
    expect([...dates].sort()).toEqual(dates);
    // Only the overdue ones
    const overdue = await gql(`{ visitPlan(first: 200, overdue: true) { totalCount edges { node { organisationName overdue } } } }`, {}, await t.login("rep.bordeaux@demo.test"));
    const overdueLines = overdue.data!.visitPlan.edges.map((e: Data) => e.node);
    expect(overdue.data!.visitPlan.totalCount).toBe(response.data!.visitPlan.edges.filter((e: Data) => e.node.overdue).length);
    expect(overdueLines.every((n: Data) => n.overdue)).toBe(true);
    expect(overdueLines.map((n: Data) => n.organisationName)).toEqual(expect.arrayContaining(["Plan Bronze", "Plan Conquer Gold"]));
    expect(overdueLines.map((n: Data) => n.organisationName)).not.toContain("Plan Own Figure");
  });

  it("pages with cursors and counts the whole plan", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const all = await gql(`{ visitPlan(first: 200) { totalCount edges { cursor node { organisationName } } } }`, {}, rep);
    const total = all.data!.visitPlan.totalCount;
    expect(total).toBe(all.data!.visitPlan.edges.length);
    const first = await gql(`{ visitPlan(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { node { organisationName } } } }`, {}, rep);
    expect(first.data!.visitPlan).toMatchObject({ totalCount: total, pageInfo: { hasNextPage: true } });
    const second = await gql(`query($after: String) { visitPlan(first: 3, after: $after) { edges { node { organisationName } } } }`, { after: first.data!.visitPlan.pageInfo.endCursor }, rep);
    expect(second.data!.visitPlan.edges.map((e: Data) => e.node.organisationName)).toEqual(all.data!.visitPlan.edges.slice(3, 6).map((e: Data) => e.node.organisationName));
  });
});
