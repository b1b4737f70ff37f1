// Incidents from other departments: imported by support or logistics systems (idempotent by external id, a
// changed incident is UPDATED), read by the field on every path (incidents, node(id), Organisation.incidents,
// the visit brief, the organisation dashboard), for every kind of principal. "Today" is 2026-11-15.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { buildCustomer, day } from "../fixtures/visits.js";
import { expectGate, type GateCase } from "../support/gates.js";
import { principalTokens } from "../support/principals.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
let tokens: Map<string, string | undefined>;
const gql = (query: string, variables: Record<string, unknown>, principal: string) => t.gql<Data, Record<string, unknown>>(query, variables, tokens.get(principal));

const IMPORT = `mutation($input: ImportIncidentsInput!) { importIncidents(input: $input) {
  created updated unchanged conflicts rejected results { externalId status id errors { field message } } } }`;
const BRIEF_INCIDENTS = `query($id: ID!) { visit(id: $id) { brief { incidents { id summary status resolvedAt } } } }`;
const OUTSTANDING = `{ organisationDashboard { outstanding { openIncidents } } }`;

let lyon: string;
let customer: { id: string; global: string };
let elsewhere: { id: string; global: string };
let visitId: string;

/** A customer of rep Lyon of its own, with a visit planned on 20 Nov. */
async function customerWithVisit(name: string) {
  const db = t.database.prisma;
  const built = (await buildCustomer(db, name, { charges: [[lyon, day("2025-01-01")]], contacts: 0 })).organisation;
  const visit = await db.visit.create({ data: { organisationId: built.id, repId: lyon, plannedAt: new Date("2026-11-20T09:00:00Z") } });
  return { id: built.id, global: toGlobalId("Organisation", built.id), visitId: toGlobalId("Visit", visit.id) };
}

const PRINCIPALS = [
  "rep", "other rep", "manager", "other manager", "head office", "data steward", "anonymous",
  "partner visits:write", "other partner visits:write", "partner contacts:read", "service incidents:import", "service referential:read",
];
const READERS = ["rep", "other rep", "manager", "other manager", "head office", "partner visits:write", "other partner visits:write", "service incidents:import"];
/** who sees the customer's incidents (it is in rep Lyon's charge, team South) */
const IN_SCOPE = ["rep", "manager", "head office", "partner visits:write", "service incidents:import"];
const OUT_OF_SCOPE = ["other rep", "other manager", "other partner visits:write"];

const row = (externalId: string, extra: Record<string, unknown> = {}) => ({
  externalId,
  organisationId: customer.global as string,
  kind: "DELIVERY_DELAY",
  openedAt: "2026-09-01T08:30:00Z",
  summary: "Palette bloquée au quai",
  department: "Logistique",
  ...extra,
});

beforeAll(async () => {
  t = await startTestServer();
  const db = t.database.prisma;
  lyon = (await db.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id;
  const lille = (await db.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } })).id;
  ({ visitId, ...customer } = await customerWithVisit("Incidents Jardinerie"));
  const other = (await buildCustomer(db, "Incidents Ailleurs", { charges: [[lille, day("2025-01-01")]], contacts: 0, region: "Hauts-de-France" })).organisation;
  elsewhere = { id: other.id, global: toGlobalId("Organisation", other.id) };
  tokens = await principalTokens(t, {
    rep: { login: "rep.lyon@demo.test" },
    "other rep": { login: "rep.lille@demo.test" },
    manager: { login: "manager.south@demo.test" },
    "other manager": { login: "manager.north@demo.test" },
    "head office": { login: "head.office@demo.test" },
    "data steward": { login: "data.steward@demo.test" },
    anonymous: "anonymous",
    "partner visits:write": { partner: ["visits:write"], organisationIds: [customer.global] },
    "other partner visits:write": { partner: ["visits:write"], organisationIds: [elsewhere.global] },
    "partner contacts:read": { partner: ["contacts:read"], organisationIds: [customer.global] },
    "service incidents:import": { service: ["incidents:import"] },
    "service referential:read": { service: ["referential:read"] },
  });
});
afterAll(() => t?.close());

