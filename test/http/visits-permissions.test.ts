// Who may call every visit root field and mutation (each role and token kind), and which visits they see on
// every path: visits, visit(id), node(id), Organisation.visits, Visit.brief, visitPlan. Out of scope answers
// NOT_FOUND (or is absent from lists); stewards and service tokens are refused; partners see no amounts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { addDeal, buildCustomer, day, fillBrief } from "../fixtures/visits.js";
import { expectGate, type GateCase } from "../support/gates.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
const MADE_UP = "00000000-0000-4000-8000-00000000beef";
let t: TestServer;
const tokens = new Map<string, string | undefined>();
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);

const READERS = ["rep", "other rep", "manager", "other manager", "head office", "partner visits:write", "other partner visits:write"];
const WRITERS = ["rep", "other rep", "manager", "other manager", "partner visits:write", "other partner visits:write"];
const PRINCIPALS = [...READERS, "anonymous", "data steward", "partner contacts:read", "service referential:read"];
/** who sees the visit of the fixture (its organisation is in rep Lyon's charge, team South) */
const IN_SCOPE = ["rep", "manager", "head office", "partner visits:write"];
const OUT_OF_SCOPE = ["other rep", "other manager", "other partner visits:write"];

const visitId = toGlobalId("Visit", MADE_UP);
const organisationId = toGlobalId("Organisation", MADE_UP);
const policyId = toGlobalId("VisitPolicy", MADE_UP);

/** operation → [document, variables, principals allowed to call it] */
const OPERATIONS: Record<string, GateCase> = {
  visits: [`{ visits { totalCount } }`, {}, READERS],
  visit: [`query($id: ID!) { visit(id: $id) { id } }`, { id: visitId }, READERS],
  lateVisits: [`{ lateVisits { totalCount } }`, {}, READERS],
  visitPlan: [`{ visitPlan { totalCount } }`, {}, READERS],
  visitPolicies: [`{ visitPolicies { name } }`, {}, ["rep", "other rep", "manager", "other manager", "head office"]],
  planVisit: [`mutation($o: ID!) { planVisit(input: { organisationId: $o, plannedAt: "2026-12-01T09:00:00Z" }) { visit { id } } }`, { o: organisationId }, WRITERS],
  prepareVisit: [`mutation($id: ID!) { prepareVisit(input: { id: $id, version: 1, objectives: "x" }) { visit { id } } }`, { id: visitId }, WRITERS],
  reportVisit: [`mutation($id: ID!) { reportVisit(input: { id: $id, version: 1 }) { visit { id } } }`, { id: visitId }, WRITERS],
  cancelVisit: [`mutation($id: ID!) { cancelVisit(input: { id: $id, version: 1, reason: "x" }) { visit { id } } }`, { id: visitId }, WRITERS],
  rescheduleVisit: [`mutation($id: ID!) { rescheduleVisit(input: { id: $id, version: 1, plannedAt: "2026-12-02T09:00:00Z" }) { visit { id } } }`, { id: visitId }, WRITERS],
  createVisitPolicy: [`mutation { createVisitPolicy(input: { name: "X", intervalMonths: 0 }) { policy { id } } }`, {}, ["head office"]],
  updateVisitPolicy: [`mutation($id: ID!) { updateVisitPolicy(input: { id: $id, name: "Y" }) { policy { id } } }`, { id: policyId }, ["head office"]],
  deleteVisitPolicy: [`mutation($id: ID!) { deleteVisitPolicy(input: { id: $id }) { deletedId } }`, { id: policyId }, ["head office"]],
};

async function issue(input: Record<string, unknown>): Promise<string> {
  const response = await gql(`mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`, { input }, await t.login("head.office@demo.test"));
  if (!response.data?.issueApiToken) throw new Error(JSON.stringify(response.errors));
  return response.data.issueApiToken.token;
}

const counts = () => Promise.all([t.database.prisma.visit.count(), t.database.prisma.visitPolicy.count(), t.database.prisma.task.count()]);

let fixtureVisit: string;
let fixtureOrganisation: string;

