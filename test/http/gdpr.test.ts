// GDPR for contacts: head office exports everything held about one person (JSON) and erases them. After the
// erasure no personal value of the contact is readable anywhere through the API — node(id), the lists and
// their text search, the organisation's contacts, the audit trail, the timeline, the change feed, webhook
// payloads, the CSV export, the export itself — while the record stays (pseudonymised) for the history: the
// visit that named the contact still names "a contact", and the audit trail keeps the fact of erasure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
const db = () => t.database.prisma;

/** The person's values, distinctive enough that finding any of them anywhere means it was not erased. */
const PERSON = {
  firstName: "Zéphyrine",
  lastName: "Quasimodo-Effacée",
  email: "zephyrine.quasimodo@erasure-test.example",
  phone: "+33 6 12 98 76 54",
  jobTitle: "Directrice Singulière",
  department: "Département Introuvable",
};
const VALUES = Object.values(PERSON);
/** Someone else named in the same notes: an erasure leaves them. */
const OTHER_PERSON = "Anatole Persistant";

function leaks(body: unknown): string[] {
  const text = (typeof body === "string" ? body : JSON.stringify(body)).toLowerCase();
  return VALUES.filter((value) => text.includes(value.toLowerCase()));
}

async function ok(query: string, variables: Record<string, unknown>, token: string): Promise<Data> {
  const response = await t.gql<Data, Record<string, unknown>>(query, variables, token);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

function getCsv(path: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    t.http
      .get(path)
      .set("authorization", `Bearer ${token}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => done(null, Buffer.concat(chunks)));
      })
      .then((response) => resolve((response.body as Buffer).toString("utf8")), reject);
  });
}

let rep: string;
let headOffice: string;
let contactId: string;
let contactDbId: string;
let organisationId: string;
let visitId: string;
let cursor: string;
let subscriptionId: string;
const DELIVERIES = `query($id: ID!) { webhookDeliveries(subscriptionId: $id, first: 50) { edges { node { eventType payload } } } }`;

const CONTACT_FIELDS = `id firstName lastName email phone jobTitle department roles isPrimary version`;
const EXPORT = `query($id: ID!) { contactDataExport(id: $id) }`;
const ERASE = `mutation($id: ID!) { eraseContact(id: $id) { erasedId } }`;

beforeAll(async () => {
  t = await startTestServer();
  rep = await t.login("rep.lille@demo.test");
  headOffice = await t.login("head.office@demo.test");
  const lille = (await db().user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } })).id;
  // a contact still with the company (the lists and the export leave out those who left by default)
  const contact = await db().contact.findFirstOrThrow({
    where: { leftCompanyAt: null, deletedAt: null, organisation: { mergedIntoId: null, assignments: { some: { repId: lille, validFrom: { lte: TODAY }, OR: [{ validTo: null }, { validTo: { gt: TODAY } }] } } } },
    orderBy: { id: "asc" },
  });
  contactDbId = contact.id;
  contactId = toGlobalId("Contact", contact.id);
  organisationId = toGlobalId("Organisation", contact.organisationId);
  cursor = (await ok(`{ changesCursor }`, {}, rep)).changesCursor;
  // a webhook of head office's (to a closed local port: the delivery stays logged, with its payload)
  const subscription = await ok(`mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { webhookSubscription { id } } }`, {
    input: { url: "http://127.0.0.1:9/hook", entities: ["Contact"] },
  }, headOffice);
  subscriptionId = subscription.createWebhookSubscription.webhookSubscription.id;
  // the rep records the person's details (audited, in the change feed) and plans a visit to meet them
  await ok(`mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } } }`, { input: { id: contactId, version: contact.version, ...PERSON } }, rep);
  const plan = await ok(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { id version } } }`, {
    input: { organisationId, plannedAt: new Date(TODAY.getTime() + 3 * 86_400_000).toISOString(), contactIdsToMeet: [contactId] },
  }, rep);
  visitId = plan.planVisit.visit.id;
  // and writes about them in free text: the name (both orders, any case), the e-mail, the phone; another person's name stays
  await ok(`mutation($input: PrepareVisitInput!) { prepareVisit(input: $input) { visit { id } } }`, {
    input: {
      id: visitId,
      version: plan.planVisit.visit.version,
      agenda: `Rencontrer ${PERSON.firstName} ${PERSON.lastName} et ${OTHER_PERSON}`,
      objectives: `Présenter l'offre à ${PERSON.lastName.toLowerCase()}  ${PERSON.firstName.toLowerCase()}`,
      notes: `Confirmer par mail (${PERSON.email.toUpperCase()})`,
      tasks: [{ kind: "EMAIL", title: `Envoyer le devis à ${PERSON.firstName} ${PERSON.lastName}` }],
    },
  }, rep);
  await ok(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, {
    input: { kind: "CALL", title: `Rappeler ${PERSON.firstName} ${PERSON.lastName}`, description: `au ${PERSON.phone}`, organisationId },
  }, rep);
  await t.server.runWebhookPass();
});