describe("importIncidents: idempotent by external id, a changed incident is UPDATED", () => {
  it("imported twice (UNCHANGED), resolved by a third import: seen in the brief and the dashboard, then gone from both", async () => {
    const own = await customerWithVisit("Incidents Acceptation");
    const logRow = (extra: Record<string, unknown> = {}) => row("LOG-1", { organisationId: own.global, ...extra });
    const openBefore = (await gql(OUTSTANDING, {}, "rep")).data!.organisationDashboard.outstanding.openIncidents;
    const first = await gql(IMPORT, { input: { rows: [logRow()] } }, "service incidents:import");
    expect(first.errors).toBeUndefined();
    expect(first.data!.importIncidents).toMatchObject({ created: 1, updated: 0, unchanged: 0, rejected: 0 });
    const id = first.data!.importIncidents.results[0].id;

    const brief = await gql(BRIEF_INCIDENTS, { id: own.visitId }, "rep");
    expect(brief.data!.visit.brief.incidents).toEqual([{ id, summary: "Palette bloquée au quai", status: "OPEN", resolvedAt: null }]);
    expect((await gql(OUTSTANDING, {}, "rep")).data!.organisationDashboard.outstanding.openIncidents).toBe(openBefore + 1);

    const second = await gql(IMPORT, { input: { rows: [logRow()] } }, "service incidents:import");
    expect(second.data!.importIncidents).toMatchObject({ created: 0, updated: 0, unchanged: 1, results: [{ status: "UNCHANGED", id }] });

    const third = await gql(IMPORT, { input: { rows: [logRow({ status: "RESOLVED", resolvedAt: "2026-11-14T16:00:00+01:00" })] } }, "service incidents:import");
    expect(third.data!.importIncidents).toMatchObject({ created: 0, updated: 1, unchanged: 0, results: [{ status: "UPDATED", id }] });
    const stored = await t.database.prisma.incident.findUniqueOrThrow({ where: { externalId: "LOG-1" } });
    expect(stored).toMatchObject({ status: "RESOLVED", resolvedAt: new Date("2026-11-14T15:00:00Z"), organisationId: own.id });

    // opened more than 30 days before the visit and resolved: no longer in the brief, nor outstanding
    expect((await gql(BRIEF_INCIDENTS, { id: own.visitId }, "rep")).data!.visit.brief.incidents).toEqual([]);
    expect((await gql(OUTSTANDING, {}, "rep")).data!.organisationDashboard.outstanding.openIncidents).toBe(openBefore);
    // one audit event per row written, under the Incident entity and the incident's id
    const audits = await t.database.prisma.auditEvent.findMany({ where: { entity: "Incident", action: "import", entityId: stored.id }, orderBy: { seq: "asc" } });
    expect(audits.map((a) => [a.before === null, (a.after as Data).externalId])).toEqual([[true, "LOG-1"], [false, "LOG-1"]]);
    expect(audits[1]).toMatchObject({ before: { status: "OPEN", resolvedAt: null }, after: { status: "RESOLVED" } });
    expect(audits[1]!.changedFields).toEqual(expect.arrayContaining(["resolvedAt", "status"]));
  });

  it("reports each bad row on its own and writes the good ones, in a bounded number of statements", async () => {
    const rows = [
      row("BAD-1", { kind: "FIRE" }),
      row("BAD-2", { status: "RESOLVED" }),
      row("BAD-3", { openedAt: "2026-13-01" }),
      row("BAD-4", { organisationId: toGlobalId("Organisation", randomUUID()) }),
      row("BAD-5", { summary: "  " }),
      row("BAD-6", { status: "OPEN", resolvedAt: "2026-11-01" }),
      row("BAD-7", { resolvedAt: "2026-08-01" }),
      ...Array.from({ length: 30 }, (_, i) => row(`GOOD-${i}`, { openedAt: `2026-11-${String((i % 14) + 1).padStart(2, "0")}`, kind: i % 2 ? "BILLING" : "QUALITY" })),
    ];
    const response = await gql(IMPORT, { input: { rows } }, "service incidents:import");
    expect(response.errors).toBeUndefined();
    const payload = response.data!.importIncidents;
    expect(payload).toMatchObject({ created: 30, rejected: 7 });
    expect(payload.results.slice(0, 7).map((r: Data) => [r.externalId, r.errors.map((e: Data) => e.field)])).toEqual([
      ["BAD-1", ["kind"]],
      ["BAD-2", ["resolvedAt"]],
      ["BAD-3", ["openedAt"]],
      ["BAD-4", ["organisationId"]],
      ["BAD-5", ["summary"]],
      ["BAD-6", ["resolvedAt"]],
      ["BAD-7", ["resolvedAt"]],
    ]);
    // Resolving all 30 at once is one UPDATE, whatever the number of rows.
    const resolved = rows.slice(7).map((r) => ({ ...r, resolvedAt: "2026-11-15" }));
    const update = await gql(IMPORT, { input: { rows: resolved } }, "service incidents:import");
    expect(update.data!.importIncidents).toMatchObject({ updated: 30 });
    // authentication + organisations + existing ids + BEGIN / UPDATE / audit / COMMIT
    expect(update.statements).toBeLessThanOrEqual(10);
    const tooMany = await gql(IMPORT, { input: { rows: Array.from({ length: 1001 }, (_, i) => row(`MANY-${i}`)) } }, "service incidents:import");
    expect(errorCodes(tooMany)).toEqual(["BAD_USER_INPUT"]);
  });

  it("an incident naming a merged organisation lands on the organisation it was merged into", async () => {
    const db = t.database.prisma;
    const merged = await db.organisation.create({ data: { name: "Fusionnée", searchName: "fusionnee", mergedIntoId: customer.id } });
    const response = await gql(IMPORT, { input: { rows: [row("MERGED-1", { organisationId: toGlobalId("Organisation", merged.id) })] } }, "service incidents:import");
    expect(response.data!.importIncidents.created).toBe(1);
    expect((await db.incident.findUniqueOrThrow({ where: { externalId: "MERGED-1" } })).organisationId).toBe(customer.id);
  });
});

