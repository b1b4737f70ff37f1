// Custom fields end to end: head office defines them, reps and stewards fill them through every write path
// (setCustomFields, create/update inputs, bulk upserts, CSV import), the values are checked against the
// definitions, filters test them, and a field readable by head office only never reaches anyone else — on any
// path: the record, node(id), nested paths, definitions, filters, exports, the audit trail, the change feed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { principalTokens } from "../support/principals.js";
import { feedReadsAll, Receiver } from "../support/webhook-receiver.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;

let t: TestServer;
let tokens: Map<string, string | undefined>;
const db = () => t.database.prisma;

/** The head-office-only value: no other principal's response may hold it (nor the key). */
const SECRET_KEY = "creditLimit";
const SECRET_VALUE = 987654.25;

/** Every response body read by a principal other than head office (to requests not naming the secret), searched afterwards. */
const seenByOthers: string[] = [];

async function gql(principal: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await t.gql<Data, Record<string, unknown>>(query, variables, tokens.get(principal));
  // a request that names the key itself gets it echoed in its error: only the others are searched
  const namesSecret = (query + JSON.stringify(variables)).includes(SECRET_KEY);
  if (principal !== "head office" && !namesSecret) seenByOthers.push(JSON.stringify(response.data ?? null), JSON.stringify(response.errors ?? null));
  return response;
}

async function ok(principal: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await gql(principal, query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

const DEFINE = `mutation($input: DefineCustomFieldInput!) { defineCustomField(input: $input) { key type options readers writers version } }`;
const SET = `mutation($input: SetCustomFieldsInput!) { setCustomFields(input: $input) { id version customFields { key label type value } } }`;
const ORGANISATIONS = `query($filter: OrganisationFilter, $after: String) { organisations(first: 200, after: $after, filter: $filter) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id customFields { key value } } } } }`;

/** Every organisation of a principal's list under a filter (all pages). */
async function listIds(principal: string, filter: Data | null): Promise<{ ids: string[]; totalCount: number; nodes: Data[] }> {
  const nodes: Data[] = [];
  let after: string | null = null;
  let totalCount = 0;
  do {
    const page: Data = (await ok(principal, ORGANISATIONS, { filter, after })).organisations;
    nodes.push(...page.edges.map((edge: Data) => edge.node));
    totalCount = page.totalCount;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return { ids: nodes.map((node) => node.id).sort(), totalCount, nodes };
}

let repOrganisations: string[];
let pressOrg: string;
let latheOrg: string;

beforeAll(async () => {
  t = await startTestServer();
  const rep = await db().user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } });
  const DAY = new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), TODAY.getUTCDate()));
  const held = await db().organisation.findMany({
    where: { mergedIntoId: null, assignments: { some: { validFrom: { lte: DAY }, OR: [{ validTo: null }, { validTo: { gt: DAY } }], repId: rep.id } }, visits: { some: { repId: rep.id } } },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  repOrganisations = held.map((o) => toGlobalId("Organisation", o.id));
  expect(repOrganisations.length).toBeGreaterThan(2);
  tokens = await principalTokens(t, {
    rep: { login: "rep.lille@demo.test" },
    "other rep": { login: "rep.lyon@demo.test" },
    manager: { login: "manager.north@demo.test" },
    "head office": { login: "head.office@demo.test" },
    steward: { login: "data.steward@demo.test" },
    partner: { partner: ["contacts:read", "visits:write", "opportunities:read"], organisationIds: [repOrganisations[0]!] },
    service: { service: ["referential:read", "export:read", "organisations:import"] },
    "service hooks": { service: ["organisations:read", "webhooks:manage"] },
  });
  const everyone = ["REP", "MANAGER", "HEAD_OFFICE", "DATA_STEWARD", "PARTNER", "SERVICE"];
  await ok("head office", DEFINE, {
    input: { entity: "ORGANISATION", key: "machinePark", label: "Machine park", type: "MULTI_ENUM", options: ["Press", "Lathe", "Mill"], readers: everyone, writers: ["REP", "DATA_STEWARD"], helpText: "Machines installed on site" },
  });
  await ok("head office", DEFINE, { input: { entity: "ORGANISATION", key: SECRET_KEY, label: "Credit limit", type: "NUMBER", readers: ["HEAD_OFFICE"], writers: ["HEAD_OFFICE"] } });
  pressOrg = repOrganisations[0]!;
  latheOrg = repOrganisations[1]!;
}, 600_000);
afterAll(() => t?.close());

