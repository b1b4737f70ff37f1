// Custom fields on organisation creation requests: a rep proposes the new organisation's custom values, checked
// when the request is filed as a creation would be; whoever reads the request sees those their read rule allows;
// a steward's approval writes them onto the organisation, with the steward's corrections (the others checked
// again against the definitions of that day).
// Look-alike rows of a bulk upsert or a CSV import, queued as requests, carry theirs the same way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGlobalId, toGlobalId } from "../../src/graphql/relay.js";
import { foldName } from "../../src/modules/organisations/organisation.search.js";
import { principalTokens } from "../support/principals.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestServer;
let tokens: Map<string, string | undefined>;
const db = () => t.database.prisma;
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;

const gql = (principal: string, query: string, variables: Record<string, unknown> = {}) => t.gql<Data, Record<string, unknown>>(query, variables, tokens.get(principal));

async function ok(principal: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await gql(principal, query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

const DEFINE = `mutation($input: DefineCustomFieldInput!) { defineCustomField(input: $input) { key version } }`;
const UPDATE_DEFINITION = `mutation($input: UpdateCustomFieldDefinitionInput!) { updateCustomFieldDefinition(input: $input) { key version options archivedAt } }`;
const REQUEST = `mutation($input: RequestOrganisationInput!) { requestOrganisation(input: $input) {
  organisationRequest { id status version customFields { key label type value } } } }`;
const READ_REQUEST = `query($id: ID!) { organisationRequest(id: $id) { id status version customFields { key label type value } } }`;
const APPROVE = `mutation($input: ApproveOrganisationRequestInput!) { approveOrganisationRequest(input: $input) {
  organisationRequest { id status organisation { id } } } }`;
const READ_ORGANISATION = `query($id: ID!) { organisation(id: $id) { id name externalId customFields { key value } } }`;
const UPSERT = `mutation($rows: [OrganisationUpsertRow!]!) { upsertOrganisations(input: { rows: $rows }) { results { externalId status id errors { field message } } } }`;

const EVERYONE = ["REP", "MANAGER", "HEAD_OFFICE", "DATA_STEWARD", "PARTNER", "SERVICE"];
const versions: Record<string, number> = {};

/** A creation request by the Lille rep for a new prospect in Lille. */
const prospect = (name: string, customFields?: Data[]) => ({ input: { kind: "CREATE", fields: { name, postalCode: "59000", city: "Lille" }, ...(customFields ? { customFields } : {}) } });

/** An organisation of the referential, for look-alike rows and merges. */
const existingOrganisation = (name: string, customFields: Data = {}) =>
  db().organisation.create({ data: { name, searchName: foldName(name), postalCode: "59000", city: "Lille", region: "Hauts-de-France", customFields } });

async function file(name: string, customFields: Data[]) {
  return (await ok("rep", REQUEST, prospect(name, customFields))).requestOrganisation.organisationRequest;
}

beforeAll(async () => {
  t = await startTestServer();
  tokens = await principalTokens(t, {
    rep: { login: "rep.lille@demo.test" },
    steward: { login: "data.steward@demo.test" },
    "head office": { login: "head.office@demo.test" },
  });
  for (const input of [
    { key: "machinePark", label: "Machine park", type: "MULTI_ENUM", options: ["Press", "Lathe", "Mill"], readers: EVERYONE, writers: ["REP", "DATA_STEWARD"] },
    { key: "shelves", label: "Shelves", type: "NUMBER", readers: ["REP", "MANAGER", "HEAD_OFFICE", "DATA_STEWARD"], writers: ["REP", "DATA_STEWARD"] },
    // the steward may not read this one: the requester's own note to head office
    { key: "repNote", label: "Rep note", type: "TEXT", readers: ["REP", "HEAD_OFFICE"], writers: ["REP"] },
    // the rep reads it, head office alone writes it
    { key: "auditGrade", label: "Audit grade", type: "ENUM", options: ["A", "B", "C"], readers: EVERYONE, writers: ["HEAD_OFFICE"] },
    { key: "creditLimit", label: "Credit limit", type: "NUMBER", readers: ["HEAD_OFFICE"], writers: ["HEAD_OFFICE"] },
    { key: "siteKind", label: "Site kind", type: "ENUM", options: ["WORKSHOP", "PLANT", "DEPOT"], readers: EVERYONE, writers: ["REP", "DATA_STEWARD"] },
    { key: "legacyCode", label: "Legacy code", type: "TEXT", readers: EVERYONE, writers: ["REP", "DATA_STEWARD"] },
  ]) {
    versions[input.key] = (await ok("head office", DEFINE, { input: { entity: "ORGANISATION", ...input } })).defineCustomField.version;
  }
}, 600_000);
afterAll(() => t?.close());

describe("custom fields of organisation creation requests", { timeout: 300_000 }, () => {
  it("a rep files a request with custom values; each reader sees those its read rule allows", async () => {
    const request = await file("Brumvald Chaudronnerie", [
      { key: "machinePark", value: ["Mill", "Press"] },
      { key: "shelves", value: 12 },
      { key: "repNote", value: "Met the owner at the fair" },
    ]);
    // stored as a creation stores them (options in the definition's order)
    expect((await db().organisationRequest.findUniqueOrThrow({ where: { id: uuidOf(request.id) } })).customFields).toEqual({
      machinePark: ["Press", "Mill"],
      shelves: 12,
      repNote: "Met the owner at the fair",
    });
    const all = [
      { key: "machinePark", label: "Machine park", type: "MULTI_ENUM", value: ["Press", "Mill"] },
      { key: "shelves", label: "Shelves", type: "NUMBER", value: 12 },
      { key: "repNote", label: "Rep note", type: "TEXT", value: "Met the owner at the fair" },
    ];
    expect(request.customFields).toEqual(all);
    expect((await ok("head office", READ_REQUEST, { id: request.id })).organisationRequest.customFields).toEqual(all);
    // the steward may not read the rep's note: it is not shown (nor named)
    const seenBySteward = await ok("steward", READ_REQUEST, { id: request.id });
    expect(seenBySteward.organisationRequest.customFields).toEqual(all.filter((value) => value.key !== "repNote"));
    expect(JSON.stringify(seenBySteward)).not.toContain("repNote");
    // nor in the queue
    const queue = await ok("steward", `query { organisationRequests(first: 200, filter: { status: [PENDING] }) { edges { node { id customFields { key value } } } } }`);
    const listed = queue.organisationRequests.edges.find((edge: Data) => edge.node.id === request.id).node;
    expect(listed.customFields).toEqual([{ key: "machinePark", value: ["Press", "Mill"] }, { key: "shelves", value: 12 }]);
    // nor in the audit trail of the filing: head office sees the three values there, the steward two
    const TRAIL = `query($id: String!) { auditEvents(first: 5, filter: { entity: "OrganisationRequest", entityId: $id }) { edges { node { action after } } } }`;
    const filed = async (principal: string) =>
      (await ok(principal, TRAIL, { id: uuidOf(request.id) })).auditEvents.edges.map((edge: Data) => edge.node).find((event: Data) => event.action === "create").after.customFields;
    expect(await filed("head office")).toEqual({ machinePark: ["Press", "Mill"], shelves: 12, repNote: "Met the owner at the fair" });
    expect(await filed("steward")).toEqual({ machinePark: ["Press", "Mill"], shelves: 12 });
  });

  it("refused values name the field, and no request is filed", async () => {
    const count = () => db().organisationRequest.count();
    const before = await count();
    for (const [customFields, fields] of [
      [[{ key: "shelvez", value: 3 }], [{ field: "customFields.shelvez", message: "is not a custom field of organisations" }]],
      // a field the rep may not read is as unknown to them as one that does not exist
      [[{ key: "creditLimit", value: 5000 }], [{ field: "customFields.creditLimit", message: "is not a custom field of organisations" }]],
      [[{ key: "shelves", value: "twelve" }], [{ field: "customFields.shelves", message: "must be a number" }]],
      [[{ key: "machinePark", value: ["Press", "Robot"] }], [{ field: "customFields.machinePark", message: "unknown options Robot (the options: Press, Lathe, Mill)" }]],
      [[{ key: "siteKind", value: "SHOP" }], [{ field: "customFields.siteKind", message: "must be one of: WORKSHOP, PLANT, DEPOT" }]],
    ] as const) {
      const response = await gql("rep", REQUEST, prospect("Quellmar Tôlerie", customFields as unknown as Data[]));
      expect(errorCodes(response), JSON.stringify(customFields)).toEqual(["BAD_USER_INPUT"]);
      expect(response.errors![0]!.extensions!.fields).toEqual(fields);
    }
    // readable but not writable by the rep: refused by the write rule every path shares (FORBIDDEN, naming the field)
    const notWritable = await gql("rep", REQUEST, prospect("Quellmar Tôlerie", [{ key: "auditGrade", value: "A" }]));
    expect(errorCodes(notWritable)).toEqual(["FORBIDDEN"]);
    expect(notWritable.errors![0]!.message).toContain("auditGrade");
    // an update request carries none: an existing organisation's custom fields are set directly
    const organisation = await db().organisation.findFirstOrThrow({ where: { mergedIntoId: null, assignments: { some: { rep: { email: "rep.lille@demo.test" } } } } });
    const update = await gql("rep", REQUEST, { input: { kind: "UPDATE", organisationId: toGlobalId("Organisation", organisation.id), fields: { phone: "+33 3 20 00 00 00" }, customFields: [{ key: "shelves", value: 3 }] } });
    expect(errorCodes(update)).toEqual(["BAD_USER_INPUT"]);
    expect(update.errors![0]!.extensions!.fields).toEqual([{ field: "customFields" }]);
    expect(await count()).toBe(before);
    expect(await db().organisationRequest.count({ where: { name: "Quellmar Tôlerie" } })).toBe(0);
  });

  it("a required field is required of a request as of a creation, when the requester may write it", async () => {
    const defined = (await ok("head office", DEFINE, { input: { entity: "ORGANISATION", key: "openingHours", label: "Opening hours", type: "TEXT", required: true, readers: EVERYONE, writers: ["REP"] } })).defineCustomField;
    try {
      const missing = await gql("rep", REQUEST, prospect("Stornhal Découpe", [{ key: "shelves", value: 2 }]));
      expect(errorCodes(missing)).toEqual(["BAD_USER_INPUT"]);
      expect(missing.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.openingHours", message: "is required" }]);
      expect(await db().organisationRequest.count({ where: { name: "Stornhal Découpe" } })).toBe(0);
      const filed = await file("Stornhal Découpe", [{ key: "openingHours", value: "8-12" }]);
      expect(filed.customFields.map((value: Data) => [value.key, value.value])).toEqual([["openingHours", "8-12"]]);
    } finally {
      await ok("head office", UPDATE_DEFINITION, { input: { entity: "ORGANISATION", key: "openingHours", version: defined.version, archived: true } });
    }
  });

  it("approval writes them onto the organisation, including those the steward may not read", async () => {
    const request = await file("Halvenmoor Fonderie", [
      { key: "machinePark", value: ["Lathe"] },
      { key: "shelves", value: 40 },
      { key: "repNote", value: "Wants a demo in spring" },
    ]);
    const approved = (await ok("steward", APPROVE, { input: { id: request.id, version: request.version } })).approveOrganisationRequest.organisationRequest;
    expect(approved.status).toBe("APPROVED");
    const organisationId = approved.organisation.id;
    expect((await ok("steward", READ_ORGANISATION, { id: organisationId })).organisation.customFields).toEqual([
      { key: "machinePark", value: ["Lathe"] },
      { key: "shelves", value: 40 },
    ]);
    expect((await ok("head office", READ_ORGANISATION, { id: organisationId })).organisation.customFields).toEqual([
      { key: "machinePark", value: ["Lathe"] },
      { key: "shelves", value: 40 },
      { key: "repNote", value: "Wants a demo in spring" },
    ]);
    expect((await db().organisation.findUniqueOrThrow({ where: { id: uuidOf(organisationId) } })).customFields).toEqual({ machinePark: ["Lathe"], shelves: 40, repNote: "Wants a demo in spring" });
  });

  it("a definition changed since the request: approval names the field and writes nothing, until the steward corrects it", async () => {
    const request = await file("Ostravel Métallerie", [{ key: "siteKind", value: "DEPOT" }, { key: "shelves", value: 5 }]);
    // no organisation holds DEPOT: head office may remove it, while the request still holds it
    versions.siteKind = (await ok("head office", UPDATE_DEFINITION, { input: { entity: "ORGANISATION", key: "siteKind", version: versions.siteKind, options: ["WORKSHOP", "PLANT"] } })).updateCustomFieldDefinition.version;
    const organisations = await db().organisation.count();
    const refused = await gql("steward", APPROVE, { input: { id: request.id, version: request.version } });
    expect(errorCodes(refused)).toEqual(["BAD_USER_INPUT"]);
    expect(refused.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.siteKind", message: "must be one of: WORKSHOP, PLANT (its definition changed since)" }]);
    const stored = await db().organisationRequest.findUniqueOrThrow({ where: { id: uuidOf(request.id) } });
    expect([stored.status, stored.version, stored.organisationId]).toEqual(["PENDING", 1, null]);
    expect(await db().organisation.count()).toBe(organisations);

    // corrections are the steward's writes: a field the steward may not write is refused, an unknown one named
    const notTheirs = await gql("steward", APPROVE, { input: { id: request.id, version: request.version, customFields: [{ key: "siteKind", value: "PLANT" }, { key: "repNote", value: "x" }] } });
    expect(errorCodes(notTheirs)).toEqual(["BAD_USER_INPUT"]); // the steward may not read repNote: unknown to them
    expect(notTheirs.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.repNote", message: "is not a custom field of organisations" }]);
    const notWritable = await gql("steward", APPROVE, { input: { id: request.id, version: request.version, customFields: [{ key: "siteKind", value: "PLANT" }, { key: "auditGrade", value: "A" }] } });
    expect(errorCodes(notWritable)).toEqual(["FORBIDDEN"]);
    const wrong = await gql("steward", APPROVE, { input: { id: request.id, version: request.version, customFields: [{ key: "siteKind", value: "DEPOT" }] } });
    expect(wrong.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.siteKind", message: "must be one of: WORKSHOP, PLANT" }]);
    expect(await db().organisation.count()).toBe(organisations);
    expect((await db().organisationRequest.findUniqueOrThrow({ where: { id: uuidOf(request.id) } })).status).toBe("PENDING");
    // the steward's correction replaces the refused value; the others are written as proposed
    const approved = await ok("steward", APPROVE, { input: { id: request.id, version: request.version, customFields: [{ key: "siteKind", value: "PLANT" }] } });
    const organisationId = approved.approveOrganisationRequest.organisationRequest.organisation.id;
    expect((await db().organisation.findUniqueOrThrow({ where: { id: uuidOf(organisationId) } })).customFields).toEqual({ siteKind: "PLANT", shelves: 5 });

    // a field archived since is kept with the organisation's data, hidden, as every organisation keeps its
    // archived fields' values; the request is approved
    const archived = await file("Ostravel Serrurerie", [{ key: "legacyCode", value: "OLD-7" }, { key: "shelves", value: 3 }]);
    versions.legacyCode = (await ok("head office", UPDATE_DEFINITION, { input: { entity: "ORGANISATION", key: "legacyCode", version: versions.legacyCode, archived: true } })).updateCustomFieldDefinition.version;
    const kept = await ok("steward", APPROVE, { input: { id: archived.id, version: archived.version } });
    const keptId = kept.approveOrganisationRequest.organisationRequest.organisation.id;
    expect((await db().organisation.findUniqueOrThrow({ where: { id: uuidOf(keptId) } })).customFields).toEqual({ legacyCode: "OLD-7", shelves: 3 });
    expect((await ok("head office", READ_ORGANISATION, { id: keptId })).organisation.customFields.map((field: Data) => field.key)).toEqual(["shelves"]);
  });

  it("only a creation request's approval takes custom fields", async () => {
    const held = (await ok("rep", `query { organisations(first: 1) { edges { node { id } } } }`)).organisations.edges[0].node.id;
    const update = (await ok("rep", REQUEST, { input: { kind: "UPDATE", organisationId: held, fields: { city: "Lille" } } })).requestOrganisation.organisationRequest;
    const refused = await gql("steward", APPROVE, { input: { id: update.id, version: update.version, customFields: [{ key: "shelves", value: 1 }] } });
    expect(errorCodes(refused)).toEqual(["BAD_USER_INPUT"]);
    expect((await db().organisationRequest.findUniqueOrThrow({ where: { id: uuidOf(update.id) } })).status).toBe("PENDING");
  });

  it("merged into an existing organisation, a request leaves that organisation's values as they are", async () => {
    const existing = await existingOrganisation("Pellagrin Robinetterie", { machinePark: ["Press"] });
    const request = await file("Pellagrin Robinetterie SA", [{ key: "machinePark", value: ["Lathe", "Mill"] }, { key: "shelves", value: 9 }]);
    const merged = await ok("steward", `mutation($input: MergeOrganisationRequestInput!) { mergeOrganisationRequest(input: $input) { organisationRequest { status } } }`, {
      input: { id: request.id, version: request.version, organisationId: toGlobalId("Organisation", existing.id) },
    });
    expect(merged.mergeOrganisationRequest.organisationRequest.status).toBe("MERGED");
    expect((await db().organisation.findUniqueOrThrow({ where: { id: existing.id } })).customFields).toEqual({ machinePark: ["Press"] });
  });

  it("a bulk upsert's look-alike row carries its custom values to the request; approval writes them", async () => {
    await existingOrganisation("Korvath Hydraulique");
    const rows = [
      { externalId: "RQ-CF-1", name: "Korvath Hydraulique", postalCode: "59000", city: "Lille", customFields: [{ key: "machinePark", value: ["Mill", "Lathe"] }, { key: "shelves", value: 4 }] },
      // a look-alike row's values are checked as its creation's would be
      { externalId: "RQ-CF-2", name: "Korvath Hydraulique Nord", postalCode: "59000", city: "Lille", customFields: [{ key: "machinePark", value: ["Laser"] }] },
    ];
    const results = (await ok("steward", UPSERT, { rows })).upsertOrganisations.results;
    expect(results.map((result: Data) => result.status)).toEqual(["DUPLICATE_CANDIDATE", "REJECTED"]);
    expect(results[1].errors).toEqual([{ field: "customFields.machinePark", message: "unknown options Laser (the options: Press, Lathe, Mill)" }]);
    expect(await db().organisationRequest.count({ where: { name: "Korvath Hydraulique Nord" } })).toBe(0);

    const requestId = results[0].id;
    const request = (await ok("steward", READ_REQUEST, { id: requestId })).organisationRequest;
    expect(request.customFields).toEqual([
      { key: "machinePark", label: "Machine park", type: "MULTI_ENUM", value: ["Lathe", "Mill"] },
      { key: "shelves", label: "Shelves", type: "NUMBER", value: 4 },
    ]);
    const approved = (await ok("steward", APPROVE, { input: { id: requestId, version: request.version } })).approveOrganisationRequest.organisationRequest;
    const organisation = (await ok("steward", READ_ORGANISATION, { id: approved.organisation.id })).organisation;
    expect(organisation).toMatchObject({ name: "Korvath Hydraulique", externalId: "RQ-CF-1" });
    expect(organisation.customFields).toEqual([{ key: "machinePark", value: ["Lathe", "Mill"] }, { key: "shelves", value: 4 }]);
  });

  it("a CSV import's look-alike line carries its cf.<key> columns to the request; approval writes them", async () => {
    await existingOrganisation("Dravenholt Emballage");
    const csv = "externalId,name,postalCode,city,cf.machinePark,cf.shelves\nRQ-CF-3,Dravenholt Emballage,59000,Lille,Press|Mill,7\n";
    const imported = await t.http.post("/import/organisations").set("content-type", "text/csv").set("authorization", `Bearer ${tokens.get("steward")}`).send(csv);
    expect(imported.status, imported.text).toBe(200);
    const [line] = JSON.parse(imported.text).rows as Data[];
    expect(line!.status).toBe("DUPLICATE_CANDIDATE");
    const request = (await ok("steward", READ_REQUEST, { id: line!.id })).organisationRequest;
    expect(request.customFields.map((value: Data) => [value.key, value.value])).toEqual([["machinePark", ["Press", "Mill"]], ["shelves", 7]]);
    const approved = (await ok("steward", APPROVE, { input: { id: line!.id, version: request.version } })).approveOrganisationRequest.organisationRequest;
    const organisation = (await ok("steward", READ_ORGANISATION, { id: approved.organisation.id })).organisation;
    expect(organisation).toMatchObject({ name: "Dravenholt Emballage", externalId: "RQ-CF-3" });
    expect(organisation.customFields).toEqual([{ key: "machinePark", value: ["Press", "Mill"] }, { key: "shelves", value: 7 }]);
  });
});