describe("who reads incidents, on every path", () => {
  let incidentId: string;
  beforeAll(async () => {
    const response = await gql(IMPORT, { input: { rows: [row("SCOPE-1", { openedAt: "2026-11-10", kind: "AFTER_SALES", summary: "Tondeuse en panne" })] } }, "service incidents:import");
    incidentId = response.data!.importIncidents.results[0].id;
  });

  const OPERATIONS: Record<string, GateCase> = {
    incidents: [`{ incidents { totalCount } }`, {}, READERS],
    importIncidents: [`mutation { importIncidents(input: { rows: [] }) { created } }`, {}, ["service incidents:import"]],
  };

  it.each(Object.keys(OPERATIONS))("%s: allowed principals pass the gate, everyone else is refused", async (name) => {
    await expectGate(t, name, OPERATIONS[name]!, PRINCIPALS, tokens);
  });

  it("incidents, node(id) and Organisation.incidents: found in scope, absent or NOT_FOUND out of it", async () => {
    const list = `query($o: ID!) { incidents(first: 200, filter: { organisationId: $o }) { totalCount edges { node { id externalId kind status organisation { id } } } } }`;
    const node = `query($id: ID!) { node(id: $id) { ... on Incident { id summary } } }`;
    for (const principal of IN_SCOPE) {
      const listed = await gql(list, { o: customer.global }, principal);
      expect(listed.errors, principal).toBeUndefined();
      expect(listed.data!.incidents.edges.map((e: Data) => e.node.id), principal).toContain(incidentId);
      expect((await gql(node, { id: incidentId }, principal)).data!.node, principal).toEqual({ id: incidentId, summary: "Tondeuse en panne" });
    }
    // the service token sees the incident but not the organisation (no organisations:read)
    const service = await gql(list, { o: customer.global }, "service incidents:import");
    expect(service.data!.incidents.edges.find((e: Data) => e.node.id === incidentId).node.organisation).toBeNull();
    for (const principal of OUT_OF_SCOPE) {
      expect((await gql(list, { o: customer.global }, principal)).data!.incidents, principal).toEqual({ totalCount: 0, edges: [] });
      expect(errorCodes(await gql(node, { id: incidentId }, principal)), principal).toEqual(["NOT_FOUND"]);
    }
    for (const principal of ["data steward", "partner contacts:read", "service referential:read"]) {
      expect(errorCodes(await gql(node, { id: incidentId }, principal)), principal).toEqual(["NOT_FOUND"]);
    }
    const nested = `query($id: ID!) { organisation(id: $id) { incidents(filter: { status: [OPEN] }) { totalCount edges { node { id } } } } }`;
    for (const principal of ["rep", "manager", "head office", "partner visits:write"]) {
      const response = await gql(nested, { id: customer.global }, principal);
      expect(response.data!.organisation.incidents.edges.map((e: Data) => e.node.id), principal).toContain(incidentId);
    }
    for (const principal of ["data steward", "partner contacts:read"]) {
      const response = await gql(nested, { id: customer.global }, principal);
      expect(errorCodes(response), principal).toEqual(["FORBIDDEN"]);
      expect(response.errors![0]!.path, principal).toEqual(["organisation", "incidents"]);
    }
  });

  it("filters, orders and counts: open first by default, by kind, status, opening date and external ids", async () => {
    const own = await customerWithVisit("Incidents Filtres");
    const rows = Array.from({ length: 6 }, (_, i) =>
      row(`FLT-${i}`, { organisationId: own.global, openedAt: `2026-10-0${i + 1}`, kind: i % 2 ? "BILLING" : "QUALITY", ...(i < 3 ? { resolvedAt: "2026-10-20" } : {}) }),
    );
    expect((await gql(IMPORT, { input: { rows } }, "service incidents:import")).data!.importIncidents.created).toBe(6);
    const query = `query($filter: IncidentFilter, $orderBy: IncidentOrder) { incidents(first: 200, filter: $filter, orderBy: $orderBy) { totalCount edges { node { externalId status } } } }`;
    const all = await gql(query, { filter: { organisationId: own.global } }, "head office");
    // open ones first (newest first), then the resolved ones
    expect(all.data!.incidents).toEqual({
      totalCount: 6,
      edges: ["FLT-5", "FLT-4", "FLT-3", "FLT-2", "FLT-1", "FLT-0"].map((externalId, i) => ({ node: { externalId, status: i < 3 ? "OPEN" : "RESOLVED" } })),
    });
    const billing = await gql(query, { filter: { organisationId: own.global, kind: ["BILLING"], status: ["RESOLVED"] } }, "rep");
    expect(billing.data!.incidents).toEqual({ totalCount: 1, edges: [{ node: { externalId: "FLT-1", status: "RESOLVED" } }] });
    const byDate = await gql(
      query,
      { filter: { externalIds: ["FLT-1", "FLT-3", "FLT-4", "LOG-NONE"], openedFrom: "2026-10-03T00:00:00Z", openedBefore: "2026-10-06T00:00:00Z" }, orderBy: { field: "OPENED_AT", direction: "ASC" } },
      "service incidents:import",
    );
    expect(byDate.data!.incidents.edges.map((e: Data) => e.node.externalId)).toEqual(["FLT-3", "FLT-4"]);
    const tooMany = await gql(query, { filter: { externalIds: Array.from({ length: 1001 }, (_, i) => `X${i}`) } }, "service incidents:import");
    expect(errorCodes(tooMany)).toEqual(["BAD_USER_INPUT"]);
    const page = await gql(`{ incidents(first: 201) { totalCount } }`, {}, "head office");
    expect(errorCodes(page)).toEqual(["BAD_USER_INPUT"]);
  });

  it("the demo company has open and resolved incidents from several departments", async () => {
    const query = `query($status: [IncidentStatus!]) { incidents(first: 200, filter: { status: $status }) { totalCount edges { node { externalId department } } } }`;
    for (const status of ["OPEN", "RESOLVED"]) {
      const demo = (await gql(query, { status: [status] }, "head office")).data!.incidents.edges.filter((e: Data) => e.node.externalId.startsWith("SUP-"));
      expect(demo.length, status).toBeGreaterThan(5);
      expect(new Set(demo.map((e: Data) => e.node.department)).size, status).toBeGreaterThan(2);
    }
  });

  it("the visit brief shows imported incidents to the rep and to partners with visits:write", async () => {
    for (const principal of ["rep", "partner visits:write"]) {
      const brief = await gql(BRIEF_INCIDENTS, { id: visitId }, principal);
      expect(brief.data!.visit.brief.incidents.map((i: Data) => i.id), principal).toContain(incidentId);
    }
  });
});