describe("custom fields", { timeout: 300_000 }, () => {
  it("head office defines them; the definitions each principal reads are those it may read", async () => {
    const query = `query { customFieldDefinitions(entity: ORGANISATION) { key label type options required readers writers helpText } }`;
    const all = (await ok("head office", query)).customFieldDefinitions.map((d: Data) => d.key);
    expect(all).toEqual(["machinePark", SECRET_KEY]);
    for (const principal of ["rep", "manager", "steward", "partner", "service"]) {
      const keys = (await ok(principal, query)).customFieldDefinitions.map((d: Data) => d.key);
      expect(keys, principal).toEqual(["machinePark"]);
    }
    // only head office defines
    const refused = await gql("rep", DEFINE, { input: { entity: "ORGANISATION", key: "x", label: "x", type: "TEXT", readers: ["REP"], writers: [] } });
    expect(errorCodes(refused)).toEqual(["FORBIDDEN"]);
    // a bad definition names what is wrong
    const noOptions = await t.gql<Data, Data>(DEFINE, { input: { entity: "VISIT", key: "kind", label: "Kind", type: "ENUM", readers: ["REP"], writers: ["REP"] } }, tokens.get("head office"));
    expect(errorCodes(noOptions)).toEqual(["BAD_USER_INPUT"]);
    expect(noOptions.errors![0]!.extensions!.fields).toEqual([{ field: "options", message: "an ENUM field needs at least one option" }]);
    // each new field gets an index on its value, which the lists' filters use (TEXT fields excepted)
    const indexes = await db().$queryRaw<{ indexname: string; indexdef: string }[]>`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'Organisation' AND indexname LIKE 'cf_%' ORDER BY indexname`;
    expect(indexes.map((index) => index.indexname)).toEqual([`cf_organisation_${SECRET_KEY}`, "cf_organisation_machinePark"]);
    expect(indexes.find((index) => index.indexname === "cf_organisation_machinePark")!.indexdef).toMatch(/USING gin .*jsonb_path_ops/);
    const twice = await t.gql<Data, Data>(DEFINE, { input: { entity: "ORGANISATION", key: "machinePark", label: "Again", type: "TEXT", readers: ["REP"], writers: [] } }, tokens.get("head office"));
    expect(errorCodes(twice)).toEqual(["CONFLICT"]);
  });

  it("a rep fills the machine park of a visit's organisation; wrong values are refused by field name and change nothing", async () => {
    const visit = (await ok("rep", `query { visits(first: 1, filter: { organisation: "${pressOrg}" }) { edges { node { id organisation { id } } } } }`)).visits.edges[0].node;
    expect(visit.organisation.id).toBe(pressOrg);
    const set = (await ok("rep", SET, { input: { id: pressOrg, values: [{ key: "machinePark", value: ["Mill", "Press"] }] } })).setCustomFields;
    // kept in the definition's order
    expect(set.customFields).toEqual([{ key: "machinePark", label: "Machine park", type: "MULTI_ENUM", value: ["Press", "Mill"] }]);
    await ok("rep", SET, { input: { id: latheOrg, values: [{ key: "machinePark", value: ["Lathe"] }] } });

    const before = await db().organisation.findUniqueOrThrow({ where: { id: Buffer.from(pressOrg, "base64url").toString().split(":")[1]! } });
    for (const [value, message] of [
      ["Press", "must be a list of options"],
      [["Press", "Robot"], "unknown options Robot (the options: Press, Lathe, Mill)"],
      [[1], "must be a list of options"],
    ] as const) {
      const response = await gql("rep", SET, { input: { id: pressOrg, values: [{ key: "machinePark", value }] } });
      expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(response.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.machinePark", message }]);
    }
    const unknown = await gql("rep", SET, { input: { id: pressOrg, values: [{ key: "shelves", value: 3 }] } });
    expect(unknown.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.shelves", message: "is not a custom field of organisations" }]);
    const after = await db().organisation.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.version).toBe(before.version);
    expect(after.customFields).toEqual(before.customFields);

    // readable but not writable: the manager may read the field, not write it
    expect(errorCodes(await gql("manager", SET, { input: { id: pressOrg, values: [{ key: "machinePark", value: ["Lathe"] }] } }))).toEqual(["FORBIDDEN"]);
    // outside the rep's portfolio: as missing as a record that does not exist
    const elsewhere = (await ok("head office", `query { organisations(first: 1, filter: { NOT: { assignedRepId: "${toGlobalId("User", (await db().user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } })).id)}" } }) { edges { node { id } } } }`)).organisations.edges[0].node.id;
    expect(errorCodes(await gql("rep", SET, { input: { id: elsewhere, values: [{ key: "machinePark", value: ["Lathe"] }] } }))).toEqual(["NOT_FOUND"]);
    // a stale version is a conflict
    expect(errorCodes(await gql("rep", SET, { input: { id: pressOrg, version: 1, values: [{ key: "machinePark", value: ["Lathe"] }] } }))).toEqual(["CONFLICT"]);
  });

  it("a manager filters the team's organisations by machine park; NOT keeps those without a value; the scope is never widened", async () => {
    const team = await listIds("manager", null);
    const press = await listIds("manager", { customFields: [{ key: "machinePark", equals: "Press" }] });
    expect(press.ids).toEqual([pressOrg]);
    expect(press.totalCount).toBe(1);
    const any = await listIds("manager", { customFields: [{ key: "machinePark", in: ["Press", "Lathe"] }] });
    expect(any.ids).toEqual([pressOrg, latheOrg].sort());
    const notPress = await listIds("manager", { NOT: { customFields: [{ key: "machinePark", equals: "Press" }] } });
    expect(notPress.ids).toEqual(team.ids.filter((id) => id !== pressOrg));
    const empty = await listIds("manager", { customFields: [{ key: "machinePark", isEmpty: true }] });
    expect(empty.ids).toEqual(team.ids.filter((id) => id !== pressOrg && id !== latheOrg));
    // another rep's OR branch adds nothing outside their portfolio
    const otherRep = await listIds("other rep", { OR: [{ customFields: [{ key: "machinePark", isEmpty: false }] }, { status: ["CLIENT"] }] });
    const otherAll = await listIds("other rep", null);
    expect(otherRep.ids.every((id) => otherAll.ids.includes(id))).toBe(true);
    expect(otherRep.ids).not.toContain(pressOrg);
    // a range applies to numbers, amounts and dates only; an unknown option is refused by name
    const range = await gql("manager", ORGANISATIONS, { filter: { customFields: [{ key: "machinePark", min: 1 }] } });
    expect(errorCodes(range)).toEqual(["BAD_USER_INPUT"]);
    const option = await gql("manager", ORGANISATIONS, { filter: { customFields: [{ key: "machinePark", equals: "Robot" }] } });
    expect(option.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.machinePark", message: "equals: must be one of: Press, Lathe, Mill" }]);
  });

  it("head office's NUMBER field: head office writes, filters and reads it", async () => {
    await ok("head office", SET, { input: { id: pressOrg, values: [{ key: SECRET_KEY, value: SECRET_VALUE }] } });
    const read = (await ok("head office", `query($id: ID!) { organisation(id: $id) { customFields { key value } customField(key: "${SECRET_KEY}") { value } } }`, { id: pressOrg })).organisation;
    expect(read.customFields).toEqual([{ key: "machinePark", value: ["Press", "Mill"] }, { key: SECRET_KEY, value: SECRET_VALUE }]);
    expect(read.customField.value).toBe(SECRET_VALUE);
    const ranged = await listIds("head office", { customFields: [{ key: SECRET_KEY, min: 1000, max: 1e6 }] });
    expect(ranged.ids).toEqual([pressOrg]);
    expect((await listIds("head office", { customFields: [{ key: SECRET_KEY, min: 1e6 }] })).ids).toEqual([]);
  });

  it("the head-office-only field never reaches any other principal, on any path", async () => {
    // the selections searched afterwards do not name the secret key; asking for it by name is checked apart
    const RECORD = `customFields { key label type value } machine: customField(key: "machinePark") { value }`;
    const visible = ["rep", "manager", "steward", "partner", "service"];
    for (const principal of visible) {
      const direct = (await ok(principal, `query($id: ID!) { organisation(id: $id) { ${RECORD} } }`, { id: pressOrg })).organisation;
      expect(direct.customFields, principal).toEqual([{ key: "machinePark", label: "Machine park", type: "MULTI_ENUM", value: ["Press", "Mill"] }]);
      const probe = (await ok(principal, `query($id: ID!) { organisation(id: $id) { secret: customField(key: "${SECRET_KEY}") { value } } }`, { id: pressOrg })).organisation;
      expect(probe.secret, principal).toBeNull();
      const node = (await ok(principal, `query($id: ID!) { node(id: $id) { ... on Organisation { ${RECORD} } } }`, { id: pressOrg })).node;
      expect(node.customFields.map((f: Data) => f.key), principal).toEqual(["machinePark"]);
      // filtering on it is refused as for a field that does not exist (nothing can be inferred)
      const filtered = await gql(principal, ORGANISATIONS, { filter: { customFields: [{ key: SECRET_KEY, min: 0 }] } });
      expect(errorCodes(filtered), principal).toEqual(["BAD_USER_INPUT"]);
      const written = await gql(principal, SET, { input: { id: pressOrg, values: [{ key: SECRET_KEY, value: 1 }] } });
      expect(errorCodes(written)[0], principal).toMatch(/BAD_USER_INPUT|NOT_FOUND/);
    }
    // nested: the rep's visits and deals lead to the organisation
    for (const principal of ["rep", "manager"]) {
      const visits = (await ok(principal, `query($id: ID!) { visits(first: 50, filter: { organisation: $id }) { edges { node { organisation { ${RECORD} } } } } }`, { id: pressOrg })).visits.edges;
      expect(visits.length).toBeGreaterThan(0);
      for (const edge of visits) expect(edge.node.organisation.customFields.map((f: Data) => f.key)).toEqual(["machinePark"]);
      await ok(principal, `query($id: ID!) { organisation(id: $id) { contacts(first: 5) { edges { node { organisation { ${RECORD} } } } } } }`, { id: pressOrg });
    }
    // the audit trail (stewards read it): the stored values cut to the fields the steward may read
    const trail = (await ok("steward", `query($id: String!) { auditEvents(first: 50, filter: { entity: "Organisation", entityId: $id }) { edges { node { action before after } } } }`, { id: pressOrg })).auditEvents.edges;
    expect(trail.length).toBeGreaterThan(0);
    const images = trail.flatMap((edge: Data) => [edge.node.before, edge.node.after]).filter(Boolean);
    for (const image of images) expect(Object.keys(image.customFields ?? {})).not.toContain(SECRET_KEY);
    expect(images.some((image: Data) => image.customFields?.machinePark)).toBe(true);
    // the change feed: the organisation as each reader may read it now
    const cursorOf = async (principal: string) => (await ok(principal, `{ changesCursor }`)).changesCursor as string;
    const cursors = new Map<string, string>();
    for (const principal of ["rep", "manager"]) cursors.set(principal, await cursorOf(principal));
    await ok("head office", SET, { input: { id: pressOrg, values: [{ key: SECRET_KEY, value: SECRET_VALUE + 1 }] } });
    await ok("rep", SET, { input: { id: pressOrg, values: [{ key: "machinePark", value: ["Press", "Lathe", "Mill"] }] } });
    for (const principal of ["rep", "manager"]) {
      const feed = (await ok(principal, `query($after: String!) { changes(after: $after, first: 100) { changes { entity id changedFields node { ... on Organisation { ${RECORD} } } } } }`, { after: cursors.get(principal) })).changes.changes;
      const mine = feed.filter((change: Data) => change.id === pressOrg);
      expect(mine.length, principal).toBeGreaterThan(0);
      for (const change of mine) {
        expect(change.changedFields).not.toContain("customFields");
        expect(change.node.customFields.map((f: Data) => f.key)).toEqual(["machinePark"]);
      }
    }
    // exports: a column per custom field the reader may read
    for (const [principal, expected] of [["steward", ["cf.machinePark"]], ["service", ["cf.machinePark"]], ["manager", ["cf.machinePark"]], ["head office", ["cf.machinePark", `cf.${SECRET_KEY}`]]] as const) {
      const response = await t.http.get("/export/organisations.csv").set("authorization", `Bearer ${tokens.get(principal)}`);
      expect(response.status, principal).toBe(200);
      const [header, ...lines] = response.text.trim().split("\n");
      const columns = header!.split(",");
      expect(columns.filter((c) => c.startsWith("cf.")), principal).toEqual(expected);
      if (principal !== "head office") seenByOthers.push(response.text);
      const row = lines.find((line) => line.includes(pressOrg));
      if (row) expect(row).toContain("Press|Lathe|Mill");
    }
    // nothing any other principal read holds the key or the value
    const everything = seenByOthers.join("\n");
    expect(everything).not.toContain(SECRET_KEY);
    expect(everything).not.toContain(String(SECRET_VALUE));
    expect(everything).not.toContain(String(SECRET_VALUE + 1));
  });

  it("the audit trail and webhook payloads show each reader the custom values it may read; an archived field to no one", async () => {
    // an everyone-readable field head office writes: one update changes it and the head-office-only one together
    const everyone = ["REP", "MANAGER", "HEAD_OFFICE", "DATA_STEWARD", "PARTNER", "SERVICE"];
    const tier = (await ok("head office", DEFINE, { input: { entity: "ORGANISATION", key: "tier", label: "Tier", type: "ENUM", options: ["A", "B"], readers: everyone, writers: ["HEAD_OFFICE"] } })).defineCustomField;
    await ok("head office", SET, { input: { id: pressOrg, values: [{ key: "tier", value: "A" }, { key: SECRET_KEY, value: SECRET_VALUE + 2 }] } });
    // webhooks: head office's subscription, and a service token's (SERVICE is no reader of the secret), each to its own receiver
    const receivers = new Map([["head office", new Receiver()], ["service hooks", new Receiver()]]);
    const ARCHIVE = `mutation($input: UpdateCustomFieldDefinitionInput!) { updateCustomFieldDefinition(input: $input) { archivedAt } }`;
    const archiveTier = { input: { entity: "ORGANISATION", key: "tier", version: tier.version, archived: true } };
    let archived = false;
    try {
      for (const [principal, receiver] of receivers) {
        await receiver.start();
        const input = { url: receiver.url, entities: ["Organisation"] };
        receiver.secret = (await ok(principal, `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret } }`, { input })).createWebhookSubscription.secret;
      }
      await ok("head office", SET, { input: { id: pressOrg, values: [{ key: "tier", value: "B" }, { key: SECRET_KEY, value: SECRET_VALUE + 3 }] } });
      const { machinePark } = (await db().organisation.findUniqueOrThrow({ where: { id: Buffer.from(pressOrg, "base64url").toString().split(":")[1]! } })).customFields as Data;
      expect(machinePark).toBeDefined();

      // the audit trail: the newest event of the organisation is that update
      const EVENT = `query($id: String!) { auditEvents(first: 1, filter: { entity: "Organisation", entityId: $id }) { edges { node { action before after } } } }`;
      const event = async (principal: string) => (await ok(principal, EVENT, { id: pressOrg })).auditEvents.edges[0].node;
      const headOffice = await event("head office");
      expect(headOffice.before.customFields).toEqual({ machinePark, tier: "A", [SECRET_KEY]: SECRET_VALUE + 2 });
      expect(headOffice.after.customFields).toEqual({ machinePark, tier: "B", [SECRET_KEY]: SECRET_VALUE + 3 });
      const steward = await event("steward");
      expect(steward.before.customFields).toEqual({ machinePark, tier: "A" });
      expect(steward.after.customFields).toEqual({ machinePark, tier: "B" });

      // webhooks: each owner's payload holds the values its owner may read
      await feedReadsAll(t);
      await t.server.runWebhookPass();
      const nodeFor = (principal: string) => {
        const received = receivers.get(principal)!.received;
        expect(received.length, principal).toBeGreaterThan(0);
        expect(received.every((r) => r.verified), principal).toBe(true);
        return received.filter((r) => r.body.data.id === pressOrg).at(-1)!.body.data.node;
      };
      expect(nodeFor("head office").customFields).toEqual({ machinePark, tier: "B", [SECRET_KEY]: SECRET_VALUE + 3 });
      expect(nodeFor("service hooks").customFields).toEqual({ machinePark, tier: "B" });
      const theirs = JSON.stringify([steward, receivers.get("service hooks")!.received]);
      expect(theirs).not.toContain(SECRET_KEY);
      expect(theirs).not.toContain(String(SECRET_VALUE + 3));

      // archived: the field leaves every side path, head office's included; its values are kept
      await ok("head office", ARCHIVE, archiveTier);
      archived = true;
      expect((await event("head office")).after.customFields).toEqual({ machinePark, [SECRET_KEY]: SECRET_VALUE + 3 });
      expect((await event("steward")).after.customFields).toEqual({ machinePark });
    } finally {
      // the later tests know of no such field, even when an assertion above failed
      if (!archived) await gql("head office", ARCHIVE, archiveTier);
      await db().webhookSubscription.deleteMany({});
      for (const receiver of receivers.values()) await receiver.close();
    }
  });

  it("create and update inputs, bulk upserts and CSV imports carry custom fields through the same checks; required fields are required", async () => {
    const steward = "steward";
    const created = (await ok(steward, `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id version customFields { key value } } } }`, {
      input: { name: "Qzxvbn Atelier", postalCode: "59000", city: "Lille", customFields: [{ key: "machinePark", value: ["Lathe"] }] },
    })).createOrganisation.organisation;
    expect(created.customFields).toEqual([{ key: "machinePark", value: ["Lathe"] }]);
    const wrong = await gql(steward, `mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { organisation { id } } }`, {
      input: { id: created.id, version: created.version, city: "Roubaix", customFields: [{ key: "machinePark", value: "Lathe" }] },
    });
    expect(wrong.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.machinePark", message: "must be a list of options" }]);
    // nothing of the refused update was written (the city neither)
    const stored = await db().organisation.findUniqueOrThrow({ where: { id: Buffer.from(created.id, "base64url").toString().split(":")[1]! } });
    expect(stored.city).toBe("Lille");

    const UPSERT = `mutation($rows: [OrganisationUpsertRow!]!) { upsertOrganisations(input: { rows: $rows }) { results { externalId status id errors { field message } } } }`;
    const rows = [
      { externalId: "CF-1", name: "Vyxqor Outillage", postalCode: "59000", city: "Lille", customFields: [{ key: "machinePark", value: ["Press"] }] },
      { externalId: "CF-2", name: "Wqzypt Mécanique", postalCode: "59000", city: "Lille", customFields: [{ key: "machinePark", value: ["Laser"] }] },
    ];
    const results = (await ok(steward, UPSERT, { rows })).upsertOrganisations.results;
    expect(results.map((r: Data) => r.status)).toEqual(["CREATED", "REJECTED"]);
    expect(results[1].errors).toEqual([{ field: "customFields.machinePark", message: "unknown options Laser (the options: Press, Lathe, Mill)" }]);
    // sent again: unchanged; a new value: updated
    expect((await ok(steward, UPSERT, { rows: [rows[0]] })).upsertOrganisations.results[0].status).toBe("UNCHANGED");
    expect((await ok(steward, UPSERT, { rows: [{ ...rows[0], customFields: [{ key: "machinePark", value: ["Press", "Mill"] }] }] })).upsertOrganisations.results[0].status).toBe("UPDATED");

    // CSV: a cf.<key> column per field the importer may read; one it may not read is an unknown column
    const csv = "externalId,name,postalCode,city,cf.machinePark\nCF-3,Zypqor Usinage,59000,Lille,Press|Lathe\nCF-4,Xqvbzt Forge,59000,Lille,Robot\n";
    const imported = await t.http.post("/import/organisations").set("content-type", "text/csv").set("authorization", `Bearer ${tokens.get(steward)}`).send(csv);
    expect(imported.status).toBe(200);
    const byExternalId = new Map<string, Data>((JSON.parse(imported.text).rows as Data[]).map((line) => [line.externalId, line]));
    expect(byExternalId.get("CF-3")?.status).toBe("CREATED");
    expect(byExternalId.get("CF-4")?.status).toBe("REJECTED");
    expect(byExternalId.get("CF-4")?.errors).toEqual([{ field: "customFields.machinePark", message: "unknown options Robot (the options: Press, Lathe, Mill)" }]);
    const cf3 = await db().organisation.findFirstOrThrow({ where: { externalId: "CF-3" } });
    expect(cf3.customFields).toEqual({ machinePark: ["Press", "Lathe"] });
    const hidden = await t.http.post("/import/organisations").set("content-type", "text/csv").set("authorization", `Bearer ${tokens.get(steward)}`).send(`externalId,cf.${SECRET_KEY}\nCF-3,5\n`);
    expect(hidden.status).toBe(400);
    expect(hidden.text).toContain(`Unknown columns: cf.${SECRET_KEY}`);
    // the refusal echoes the column sent, and lists as known only what the importer may read
    expect(hidden.text.match(/\(known columns: ([^)]*)\)/)![1]).not.toContain(SECRET_KEY);

    // a required TEXT field on contacts, writable by reps: a rep's new contact needs it, and it cannot be cleared
    await ok("head office", DEFINE, { input: { entity: "CONTACT", key: "preferredChannel", label: "Preferred channel", type: "TEXT", required: true, readers: ["REP", "MANAGER", "HEAD_OFFICE"], writers: ["REP"] } });
    const CREATE_CONTACT = `mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id version customFields { key value } } } }`;
    const missing = await gql("rep", CREATE_CONTACT, { input: { organisationId: pressOrg, firstName: "Ana", lastName: "Qzy" } });
    expect(missing.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.preferredChannel", message: "is required" }]);
    const contact = (await ok("rep", CREATE_CONTACT, { input: { organisationId: pressOrg, firstName: "Ana", lastName: "Qzy", customFields: [{ key: "preferredChannel", value: "phone" }] } })).createContact.contact;
    expect(contact.customFields).toEqual([{ key: "preferredChannel", value: "phone" }]);
    const cleared = await gql("rep", `mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } } }`, { input: { id: contact.id, version: contact.version, customFields: [{ key: "preferredChannel", value: null }] } });
    expect(cleared.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.preferredChannel", message: "is required and cannot be cleared" }]);
    // a steward cannot write it, so the requirement is not theirs: their contacts are created without it
    await ok("steward", CREATE_CONTACT, { input: { organisationId: pressOrg, firstName: "Ben", lastName: "Qzy" } });
  });

  it("visits carry theirs from plan to report, and the visit and contact lists filter on them", async () => {
    await ok("head office", DEFINE, { input: { entity: "VISIT", key: "demoGiven", label: "Demo given", type: "BOOLEAN", readers: ["REP", "MANAGER", "HEAD_OFFICE"], writers: ["REP"] } });
    const VISIT = "visit { id version customFields { key value } }";
    const planned = (await ok("rep", `mutation($input: PlanVisitInput!) { planVisit(input: $input) { ${VISIT} } }`, {
      input: { organisationId: pressOrg, plannedAt: "2026-11-14T09:00:00Z", customFields: [{ key: "demoGiven", value: false }] },
    })).planVisit.visit;
    expect(planned.customFields).toEqual([{ key: "demoGiven", value: false }]);
    const wrong = await gql("rep", `mutation($input: ReportVisitInput!) { reportVisit(input: $input) { ${VISIT} } }`, { input: { id: planned.id, version: planned.version, outcome: "Done", customFields: [{ key: "demoGiven", value: "yes" }] } });
    expect(wrong.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.demoGiven", message: "must be true or false" }]);
    const reported = (await ok("rep", `mutation($input: ReportVisitInput!) { reportVisit(input: $input) { ${VISIT} } }`, { input: { id: planned.id, version: planned.version, outcome: "Done", customFields: [{ key: "demoGiven", value: true }] } })).reportVisit.visit;
    expect(reported.customFields).toEqual([{ key: "demoGiven", value: true }]);
    const visits = async (filter: Data) => (await ok("rep", `query($filter: VisitFilter) { visits(first: 200, filter: $filter) { edges { node { id } } } }`, { filter })).visits.edges.map((e: Data) => e.node.id);
    expect(await visits({ customFields: [{ key: "demoGiven", equals: true }] })).toEqual([planned.id]);
    expect(await visits({ NOT: { customFields: [{ key: "demoGiven", equals: true }] } })).not.toContain(planned.id);
    // the contact created with a preferred channel in the test above
    const contacts = (await ok("rep", `query { contacts(first: 200, filter: { customFields: [{ key: "preferredChannel", equals: "phone" }] }) { edges { node { firstName lastName } } } }`)).contacts.edges.map((e: Data) => e.node);
    expect(contacts).toEqual([{ firstName: "Ana", lastName: "Qzy" }]);
    // a principal that may not read visits is told of no visit field, even one naming it among the readers
    await ok("head office", DEFINE, { input: { entity: "VISIT", key: "serviceNote", label: "Service note", type: "TEXT", readers: ["HEAD_OFFICE", "SERVICE"], writers: [] } });
    const definitions = `query { customFieldDefinitions(entity: VISIT) { key } }`;
    expect((await ok("head office", definitions)).customFieldDefinitions.map((d: Data) => d.key)).toEqual(["demoGiven", "serviceNote"]);
    expect((await ok("service", definitions)).customFieldDefinitions).toEqual([]);
  });

  it("typed values: numbers, amounts, dates and booleans are checked; filters compare them", async () => {
    const define = (key: string, type: string) => ok("head office", DEFINE, { input: { entity: "OPPORTUNITY", key, label: key, type, readers: ["REP", "MANAGER", "HEAD_OFFICE"], writers: ["REP", "HEAD_OFFICE"] } });
    await define("fleetSize", "NUMBER");
    await define("discountCap", "MONEY");
    await define("trialEnds", "DATE");
    await define("tender", "BOOLEAN");
    const deals = (await ok("rep", `query { opportunities(first: 3, filter: { status: [OPEN] }) { edges { node { id version } } } }`)).opportunities.edges.map((e: Data) => e.node);
    expect(deals.length).toBe(3);
    const UPDATE = `mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id customFields { key value } } } }`;
    const bad: [string, unknown, string][] = [
      ["fleetSize", "12", "must be a number"],
      ["discountCap", 10.555, "must have at most 2 decimals"],
      ["trialEnds", "2026-02-30", "DATE_INVALID"],
      ["trialEnds", "next week", "must be a date (YYYY-MM-DD)"],
      ["tender", "yes", "must be true or false"],
    ];
    for (const [key, value, message] of bad) {
      const response = await gql("rep", UPDATE, { input: { id: deals[0].id, version: deals[0].version, customFields: [{ key, value }] } });
      expect(errorCodes(response), key).toEqual(["BAD_USER_INPUT"]);
      const field = (response.errors![0]!.extensions!.fields as { field: string; message: string }[])[0]!;
      expect(field.field).toBe(`customFields.${key}`);
      if (message !== "DATE_INVALID") expect(field.message).toBe(message);
    }
    const values = [
      [{ key: "fleetSize", value: 12 }, { key: "discountCap", value: 1500.5 }, { key: "trialEnds", value: "2027-01-31" }, { key: "tender", value: true }],
      [{ key: "fleetSize", value: 40 }, { key: "trialEnds", value: "2026-12-15" }, { key: "tender", value: false }],
      [{ key: "fleetSize", value: 7 }],
    ];
    for (const [index, deal] of deals.entries()) await ok("rep", UPDATE, { input: { id: deal.id, version: deal.version, customFields: values[index] } });
    const ids = async (filter: Data) =>
      (await ok("rep", `query($filter: OpportunityFilter) { opportunities(first: 200, filter: $filter) { edges { node { id } } } }`, { filter })).opportunities.edges.map((e: Data) => e.node.id).filter((id: string) => deals.some((d: Data) => d.id === id)).sort();
    const sorted = (...indexes: number[]) => indexes.map((i) => deals[i].id).sort();
    expect(await ids({ customFields: [{ key: "fleetSize", min: 10 }] })).toEqual(sorted(0, 1));
    expect(await ids({ customFields: [{ key: "fleetSize", min: 10, max: 20 }] })).toEqual(sorted(0));
    expect(await ids({ customFields: [{ key: "trialEnds", max: "2026-12-31" }] })).toEqual(sorted(1));
    expect(await ids({ customFields: [{ key: "tender", equals: false }] })).toEqual(sorted(1));
    expect(await ids({ NOT: { customFields: [{ key: "tender", equals: true }] } })).toEqual(sorted(1, 2));
    expect(await ids({ customFields: [{ key: "discountCap", isEmpty: true }] })).toEqual(sorted(1, 2));
  });

  it("changing and archiving a definition: options in use stay, an archived field is hidden and its values kept", async () => {
    const UPDATE = `mutation($input: UpdateCustomFieldDefinitionInput!) { updateCustomFieldDefinition(input: $input) { key label options version archivedAt } }`;
    const current = (await ok("head office", `query { customFieldDefinitions(entity: ORGANISATION) { key version } }`)).customFieldDefinitions.find((d: Data) => d.key === "machinePark");
    const inUse = await gql("head office", UPDATE, { input: { entity: "ORGANISATION", key: "machinePark", version: current.version, options: ["Press", "Mill"] } });
    expect(errorCodes(inUse)).toEqual(["BAD_USER_INPUT"]);
    expect(inUse.errors![0]!.message).toMatch(/Option Lathe is still held by \d+ record/);
    const renamed = (await ok("head office", UPDATE, { input: { entity: "ORGANISATION", key: "machinePark", version: current.version, label: "Installed machines", options: ["Press", "Lathe", "Mill", "Robot"] } })).updateCustomFieldDefinition;
    expect(renamed).toMatchObject({ label: "Installed machines", options: ["Press", "Lathe", "Mill", "Robot"], version: current.version + 1 });
    expect(errorCodes(await gql("head office", UPDATE, { input: { entity: "ORGANISATION", key: "machinePark", version: current.version, label: "Stale" } }))).toEqual(["CONFLICT"]);
    const archived = (await ok("head office", UPDATE, { input: { entity: "ORGANISATION", key: "machinePark", version: renamed.version, archived: true } })).updateCustomFieldDefinition;
    expect(archived.archivedAt).not.toBeNull();
    const read = (await ok("rep", `query($id: ID!) { organisation(id: $id) { customFields { key } } }`, { id: pressOrg })).organisation;
    expect(read.customFields).toEqual([]);
    expect(errorCodes(await gql("rep", ORGANISATIONS, { filter: { customFields: [{ key: "machinePark", equals: "Press" }] } }))).toEqual(["BAD_USER_INPUT"]);
    const withArchived = (await ok("head office", `query { customFieldDefinitions(entity: ORGANISATION, includeArchived: true) { key archivedAt } }`)).customFieldDefinitions;
    expect(withArchived.map((d: Data) => d.key)).toContain("machinePark");
    await ok("head office", UPDATE, { input: { entity: "ORGANISATION", key: "machinePark", version: archived.version, archived: false } });
    const back = (await ok("rep", `query($id: ID!) { organisation(id: $id) { customField(key: "machinePark") { label value } } }`, { id: pressOrg })).organisation;
    expect(back.customField).toEqual({ label: "Installed machines", value: ["Press", "Lathe", "Mill"] });
  });
});
