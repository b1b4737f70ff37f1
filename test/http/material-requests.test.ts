// Material requests over HTTP: filed by a visit report, decided by the rep's manager or head office, shipped,
// delivered — and no other move. Every principal on every root field, mutation, node(id) and nested path;
// out of scope answers NOT_FOUND. "Today" is 2026-11-15.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { buildCustomer, day } from "../fixtures/visits.js";
import { expectGate, type GateCase } from "../support/gates.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
const MADE_UP = "00000000-0000-4000-8000-00000000beef";
let t: TestServer;
const tokens = new Map<string, string | undefined>();
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);
const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;
const ids = new Map<string, string>();

const READERS = ["rep", "other rep", "manager", "other manager", "head office", "partner visits:write", "other partner visits:write"];
const PRINCIPALS = [...READERS, "anonymous", "data steward", "partner contacts:read", "service referential:read"];
const IN_SCOPE = ["rep", "manager", "head office", "partner visits:write"];
const OUT_OF_SCOPE = ["other rep", "other manager", "other partner visits:write"];
const requestId = toGlobalId("MaterialRequest", MADE_UP);

/** operation → [document, variables, principals allowed to call it] */
const OPERATIONS: Record<string, GateCase> = {
  materialRequests: [`{ materialRequests { totalCount } }`, {}, READERS],
  materialRequest: [`query($id: ID!) { materialRequest(id: $id) { id } }`, { id: requestId }, READERS],
  decideMaterialRequest: [`mutation($id: ID!) { decideMaterialRequest(input: { id: $id, version: 1, decision: APPROVED }) { materialRequest { id } } }`, { id: requestId }, ["manager", "other manager", "head office"]],
  markMaterialRequestShipped: [`mutation($id: ID!) { markMaterialRequestShipped(input: { id: $id, version: 1 }) { materialRequest { id } } }`, { id: requestId }, ["manager", "other manager", "head office"]],
  markMaterialRequestDelivered: [`mutation($id: ID!) { markMaterialRequestDelivered(input: { id: $id, version: 1 }) { materialRequest { id } } }`, { id: requestId }, READERS],
};

const REQUEST = `id status decisionReason statusNote decidedAt shippedAt deliveredAt version items { item quantity }
  requestedBy { email } rep { email } decidedBy { email } organisation { id } visit { id }`;

async function issue(input: Record<string, unknown>): Promise<string> {
  const response = await gql(`mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`, { input }, await t.login("head.office@demo.test"));
  if (!response.data?.issueApiToken) throw new Error(JSON.stringify(response.errors));
  return response.data.issueApiToken.token;
}

