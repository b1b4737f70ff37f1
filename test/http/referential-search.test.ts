// referentialSearch (identity of the whole validated referential and of the pending creation requests, for
// every kind of principal) and the request workflow fixes: the region of a corrected postal code, a CREATE
// request merged into an existing organisation, a prospect asked for twice. "Today" is 2026-11-15.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGlobalId, toGlobalId } from "../../src/graphql/relay.js";
import { foldName } from "../../src/modules/organisations/organisation.search.js";
import { buildCustomer, day } from "../fixtures/visits.js";
import { expectGate } from "../support/gates.js";
import { principalTokens } from "../support/principals.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
let tokens: Map<string, string | undefined>;
const gql = (query: string, variables: Record<string, unknown>, principal: string) => t.gql<Data, Record<string, unknown>>(query, variables, tokens.get(principal));
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;

const SEARCH = `query($text: String!, $first: Int, $after: String) { referentialSearch(text: $text, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { kind name city postalCode status inCharge } } } }`;
const REQUEST = `mutation($input: RequestOrganisationInput!) { requestOrganisation(input: $input) { organisationRequest { id version } } }`;
const APPROVE = `mutation($input: ApproveOrganisationRequestInput!) { approveOrganisationRequest(input: $input) {
  organisationRequest { status organisation { id address { postalCode region } assignedRep { email } } } } }`;
const MERGE_REQUEST = `mutation($input: MergeOrganisationRequestInput!) { mergeOrganisationRequest(input: $input) {
  organisationRequest { id status version resolutionNote organisation { id name } } } }`;

let lyon: string;

async function file(principal: string, fields: Record<string, unknown>, kind = "CREATE", extra: Record<string, unknown> = {}) {
  const response = await gql(REQUEST, { input: { kind, fields, ...extra } }, principal);
  expect(response.errors).toBeUndefined();
  return response.data!.requestOrganisation.organisationRequest as { id: string; version: number };
}