afterAll(async () => {
  await t?.close();
});

describe("a contact's data export", () => {
  it("gives head office everything held about the person, as JSON; nobody else", async () => {
    expect(errorCodes(await t.gql(EXPORT, { id: contactId }, rep))).toEqual(["FORBIDDEN"]);
    const exported = (await ok(EXPORT, { id: contactId }, headOffice)).contactDataExport;
    expect(exported.contact).toMatchObject({ id: contactId, ...PERSON });
    expect(exported.organisation.id).toBe(organisationId);
    expect(exported.visits).toContainEqual(expect.objectContaining({ id: visitId, toMeet: true, met: false }));
    expect(exported.history.map((event: Data) => event.action)).toContain("update");
    expect(exported.history.find((event: Data) => event.action === "update").after).toMatchObject(PERSON);
    expect(await db().auditEvent.count({ where: { entity: "ContactDataExport", entityId: contactDbId, action: "export" } })).toBe(1);
    expect(errorCodes(await t.gql(EXPORT, { id: toGlobalId("Contact", "00000000-0000-0000-0000-000000000000") }, headOffice))).toEqual(["NOT_FOUND"]);
  });
});

describe("erasing a contact", () => {
  it("is head office's alone", async () => {
    expect(errorCodes(await t.gql(ERASE, { id: contactId }, rep))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await t.gql(ERASE, { id: contactId }, await t.login("data.steward@demo.test")))).toEqual(["FORBIDDEN"]);
  });

  it("leaves no personal value readable anywhere through the API, and keeps the history without the person", async () => {
    // before: the values are there to find (the checks below would find them)
    const node = `query($id: ID!) { node(id: $id) { ... on Contact { ${CONTACT_FIELDS} } } }`;
    expect(leaks(await ok(node, { id: contactId }, rep))).not.toEqual([]);
    expect(leaks(await getCsv("/export/contacts.csv", headOffice))).not.toEqual([]);
    expect(leaks(await ok(DELIVERIES, { id: subscriptionId }, headOffice))).not.toEqual([]);

    expect((await ok(ERASE, { id: contactId }, headOffice)).eraseContact.erasedId).toBe(contactId);

    const bodies: Record<string, unknown> = {};
    bodies.node = await ok(node, { id: contactId }, rep);
    bodies.nodeHeadOffice = await ok(node, { id: contactId }, headOffice);
    bodies.list = await ok(`{ contacts(first: 200) { edges { node { ${CONTACT_FIELDS} } } } }`, {}, headOffice);
    for (const value of [PERSON.lastName, PERSON.firstName, PERSON.email]) {
      const search = await ok(`query($text: String!) { contacts(filter: { text: $text }) { totalCount edges { node { ${CONTACT_FIELDS} } } } }`, { text: value }, headOffice);
      expect(search.contacts.totalCount).toBe(0);
      bodies[`search ${value}`] = search;
    }
    bodies.organisation = await ok(`query($id: ID!) { node(id: $id) { ... on Organisation { contacts(first: 200, includeLeft: true) { edges { node { ${CONTACT_FIELDS} } } }
      timeline(first: 200) { edges { node { kind title summary subjectId } } } } } }`, { id: organisationId }, rep);
    bodies.audit = await ok(`query($id: String!) { auditEvents(filter: { entityId: $id }, first: 200) { edges { node { action before after } } } }`, { id: contactId }, headOffice);
    bodies.auditAll = await ok(`{ auditEvents(filter: { entity: "Contact" }, first: 200) { edges { node { entityId action before after } } } }`, {}, headOffice);
    bodies.changes = await ok(`query($after: String!) { changes(after: $after, first: 500) { changes { kind entity id action changedFields node { id ... on Contact { ${CONTACT_FIELDS} } } } } }`, { after: cursor }, rep);
    bodies.visit = await ok(`query($id: ID!) { node(id: $id) { ... on Visit { contactsToMeet { ${CONTACT_FIELDS} } preparation { agenda objectives notes } report { notes }
      tasks { title description } } } }`, { id: visitId }, rep);
    bodies.tasks = await ok(`{ tasks(first: 200) { edges { node { title description } } } }`, {}, rep);
    bodies.export = await ok(EXPORT, { id: contactId }, headOffice);
    bodies.csv = await getCsv("/export/contacts.csv", headOffice);
    bodies.csvRep = await getCsv("/export/contacts.csv", rep);
    await t.server.runWebhookPass();
    bodies.webhooks = await ok(DELIVERIES, { id: subscriptionId }, headOffice);
    for (const [where, body] of Object.entries(bodies)) expect(leaks(body), where).toEqual([]);

    // free text keeps its sense without the person; another name stays
    const erased = "[erased contact]";
    expect((bodies.visit as Data).node.preparation).toEqual({
      agenda: `Rencontrer ${erased} et ${OTHER_PERSON}`,
      objectives: `Présenter l'offre à ${erased}`,
      notes: `Confirmer par mail (${erased})`,
    });
    const task = (bodies.tasks as Data).tasks.edges.map((edge: Data) => edge.node).find((node: Data) => node.title === `Rappeler ${erased}`);
    expect(task).toEqual({ title: `Rappeler ${erased}`, description: `au ${erased}` });
    // the visit's own task too (it hangs on the visit's organisation)
    expect((bodies.visit as Data).node.tasks).toEqual([{ title: `Envoyer le devis à ${erased}`, description: null }]);
    // readers of the feed are told to fetch the rewritten records again
    const redacted = (bodies.changes as Data).changes.changes.filter((change: Data) => change.action === "redact");
    expect(redacted.map((change: Data) => [change.entity, change.kind])).toEqual(expect.arrayContaining([["Visit", "UPDATED"], ["Task", "UPDATED"]]));
    expect(redacted.find((change: Data) => change.entity === "Visit").changedFields).toEqual(["preparation"]);
    // the record stays, pseudonymised, with its id: the visit still meets "a contact"
    expect((bodies.node as Data).node).toMatchObject({ id: contactId, firstName: "Erased", lastName: "contact", email: null, phone: null, jobTitle: null, department: null });
    expect((bodies.visit as Data).node.contactsToMeet).toEqual([expect.objectContaining({ id: contactId, lastName: "contact" })]);
    // the audit trail keeps the fact of erasure (who, when), not the data; the feed shows the change
    const actions = (bodies.audit as Data).auditEvents.edges.map((edge: Data) => edge.node.action);
    expect(actions[0]).toBe("erase");
    expect(actions).toContain("update");
    const feed = (bodies.changes as Data).changes.changes.filter((change: Data) => change.id === contactId);
    expect(feed.at(-1)).toMatchObject({ kind: "UPDATED", action: "erase" });
    // and nothing in the database holds the values either (stored images included)
    const stored = await db().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "AuditEvent" WHERE "before"::text ILIKE ${`%${PERSON.lastName}%`} OR "after"::text ILIKE ${`%${PERSON.lastName}%`}
        OR "before"::text ILIKE ${`%${PERSON.email}%`} OR "after"::text ILIKE ${`%${PERSON.email}%`}`;
    expect(stored[0]!.n).toBe(0);
  });
});