/** A visit of the organisation reported with material requests, as `token`; returns the visit and the requests. */
async function reportWithMaterial(organisationId: string, token: string, requests: { item: string; quantity: number }[][], repId?: string) {
  const plan = await gql(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { id } } }`, {
    input: { organisationId, plannedAt: "2026-11-14T09:00:00Z", ...(repId ? { repId } : {}) },
  }, token);
  expect(plan.errors).toBeUndefined();
  const visitId = plan.data!.planVisit.visit.id;
  const reported = await gql(`mutation($input: ReportVisitInput!) { reportVisit(input: $input) { materialRequests { ${REQUEST} } } }`, {
    input: { id: visitId, version: 1, materialRequests: requests.map((items) => ({ items })) },
  }, token);
  expect(reported.errors).toBeUndefined();
  return { visitId, requests: reported.data!.reportVisit.materialRequests as Data[] };
}

const fixture = { organisation: "", elsewhere: "", visit: "", request: "" };

beforeAll(async () => {
  t = await startTestServer();
  const db = t.database.prisma;
  for (const u of await db.user.findMany({ select: { id: true, email: true } })) ids.set(u.email, u.id);
  const { organisation } = await buildCustomer(db, "Matériel Client", { charges: [[ids.get("rep.lyon@demo.test")!, day("2025-01-01")]], contacts: 0 });
  const { organisation: elsewhere } = await buildCustomer(db, "Matériel Ailleurs", { charges: [[ids.get("rep.lille@demo.test")!, day("2025-01-01")]], contacts: 0 });
  fixture.organisation = toGlobalId("Organisation", organisation.id);
  fixture.elsewhere = toGlobalId("Organisation", elsewhere.id);

  const expiresAt = new Date(TODAY.getTime() + 30 * 86_400_000).toISOString();
  const partner = (name: string, scopes: string[], organisationIds: string[]) => issue({ kind: "PARTNER", name, scopes, organisationIds, expiresAt });
  tokens.set("anonymous", undefined);
  tokens.set("rep", await t.login("rep.lyon@demo.test"));
  tokens.set("other rep", await t.login("rep.lille@demo.test"));
  tokens.set("manager", await t.login("manager.south@demo.test"));
  tokens.set("other manager", await t.login("manager.north@demo.test"));
  tokens.set("head office", await t.login("head.office@demo.test"));
  tokens.set("data steward", await t.login("data.steward@demo.test"));
  tokens.set("partner visits:write", await partner("p1", ["visits:write"], [fixture.organisation]));
  tokens.set("other partner visits:write", await partner("p2", ["visits:write"], [fixture.elsewhere]));
  tokens.set("partner contacts:read", await partner("p3", ["contacts:read"], [fixture.organisation]));
  tokens.set("service referential:read", await issue({ kind: "SERVICE", name: "s", scopes: ["referential:read"] }));

  const { visitId, requests } = await reportWithMaterial(fixture.organisation, tokens.get("rep")!, [[{ item: "Kakémono", quantity: 1 }]]);
  fixture.visit = visitId;
  fixture.request = requests[0]!.id;
});
afterAll(() => t?.close());

const decide = (id: string, version: number, decision: string, reason: string | null, token?: string) =>
  gql(`mutation($input: DecideMaterialRequestInput!) { decideMaterialRequest(input: $input) { materialRequest { ${REQUEST} } } }`, { input: { id, version, decision, reason } }, token);
const ship = (id: string, version: number, token?: string) =>
  gql(`mutation($input: MarkMaterialRequestShippedInput!) { markMaterialRequestShipped(input: $input) { materialRequest { ${REQUEST} } } }`, { input: { id, version } }, token);
const deliver = (id: string, version: number, token?: string) =>
  gql(`mutation($input: MarkMaterialRequestDeliveredInput!) { markMaterialRequestDelivered(input: $input) { materialRequest { ${REQUEST} } } }`, { input: { id, version } }, token);

describe("a material request through its states", () => {
  it("REQUESTED → APPROVED (the rep's manager) → SHIPPED (head office) → DELIVERED (the rep); every other move is BAD_USER_INPUT", async () => {
    const rep = tokens.get("rep")!;
    const manager = tokens.get("manager")!;
    const head = tokens.get("head office")!;
    const { visitId, requests } = await reportWithMaterial(fixture.organisation, rep, [[{ item: "Présentoir", quantity: 2 }, { item: "Échantillons", quantity: 10 }]]);
    const request = requests[0]!;
    expect(request).toMatchObject({
      status: "REQUESTED",
      version: 1,
      items: [{ item: "Présentoir", quantity: 2 }, { item: "Échantillons", quantity: 10 }],
      requestedBy: { email: "rep.lyon@demo.test" },
      rep: { email: "rep.lyon@demo.test" },
      decidedBy: null,
      organisation: { id: fixture.organisation },
      visit: { id: visitId },
    });
    // Not delivered before being shipped, not shipped before being approved.
    expect(errorCodes(await deliver(request.id, 1, rep))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await ship(request.id, 1, head))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await decide(request.id, 0, "APPROVED", null, manager))).toEqual(["CONFLICT"]);
    expect(errorCodes(await decide(request.id, 1, "REFUSED", "  ", manager))).toEqual(["BAD_USER_INPUT"]);

    const approved = await decide(request.id, 1, "APPROVED", "Budget du trimestre", manager);
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.decideMaterialRequest.materialRequest).toMatchObject({
      status: "APPROVED",
      version: 2,
      decisionReason: "Budget du trimestre",
      statusNote: "Budget du trimestre",
      decidedBy: { email: "manager.south@demo.test" },
      decidedAt: t.clock.now.toISOString(),
    });
    expect(errorCodes(await decide(request.id, 2, "REFUSED", "Trop tard", head))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await deliver(request.id, 2, rep))).toEqual(["BAD_USER_INPUT"]);

    const shipped = await ship(request.id, 2, head);
    expect(shipped.data!.markMaterialRequestShipped.materialRequest).toMatchObject({ status: "SHIPPED", version: 3, shippedAt: t.clock.now.toISOString() });
    expect(errorCodes(await ship(request.id, 3, head))).toEqual(["BAD_USER_INPUT"]);
    // still pending in the brief until delivered
    const brief = `query($id: ID!) { visit(id: $id) { brief { pendingMaterialRequests { id status } } } }`;
    expect((await gql(brief, { id: visitId }, rep)).data!.visit.brief.pendingMaterialRequests).toContainEqual({ id: request.id, status: "SHIPPED" });

    const delivered = await deliver(request.id, 3, rep);
    expect(delivered.data!.markMaterialRequestDelivered.materialRequest).toMatchObject({ status: "DELIVERED", version: 4, deliveredAt: t.clock.now.toISOString() });
    expect(errorCodes(await deliver(request.id, 4, rep))).toEqual(["BAD_USER_INPUT"]);
    expect((await gql(brief, { id: visitId }, rep)).data!.visit.brief.pendingMaterialRequests.map((r: Data) => r.id)).not.toContain(request.id);

    const audit = await t.database.prisma.auditEvent.findMany({ where: { entity: "MaterialRequest", entityId: uuidOf(request.id) }, orderBy: { at: "asc" } });
    expect(audit.map((event) => event.action)).toEqual(["create", "approve", "ship", "deliver"]);
  });

  it("a refusal says why and ends the request; only the rep's manager or head office decide", async () => {
    const { requests } = await reportWithMaterial(fixture.organisation, tokens.get("rep")!, [[{ item: "Affiche", quantity: 5 }], [{ item: "Catalogue", quantity: 20 }]]);
    const [poster, catalogue] = requests as [Data, Data];
    const refused = await decide(poster.id, 1, "REFUSED", "Stock épuisé", tokens.get("head office"));
    expect(refused.data!.decideMaterialRequest.materialRequest).toMatchObject({ status: "REFUSED", decisionReason: "Stock épuisé", decidedBy: { email: "head.office@demo.test" } });
    expect(errorCodes(await ship(poster.id, 2, tokens.get("head office")))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await decide(poster.id, 2, "APPROVED", null, tokens.get("head office")))).toEqual(["BAD_USER_INPUT"]);
    // A manager of another team does not see it; a rep is refused at the gate.
    expect(errorCodes(await decide(catalogue.id, 1, "APPROVED", null, tokens.get("other manager")))).toEqual(["NOT_FOUND"]);
    expect(errorCodes(await decide(catalogue.id, 1, "APPROVED", null, tokens.get("rep")))).toEqual(["FORBIDDEN"]);

    // A manager's own request (a visit the manager made) is decided by head office, not by the manager.
    const own = await reportWithMaterial(fixture.organisation, tokens.get("manager")!, [[{ item: "Banderole", quantity: 1 }]], toGlobalId("User", ids.get("manager.south@demo.test")!));
    const ownRequest = own.requests[0]!;
    expect(ownRequest).toMatchObject({ rep: { email: "manager.south@demo.test" }, requestedBy: { email: "manager.south@demo.test" } });
    expect(errorCodes(await decide(ownRequest.id, 1, "APPROVED", null, tokens.get("manager")))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await ship(ownRequest.id, 1, tokens.get("manager")))).toEqual(["FORBIDDEN"]);
    expect((await decide(ownRequest.id, 1, "APPROVED", null, tokens.get("head office"))).data!.decideMaterialRequest.materialRequest.status).toBe("APPROVED");
  });

  it("a partner's visit report files a request for the rep in charge; the partner confirms delivery but does not decide", async () => {
    const partner = tokens.get("partner visits:write")!;
    const { requests } = await reportWithMaterial(fixture.organisation, partner, [[{ item: "PLV", quantity: 3 }]]);
    const request = requests[0]!;
    // who asked: the user who issued the token (as in the audit trail); for whom: the rep in charge
    expect(request).toMatchObject({ status: "REQUESTED", requestedBy: { email: "head.office@demo.test" }, rep: { email: "rep.lyon@demo.test" } });
    expect(errorCodes(await decide(request.id, 1, "APPROVED", null, partner))).toEqual(["FORBIDDEN"]);
    await decide(request.id, 1, "APPROVED", null, tokens.get("manager"));
    await ship(request.id, 2, tokens.get("manager"));
    expect((await deliver(request.id, 3, partner)).data!.markMaterialRequestDelivered.materialRequest.status).toBe("DELIVERED");
    const stored = await t.database.prisma.materialRequest.findUniqueOrThrow({ where: { id: uuidOf(request.id) } });
    expect(stored.requestedByTokenJti).not.toBeNull();
  });
});

describe("the material requests list", () => {
  it("filters by status, organisation, visit, requester and rep; newest first unless ordered", async () => {
    const rep = tokens.get("rep")!;
    const { visitId, requests } = await reportWithMaterial(fixture.organisation, rep, [[{ item: "A", quantity: 1 }], [{ item: "B", quantity: 1 }]]);
    const list = `query($f: MaterialRequestFilter, $o: MaterialRequestOrder, $first: Int) { materialRequests(filter: $f, orderBy: $o, first: $first) { totalCount edges { node { id } } } }`;
    const idsOf = async (f: Data, o?: Data, token = rep) => {
      const response = await gql(list, { f, o, first: 200 }, token);
      expect(response.errors).toBeUndefined();
      return response.data!.materialRequests.edges.map((e: Data) => e.node.id) as string[];
    };
    const made = requests.map((r) => r.id);
    const ascending = await idsOf({ visit: visitId }, { field: "CREATED_AT", direction: "ASC" });
    expect([...ascending].sort()).toEqual([...made].sort());
    expect(await idsOf({ visit: visitId })).toEqual([...ascending].reverse());
    expect(await idsOf({ visit: visitId, status: ["APPROVED"] })).toEqual([]);
    const mine = await idsOf({ organisation: fixture.organisation, requestedBy: toGlobalId("User", ids.get("rep.lyon@demo.test")!) });
    expect(mine).toEqual(expect.arrayContaining(made));
    expect(await idsOf({ organisation: fixture.organisation, requestedBy: toGlobalId("User", ids.get("head.office@demo.test")!) })).not.toContain(made[0]);
    expect(await idsOf({ rep: toGlobalId("User", ids.get("rep.lyon@demo.test")!), status: ["REQUESTED"] })).toEqual(expect.arrayContaining(made));
    const tooMany = await gql(`{ materialRequests(first: 201) { totalCount } }`, {}, rep);
    expect(errorCodes(tooMany)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("material request permissions", () => {
  const counts = () => Promise.all([t.database.prisma.materialRequest.count(), t.database.prisma.auditEvent.count()]);

  it.each(Object.keys(OPERATIONS))("%s: allowed principals pass the gate, everyone else is refused, nothing is written", async (name) => {
    const before = await counts();
    await expectGate(t, name, OPERATIONS[name]!, PRINCIPALS, tokens);
    expect(await counts()).toEqual(before);
  });

  it("materialRequest(id), node(id) and the list: found in scope; NOT_FOUND or absent out of scope", async () => {
    const direct = `query($id: ID!) { materialRequest(id: $id) { id status } }`;
    const node = `query($id: ID!) { node(id: $id) { id ... on MaterialRequest { status } } }`;
    const list = `query($o: ID) { materialRequests(filter: { organisation: $o }, first: 200) { totalCount edges { node { id } } } }`;
    for (const principal of IN_SCOPE) {
      for (const query of [direct, node]) expect((await gql(query, { id: fixture.request }, tokens.get(principal))).errors, principal).toBeUndefined();
      const listed = await gql(list, { o: fixture.organisation }, tokens.get(principal));
      expect(listed.data!.materialRequests.edges.map((e: Data) => e.node.id), principal).toContain(fixture.request);
      expect(listed.data!.materialRequests.totalCount, principal).toBe(listed.data!.materialRequests.edges.length);
    }
    for (const principal of OUT_OF_SCOPE) {
      expect(errorCodes(await gql(direct, { id: fixture.request }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
      expect(errorCodes(await gql(node, { id: fixture.request }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
      expect((await gql(list, { o: fixture.organisation }, tokens.get(principal))).data!.materialRequests, principal).toEqual({ totalCount: 0, edges: [] });
      expect(errorCodes(await deliver(fixture.request, 1, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
    }
    for (const principal of ["data steward", "partner contacts:read", "service referential:read"]) {
      expect(errorCodes(await gql(node, { id: fixture.request }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
    }
  });

  it("nested paths: Visit.materialRequests and the brief for those who read visits; MaterialRequest.visit and .organisation in scope", async () => {
    const query = `query($id: ID!) { visit(id: $id) { materialRequests { id visit { id } organisation { id } } brief { pendingMaterialRequests { id } } } }`;
    for (const principal of IN_SCOPE) {
      const response = await gql(query, { id: fixture.visit }, tokens.get(principal));
      expect(response.errors, principal).toBeUndefined();
      expect(response.data!.visit.materialRequests, principal).toEqual([{ id: fixture.request, visit: { id: fixture.visit }, organisation: { id: fixture.organisation } }]);
      expect(response.data!.visit.brief.pendingMaterialRequests.map((r: Data) => r.id), principal).toContain(fixture.request);
    }
    for (const principal of OUT_OF_SCOPE) expect(errorCodes(await gql(query, { id: fixture.visit }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
  });
});