beforeAll(async () => {
  t = await startTestServer();
  const db = t.database.prisma;
  lyon = (await db.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id;
  // Two organisations named alike: one in rep Lyon's charge, one in the Grand Est gap (nobody in charge)
  await buildCustomer(db, "Quincaillerie Zibeline", { charges: [[lyon, day("2025-01-01")]], contacts: 0 });
  await db.organisation.updateMany({ where: { name: "Quincaillerie Zibeline" }, data: { searchName: foldName("Quincaillerie Zibeline"), city: "Lyon", postalCode: "69003", legalId: "81234567800017" } });
  await db.organisation.create({ data: { name: "Zibeline Outillage SARL", searchName: foldName("Zibeline Outillage SARL"), city: "Metz", postalCode: "57000", region: "Grand Est", status: "PROSPECT" } });
  const gone = await db.organisation.create({ data: { name: "Zibeline Ancien", searchName: foldName("Zibeline Ancien"), city: "Lyon" } });
  await db.organisation.update({ where: { id: gone.id }, data: { mergedIntoId: (await db.organisation.findFirstOrThrow({ where: { name: "Quincaillerie Zibeline" } })).id } });
  const partnerOrganisation = toGlobalId("Organisation", (await db.organisation.findFirstOrThrow({ where: { name: "Quincaillerie Zibeline" } })).id);
  tokens = await principalTokens(t, {
    rep: { login: "rep.lyon@demo.test" },
    "other rep": { login: "rep.lille@demo.test" },
    manager: { login: "manager.north@demo.test" },
    "head office": { login: "head.office@demo.test" },
    "data steward": { login: "data.steward@demo.test" },
    anonymous: "anonymous",
    "partner leads:write": { partner: ["leads:write"], organisationIds: [partnerOrganisation] },
    "partner visits:write": { partner: ["visits:write"], organisationIds: [partnerOrganisation] },
    "service referential:read": { service: ["referential:read"] },
  });
  // a pending creation request for a third Zibeline, filed by rep Lyon
  await file("rep", { name: "Jardinerie Zibeline", city: "Lyon", postalCode: "69003" });
});
afterAll(() => t?.close());

describe("referentialSearch: identity of the whole referential, and pending requests", () => {
  it("a rep outside the portfolio sees name, town, postal code, status and whether someone is in charge — nothing else", async () => {
    const response = await gql(SEARCH, { text: "zibeline" }, "other rep");
    expect(response.errors).toBeUndefined();
    const entries = response.data!.referentialSearch.edges.map((e: Data) => e.node);
    expect(response.data!.referentialSearch.totalCount).toBe(3);
    expect(entries).toEqual(
      expect.arrayContaining([
        { kind: "ORGANISATION", name: "Quincaillerie Zibeline", city: "Lyon", postalCode: "69003", status: "CLIENT", inCharge: true },
        { kind: "ORGANISATION", name: "Zibeline Outillage SARL", city: "Metz", postalCode: "57000", status: "PROSPECT", inCharge: false },
        { kind: "PENDING_REQUEST", name: "Jardinerie Zibeline", city: "Lyon", postalCode: "69003", status: null, inCharge: false },
      ]),
    );
    // the merged record is not there; the organisation itself stays out of the rep's reach
    expect(entries.map((e: Data) => e.name)).not.toContain("Zibeline Ancien");
    const found = await t.database.prisma.organisation.findFirstOrThrow({ where: { name: "Quincaillerie Zibeline" } });
    expect(errorCodes(await gql(`query($id: ID!) { organisation(id: $id) { id } }`, { id: toGlobalId("Organisation", found.id) }, "other rep"))).toEqual(["NOT_FOUND"]);
    // identity only: the type has no id, legal id, rep or figure
    const type = await gql(`{ __type(name: "ReferentialEntry") { fields { name } } }`, {}, "other rep");
    expect(type.data!.__type.fields.map((f: Data) => f.name).sort()).toEqual(["city", "inCharge", "kind", "name", "postalCode", "status"]);
  });

  it("finds by a typo, a postal code, or the SIREN of a SIRET; best first", async () => {
    const typo = await gql(SEARCH, { text: "Quincaillerie Zibelyne" }, "other rep");
    expect(typo.data!.referentialSearch.edges[0].node.name).toBe("Quincaillerie Zibeline");
    const siren = await gql(SEARCH, { text: "812 345 678" }, "other rep");
    expect(siren.data!.referentialSearch.edges.map((e: Data) => e.node.name)).toEqual(["Quincaillerie Zibeline"]);
    const postal = await gql(SEARCH, { text: "57000", first: 50 }, "other rep");
    expect(postal.data!.referentialSearch.edges.map((e: Data) => e.node.name)).toContain("Zibeline Outillage SARL");
    expect(postal.data!.referentialSearch.edges.every((e: Data) => e.node.postalCode === "57000")).toBe(true);
  });

  it("filters by kind and postal code prefix; orders by name", async () => {
    const query = `query($filter: ReferentialSearchFilter, $orderBy: ReferentialSearchOrder, $after: String) {
      referentialSearch(text: "zibeline", first: 1, after: $after, filter: $filter, orderBy: $orderBy) { totalCount pageInfo { endCursor } edges { node { kind name } } } }`;
    const pending = await gql(query, { filter: { kind: ["PENDING_REQUEST"] } }, "rep");
    expect(pending.data!.referentialSearch).toMatchObject({ totalCount: 1, edges: [{ node: { kind: "PENDING_REQUEST", name: "Jardinerie Zibeline" } }] });
    expect((await gql(query, { filter: { postalCodePrefix: "69" } }, "rep")).data!.referentialSearch.totalCount).toBe(2);
    const names: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i += 1) {
      const page = await gql(query, { orderBy: { field: "NAME" }, after }, "rep");
      names.push(page.data!.referentialSearch.edges[0].node.name);
      after = page.data!.referentialSearch.pageInfo.endCursor;
    }
    expect(names).toEqual(["Jardinerie Zibeline", "Quincaillerie Zibeline", "Zibeline Outillage SARL"]);
  });

  it("pages with a cursor (at most 50 a page); a text too short is refused", async () => {
    const first = await gql(SEARCH, { text: "zibeline", first: 2 }, "rep");
    expect(first.data!.referentialSearch.pageInfo.hasNextPage).toBe(true);
    const rest = await gql(SEARCH, { text: "zibeline", first: 2, after: first.data!.referentialSearch.pageInfo.endCursor }, "rep");
    const names = [...first.data!.referentialSearch.edges, ...rest.data!.referentialSearch.edges].map((e: Data) => e.node.name);
    expect(names.sort()).toEqual(["Jardinerie Zibeline", "Quincaillerie Zibeline", "Zibeline Outillage SARL"]);
    expect(rest.data!.referentialSearch.pageInfo.hasNextPage).toBe(false);
    const tooMany = await gql(SEARCH, { text: "zibeline", first: 51 }, "rep");
    expect(errorCodes(tooMany)).toEqual(["BAD_USER_INPUT"]);
    expect(tooMany.errors![0]!.extensions).toMatchObject({ argument: "first", max: 50 });
    expect(errorCodes(await gql(SEARCH, { text: " é " }, "rep"))).toEqual(["BAD_USER_INPUT"]);
  });

  it("who may search: reps, managers, head office, stewards and partners with leads:write", async () => {
    await expectGate(
      t,
      "referentialSearch",
      [`{ referentialSearch(text: "zibeline") { totalCount } }`, {}, ["rep", "other rep", "manager", "head office", "data steward", "partner leads:write"]],
      ["rep", "other rep", "manager", "head office", "data steward", "anonymous", "partner leads:write", "partner visits:write", "service referential:read"],
      tokens,
    );
    // a partner outside its restriction sees identities too (that is the point: no duplicate request)
    const partner = await gql(SEARCH, { text: "outillage zibeline" }, "partner leads:write");
    expect(partner.data!.referentialSearch.edges.map((e: Data) => e.node.name)).toContain("Zibeline Outillage SARL");
  });
});