beforeAll(async () => {
  t = await startTestServer();
  const db = t.database.prisma;
  const lyon = (await db.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id;
  const { organisation } = await buildCustomer(db, "Permissions Visite", { charges: [[lyon, day("2025-01-01")]] });
  const { organisation: elsewhere } = await buildCustomer(db, "Ailleurs Visite", { charges: [[lyon, day("2025-01-01")]], contacts: 0 });
  await fillBrief(db, organisation.id, TODAY, { orders: 3, incidents: 2, tasks: 2 });
  await addDeal(db, organisation.id, lyon, TODAY);
  const visit = await db.visit.create({ data: { organisationId: organisation.id, repId: lyon, plannedAt: new Date("2026-11-10T09:00:00Z") } });
  fixtureVisit = toGlobalId("Visit", visit.id);
  fixtureOrganisation = toGlobalId("Organisation", organisation.id);

  const expiresAt = new Date(TODAY.getTime() + 30 * 86_400_000).toISOString();
  const partner = (name: string, scopes: string[], organisationIds: string[]) => issue({ kind: "PARTNER", name, scopes, organisationIds, expiresAt });
  tokens.set("anonymous", undefined);
  tokens.set("rep", await t.login("rep.lyon@demo.test"));
  tokens.set("other rep", await t.login("rep.lille@demo.test"));
  tokens.set("manager", await t.login("manager.south@demo.test"));
  tokens.set("other manager", await t.login("manager.north@demo.test"));
  tokens.set("head office", await t.login("head.office@demo.test"));
  tokens.set("data steward", await t.login("data.steward@demo.test"));
  tokens.set("partner visits:write", await partner("p1", ["visits:write"], [fixtureOrganisation]));
  tokens.set("partner visits:write opportunities:read", await partner("p2", ["visits:write", "opportunities:read"], [fixtureOrganisation]));
  tokens.set("other partner visits:write", await partner("p3", ["visits:write"], [toGlobalId("Organisation", elsewhere.id)]));
  tokens.set("partner contacts:read", await partner("p4", ["contacts:read"], [fixtureOrganisation]));
  tokens.set("service referential:read", await issue({ kind: "SERVICE", name: "s", scopes: ["referential:read"] }));
});
afterAll(() => t?.close());

describe("visit permissions", () => {
  it.each(Object.keys(OPERATIONS))("%s: allowed principals pass the gate, everyone else is refused, nothing is written", async (name) => {
    const before = await counts();
    await expectGate(t, name, OPERATIONS[name]!, PRINCIPALS, tokens);
    expect(await counts()).toEqual(before);
  });

  it("visit(id) and node(id): in scope it is found, out of scope it is NOT_FOUND like a missing one", async () => {
    for (const principal of IN_SCOPE) {
      for (const query of [`query($id: ID!) { visit(id: $id) { id } }`, `query($id: ID!) { node(id: $id) { ... on Visit { id status } } }`]) {
        const response = await gql(query, { id: fixtureVisit }, tokens.get(principal));
        expect(response.errors, principal).toBeUndefined();
      }
    }
    for (const principal of OUT_OF_SCOPE) {
      const direct = await gql(`query($id: ID!) { visit(id: $id) { id } }`, { id: fixtureVisit }, tokens.get(principal));
      expect(errorCodes(direct), principal).toEqual(["NOT_FOUND"]);
      const node = await gql(`query($id: ID!) { node(id: $id) { id } }`, { id: fixtureVisit }, tokens.get(principal));
      expect(errorCodes(node), principal).toEqual(["NOT_FOUND"]);
    }
    for (const principal of ["data steward", "service referential:read", "partner contacts:read"]) {
      const node = await gql(`query($id: ID!) { node(id: $id) { id } }`, { id: fixtureVisit }, tokens.get(principal));
      expect(errorCodes(node), principal).toEqual(["NOT_FOUND"]);
    }
  });

  it("visits lists hold the visit only for those in scope, totalCount included", async () => {
    const query = `query($o: ID) { visits(first: 200, filter: { organisation: $o }) { totalCount edges { node { id } } } }`;
    for (const principal of IN_SCOPE) {
      const response = await gql(query, { o: fixtureOrganisation }, tokens.get(principal));
      expect(response.data!.visits, principal).toEqual({ totalCount: 1, edges: [{ node: { id: fixtureVisit } }] });
    }
    for (const principal of OUT_OF_SCOPE) {
      const response = await gql(query, { o: fixtureOrganisation }, tokens.get(principal));
      expect(response.data!.visits, principal).toEqual({ totalCount: 0, edges: [] });
    }
    // The late list: planned on 10 Nov, not done.
    const late = await gql(`{ lateVisits(first: 200) { edges { node { id } } } }`, {}, tokens.get("rep"));
    expect(late.data!.lateVisits.edges.map((e: Data) => e.node.id)).toContain(fixtureVisit);
    const otherLate = await gql(`{ lateVisits(first: 200) { edges { node { id } } } }`, {}, tokens.get("other rep"));
    expect(otherLate.data!.lateVisits.edges.map((e: Data) => e.node.id)).not.toContain(fixtureVisit);
  });

  it("Organisation.visits: the nested path is refused to stewards and bounded by the scope for others", async () => {
    const query = `query($id: ID!) { organisation(id: $id) { visits { totalCount edges { node { id } } } } }`;
    const steward = await gql(query, { id: fixtureOrganisation }, tokens.get("data steward"));
    expect(errorCodes(steward)).toEqual(["FORBIDDEN"]);
    expect(steward.errors![0]!.path).toEqual(["organisation", "visits"]);
    for (const principal of IN_SCOPE) {
      const response = await gql(query, { id: fixtureOrganisation }, tokens.get(principal));
      expect(response.data!.organisation.visits, principal).toEqual({ totalCount: 1, edges: [{ node: { id: fixtureVisit } }] });
    }
    const partner = await gql(query, { id: fixtureOrganisation }, tokens.get("partner contacts:read"));
    expect(errorCodes(partner)).toEqual(["FORBIDDEN"]);
  });

  it("Visit.brief: partners get no amounts and no orders; commercial users get both", async () => {
    const query = `query($id: ID!) { visit(id: $id) { brief {
      opportunities { name amount weightedAmount } quotesToChase { reference amount } recentOrders { amount } incidents { id } openTasks { id } } } }`;
    const rep = await gql(query, { id: fixtureVisit }, tokens.get("rep"));
    expect(rep.data!.visit.brief).toMatchObject({
      opportunities: [{ name: "Rayon jardin", amount: "12000.00", weightedAmount: "6000.00" }],
      quotesToChase: [{ reference: "DEV-1", amount: "11500.00" }],
    });
    expect(rep.data!.visit.brief.recentOrders).toHaveLength(3);
    const withDeals = await gql(query, { id: fixtureVisit }, tokens.get("partner visits:write opportunities:read"));
    expect(withDeals.errors).toBeUndefined();
    expect(withDeals.data!.visit.brief).toMatchObject({
      opportunities: [{ name: "Rayon jardin", amount: null, weightedAmount: null }],
      quotesToChase: [{ reference: "DEV-1", amount: null }],
      recentOrders: [],
    });
    const visitsOnly = await gql(query, { id: fixtureVisit }, tokens.get("partner visits:write"));
    expect(visitsOnly.data!.visit.brief).toMatchObject({ opportunities: [], quotesToChase: [], recentOrders: [] });
    expect(visitsOnly.data!.visit.brief.incidents).toHaveLength(2);
    expect(visitsOnly.data!.visit.brief.openTasks).toHaveLength(2);
  });

  it("writes: out of scope is NOT_FOUND, head office may read but not write, a partner writes inside its restriction", async () => {
    const plan = `mutation($o: ID!) { planVisit(input: { organisationId: $o, plannedAt: "2026-12-01T09:00:00Z" }) { visit { id rep { email } } } }`;
    for (const principal of OUT_OF_SCOPE) {
      expect(errorCodes(await gql(plan, { o: fixtureOrganisation }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
      const prepare = await gql(`mutation($id: ID!) { prepareVisit(input: { id: $id, version: 1, objectives: "x" }) { visit { id } } }`, { id: fixtureVisit }, tokens.get(principal));
      expect(errorCodes(prepare), principal).toEqual(["NOT_FOUND"]);
    }
    const head = await gql(`mutation($id: ID!) { prepareVisit(input: { id: $id, version: 1, objectives: "x" }) { visit { id } } }`, { id: fixtureVisit }, tokens.get("head office"));
    expect(errorCodes(head)).toEqual(["FORBIDDEN"]);
    // A partner's visit is made for the rep in charge.
    const byPartner = await gql(plan, { o: fixtureOrganisation }, tokens.get("partner visits:write"));
    expect(byPartner.errors).toBeUndefined();
    expect(byPartner.data!.planVisit.visit.rep).toEqual({ email: "rep.lyon@demo.test" });
    const stored = await t.database.prisma.visit.findFirstOrThrow({ where: { createdByTokenJti: { not: null } }, include: { rep: true } });
    expect(stored.rep.email).toBe("rep.lyon@demo.test");
    // A manager plans for a rep of the team only.
    const lyon = await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } });
    const wrongRep = await gql(
      `mutation($o: ID!, $r: ID!) { planVisit(input: { organisationId: $o, plannedAt: "2026-12-01T09:00:00Z", repId: $r }) { visit { id } } }`,
      { o: fixtureOrganisation, r: toGlobalId("User", lyon.id) },
      tokens.get("manager"),
    );
    expect(errorCodes(wrongRep)).toEqual(["BAD_USER_INPUT"]);
  });

  it("visitPlan: reps see themselves only, managers their team, partners their restriction", async () => {
    const lille = await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } });
    const query = `query($rep: ID, $team: ID) { visitPlan(rep: $rep, team: $team, first: 200) { totalCount edges { node { organisationName } } } }`;
    expect(errorCodes(await gql(query, { rep: toGlobalId("User", lille.id) }, tokens.get("rep")))).toEqual(["NOT_FOUND"]);
    expect(errorCodes(await gql(query, { rep: toGlobalId("User", lille.id) }, tokens.get("manager")))).toEqual(["NOT_FOUND"]);
    const north = await t.database.prisma.team.findUniqueOrThrow({ where: { name: "North" } });
    expect(errorCodes(await gql(query, { team: toGlobalId("Team", north.id) }, tokens.get("manager")))).toEqual(["NOT_FOUND"]);
    const ofTeam = await gql(query, { team: toGlobalId("Team", north.id) }, tokens.get("head office"));
    expect(ofTeam.data!.visitPlan.totalCount).toBeGreaterThan(0);
    const partner = await gql(query, {}, tokens.get("partner visits:write"));
    expect(partner.data!.visitPlan).toEqual({ totalCount: 1, edges: [{ node: { organisationName: "Permissions Visite" } }] });
    const managerPlan = await gql(query, {}, tokens.get("manager"));
    expect(managerPlan.data!.visitPlan.edges.map((e: Data) => e.node.organisationName)).toContain("Permissions Visite");
    const otherManagerPlan = await gql(query, {}, tokens.get("other manager"));
    expect(otherManagerPlan.data!.visitPlan.edges.map((e: Data) => e.node.organisationName)).not.toContain("Permissions Visite");
  });

  it("head office manages visit policies; a second policy for the same segment and category is refused", async () => {
    const head = tokens.get("head office");
    const created = await gql(`mutation { createVisitPolicy(input: { name: "Silver develop", segment: SILVER, category: DEVELOP, intervalMonths: 3 }) { policy { id name segment category intervalMonths } } }`, {}, head);
    expect(created.errors).toBeUndefined();
    const policy = created.data!.createVisitPolicy.policy;
    expect(policy).toMatchObject({ name: "Silver develop", segment: "SILVER", category: "DEVELOP", intervalMonths: 3 });
    const twice = await gql(`mutation { createVisitPolicy(input: { name: "Again", segment: SILVER, category: DEVELOP, intervalMonths: 5 }) { policy { id } } }`, {}, head);
    expect(errorCodes(twice)).toEqual(["BAD_USER_INPUT"]);
    const updated = await gql(`mutation($id: ID!) { updateVisitPolicy(input: { id: $id, intervalMonths: 2 }) { policy { intervalMonths name } } }`, { id: policy.id }, head);
    expect(updated.data!.updateVisitPolicy.policy).toEqual({ intervalMonths: 2, name: "Silver develop" });
    const listed = await gql(`{ visitPolicies { name intervalMonths } }`, {}, tokens.get("rep"));
    expect(listed.data!.visitPolicies).toContainEqual({ name: "Silver develop", intervalMonths: 2 });
    const deleted = await gql(`mutation($id: ID!) { deleteVisitPolicy(input: { id: $id }) { deletedId } }`, { id: policy.id }, head);
    expect(deleted.data!.deleteVisitPolicy.deletedId).toBe(policy.id);
    expect(await t.database.prisma.auditEvent.count({ where: { entity: "VisitPolicy" } })).toBe(3);
  });
});