describe("request workflow fixes", () => {
  it("a steward who corrects the postal code on approval: the region follows it and the territory rules place the organisation", async () => {
    // a town only (Lyon's region is known from the demo); the steward gives a postal code no organisation has yet
    const request = await file("rep", { name: "Menuiserie Croix-Rousse", city: "Lyon" });
    const approved = await gql(APPROVE, { input: { id: request.id, version: request.version, corrections: { postalCode: "69004" } } }, "data steward");
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveOrganisationRequest.organisationRequest.organisation).toMatchObject({
      address: { postalCode: "69004", region: "Auvergne-Rhône-Alpes" },
      assignedRep: { email: "rep.lyon@demo.test" },
    });
    // the same rule on a steward's direct correction: a Bordeaux postal code moves the organisation there
    const id = approved.data!.approveOrganisationRequest.organisationRequest.organisation.id;
    const version = (await t.database.prisma.organisation.findUniqueOrThrow({ where: { id: uuidOf(id) } })).version;
    const moved = await gql(
      `mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { organisation { address { region } assignedRep { email } } } }`,
      { input: { id, version, postalCode: "33800", city: "Bordeaux" } },
      "data steward",
    );
    expect(moved.data!.updateOrganisation.organisation).toEqual({ address: { region: "Nouvelle-Aquitaine" }, assignedRep: { email: "rep.bordeaux@demo.test" } });
  });

  it("a CREATE request ends MERGED into an existing organisation: its visit moves there, no new record", async () => {
    const db = t.database.prisma;
    const existing = (await buildCustomer(db, "Jardinerie Déjà Là", { charges: [[lyon, day("2025-01-01")]], contacts: 0 })).organisation;
    const request = await file("rep", { name: "Jardinerie Deja La", city: "Lyon" });
    const visit = await db.visit.create({ data: { requestId: uuidOf(request.id), repId: lyon, plannedAt: new Date("2026-11-12T09:00:00Z"), status: "DONE" } });
    const before = await db.organisation.count();
    const input = { id: request.id, version: request.version, organisationId: toGlobalId("Organisation", existing.id), note: "Already a customer" };
    // only stewards and head office resolve requests
    for (const principal of ["rep", "manager", "partner leads:write"]) expect(errorCodes(await gql(MERGE_REQUEST, { input }, principal)), principal).toEqual(["FORBIDDEN"]);
    const merged = await gql(MERGE_REQUEST, { input }, "data steward");
    expect(merged.errors).toBeUndefined();
    expect(merged.data!.mergeOrganisationRequest.organisationRequest).toMatchObject({
      status: "MERGED",
      version: request.version + 1,
      resolutionNote: "Already a customer",
      organisation: { id: toGlobalId("Organisation", existing.id), name: "Jardinerie Déjà Là" },
    });
    expect(await db.organisation.count()).toBe(before);
    expect((await db.visit.findUniqueOrThrow({ where: { id: visit.id } })).organisationId).toBe(existing.id);
    // the requester reads the outcome on their request
    const mine = await gql(`query($id: ID!) { organisationRequest(id: $id) { status organisation { name } } }`, { id: request.id }, "rep");
    expect(mine.data!.organisationRequest).toEqual({ status: "MERGED", organisation: { name: "Jardinerie Déjà Là" } });
    expect(errorCodes(await gql(MERGE_REQUEST, { input: { ...input, version: request.version + 1 } }, "data steward"))).toEqual(["CONFLICT"]);
    // an UPDATE request is approved, not merged
    const update = await file("rep", { phone: "+33 4 78 00 00 00" }, "UPDATE", { organisationId: toGlobalId("Organisation", existing.id) });
    expect(errorCodes(await gql(MERGE_REQUEST, { input: { ...input, id: update.id, version: update.version } }, "data steward"))).toEqual(["BAD_USER_INPUT"]);
  });

  it("a second request for the same pending prospect finds the first as a candidate; once the first is approved, its organisation", async () => {
    const CANDIDATES = `query($id: ID!) { organisationRequest(id: $id) {
      duplicateRequests { identity { kind name city postalCode } request { id } reasons score }
      duplicateCandidates { organisation { name } reasons } } }`;
    const first = await file("rep", { name: "Boulangerie Quatre Saisons", city: "Lyon", postalCode: "69003" });
    const second = await file("other rep", { name: "Boulangerie des Quatre Saisons", city: "Lyon", postalCode: "69003" });
    const seen = await gql(CANDIDATES, { id: second.id }, "other rep");
    expect(seen.data!.organisationRequest.duplicateRequests).toEqual([
      { identity: { kind: "PENDING_REQUEST", name: "Boulangerie Quatre Saisons", city: "Lyon", postalCode: "69003" }, request: null, reasons: expect.arrayContaining(["SIMILAR_NAME"]), score: expect.any(Number) },
    ]);
    // the steward sees the pair from both sides, with the requests themselves
    const fromSecond = await gql(CANDIDATES, { id: second.id }, "data steward");
    expect(fromSecond.data!.organisationRequest.duplicateRequests.map((d: Data) => d.request)).toEqual([{ id: first.id }]);
    const fromFirst = await gql(CANDIDATES, { id: first.id }, "data steward");
    expect(fromFirst.data!.organisationRequest.duplicateRequests.map((d: Data) => d.request)).toEqual([{ id: second.id }]);

    await gql(APPROVE, { input: { id: first.id, version: first.version } }, "data steward");
    const after = await gql(CANDIDATES, { id: second.id }, "data steward");
    expect(after.data!.organisationRequest.duplicateRequests).toEqual([]);
    expect(after.data!.organisationRequest.duplicateCandidates.map((c: Data) => c.organisation.name)).toContain("Boulangerie Quatre Saisons");
  });
});
