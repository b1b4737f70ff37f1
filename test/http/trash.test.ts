// The recycle bin: a deleted contact, deal, quote, visit or task leaves every list, count, dashboard and
// node(id) (NOT_FOUND, also for updates), shows in the trash view of those whose reach covers it, comes back
// under its id when restored, and is purged once past TRASH_RETENTION_DAYS (the purge is run here with a
// moved clock). Who may delete or restore: whoever may update the record; out of scope is NOT_FOUND.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { principalTokens } from "../support/principals.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
let tokens: Map<string, string | undefined>;
const LOGINS: Record<string, string> = {
  "rep lille": "rep.lille@demo.test",
  "rep lyon": "rep.lyon@demo.test",
  "manager north": "manager.north@demo.test",
  "head office": "head.office@demo.test",
  "data steward": "data.steward@demo.test",
};
/** users log in again when a test moves the clock past their session */
const token = async (label: string) => (LOGINS[label] ? t.login(LOGINS[label]) : tokens.get(label));
const db = () => t.database.prisma;
const userId = async (email: string) => (await db().user.findUniqueOrThrow({ where: { email } })).id;
const DAY = 86_400_000;

const inCharge = (repId: string) => ({
  mergedIntoId: null,
  assignments: { some: { repId, validFrom: { lte: TODAY }, OR: [{ validTo: null }, { validTo: { gt: TODAY } }] } },
});

async function gql(query: string, variables: Record<string, unknown>, label: string): Promise<Data> {
  return t.gql<Data, Record<string, unknown>>(query, variables, await token(label));
}

async function ok(query: string, variables: Record<string, unknown>, label: string): Promise<Data> {
  const response = await gql(query, variables, label);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

const NODE = `query($id: ID!) { node(id: $id) { id } }`;
const DELETE = (entity: string) => `mutation($id: ID!) { delete${entity}(id: $id) { id entity deletedAt purgeAfter record { id } } }`;
const RESTORE = (entity: string) => `mutation($id: ID!) { restore${entity}(id: $id) { record { id } } }`;
const TRASH = `query($entities: [TrashEntity!], $first: Int, $after: String) {
  trash(entities: $entities, first: $first, after: $after) {
    edges { cursor node { id entity deletedAt purgeAfter record { id ... on Contact { lastName } ... on Opportunity { name } } } }
    pageInfo { hasNextPage endCursor } } }`;
const CURSOR = `{ changesCursor }`;
const CHANGES = `query($after: String!) { changes(after: $after, first: 200) { cursor hasMore changes { kind entity id action removal { reason } node { id } } } }`;

/** The rows of a CSV export, as text (the viewer's list, streamed). */
async function csv(path: string, label: string): Promise<string> {
  const response = await t.http.get(path).set("authorization", `Bearer ${await token(label)}`).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => done(null, Buffer.concat(chunks)));
  });
  expect(response.status).toBe(200);
  return (response.body as Buffer).toString("utf8");
}

async function trashIds(label: string, entities?: string[]): Promise<string[]> {
  return (await ok(TRASH, { entities, first: 200 }, label)).trash.edges.map((edge: Data) => edge.node.id);
}

async function changesSince(cursor: string, label: string): Promise<Data[]> {
  return (await ok(CHANGES, { after: cursor }, label)).changes.changes;
}

let lille: string;
let lilleOrg: string;

beforeAll(async () => {
  t = await startTestServer();
  lille = await userId("rep.lille@demo.test");
  lilleOrg = (await db().organisation.findFirstOrThrow({
    where: { ...inCharge(lille), contacts: { some: {} }, opportunities: { some: { status: "OPEN", ownerId: lille, quotes: { some: {} } } } },
    orderBy: { id: "asc" },
  })).id;
  tokens = await principalTokens(t, {
    "partner contacts:read": { partner: ["contacts:read"], organisationIds: [toGlobalId("Organisation", lilleOrg)] },
    "partner contacts:write": { partner: ["contacts:read", "contacts:write"], organisationIds: [toGlobalId("Organisation", lilleOrg)] },
  });
});

afterAll(async () => {
  await t?.close();
});

/** Field work of rep Lille on its organisation, through the API (the demo company has little of it). */
async function fieldWork(server: TestServer, organisationId: string, count: number): Promise<{ visitIds: string[]; taskIds: string[] }> {
  const rep = await server.login("rep.lille@demo.test");
  const visitIds: string[] = [];
  const taskIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const plan = await server.gql<Data, Record<string, unknown>>(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { id } } }`, {
      input: { organisationId: toGlobalId("Organisation", organisationId), plannedAt: new Date(TODAY.getTime() + (i + 2) * DAY).toISOString() },
    }, rep);
    expect(plan.errors).toBeUndefined();
    visitIds.push(plan.data!.planVisit.visit.id);
    const task = await server.gql<Data, Record<string, unknown>>(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, {
      input: { organisationId: toGlobalId("Organisation", organisationId), kind: "CALL", title: `Call ${i}` },
    }, rep);
    expect(task.errors).toBeUndefined();
    taskIds.push(task.data!.createTask.task.id);
  }
  return { visitIds, taskIds };
}

let work: { visitIds: string[]; taskIds: string[] };
beforeAll(async () => {
  work = await fieldWork(t, lilleOrg, 4);
});
const rowId = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;

describe("a deleted deal is gone everywhere, then back under its id", () => {
  it("leaves lists, counts, the dashboard, node(id), updates and the feed; restore brings all of it back", async () => {
    const deal = await db().opportunity.findFirstOrThrow({ where: { organisationId: lilleOrg, status: "OPEN", ownerId: lille, quotes: { some: {} } }, orderBy: { id: "asc" } });
    const quote = await db().quote.findFirstOrThrow({ where: { opportunityId: deal.id } });
    const id = toGlobalId("Opportunity", deal.id);
    const quoteId = toGlobalId("Quote", quote.id);
    const LIST = `{ opportunities(first: 200) { totalCount edges { node { id } } } }`;
    const ORG = `query($id: ID!) { node(id: $id) { ... on Organisation { opportunities(first: 100) { totalCount } } } }`;
    const DASHBOARD = `{ activityDashboard { weightedPipeline { count } } }`;
    const figures = async () => {
      const list = (await ok(LIST, {}, "rep lille")).opportunities;
      return {
        total: list.totalCount as number,
        listed: list.edges.some((edge: Data) => edge.node.id === id),
        nested: (await ok(ORG, { id: toGlobalId("Organisation", lilleOrg) }, "rep lille")).node.opportunities.totalCount as number,
        pipeline: (await ok(DASHBOARD, {}, "rep lille")).activityDashboard.weightedPipeline.count as number,
        company: (await ok(`{ activityDashboard(scope: { kind: COMPANY }) { weightedPipeline { count } } }`, {}, "head office")).activityDashboard.weightedPipeline.count as number,
      };
    };
    const before = await figures();
    expect(before.listed).toBe(true);
    expect(await csv("/export/opportunities.csv", "rep lille")).toContain(id);
    const cursor = (await ok(CURSOR, {}, "rep lille")).changesCursor;

    const deleted = (await ok(DELETE("Opportunity"), { id }, "rep lille")).deleteOpportunity;
    expect(deleted).toMatchObject({ id, entity: "Opportunity", record: { id } });
    expect(new Date(deleted.purgeAfter).getTime() - new Date(deleted.deletedAt).getTime()).toBe(30 * DAY);

    const after = await figures();
    expect(after).toEqual({ total: before.total - 1, listed: false, nested: before.nested - 1, pipeline: before.pipeline - 1, company: before.company - 1 });
    expect(errorCodes(await gql(NODE, { id }, "rep lille"))).toEqual(["NOT_FOUND"]);
    expect(errorCodes(await gql(NODE, { id }, "head office"))).toEqual(["NOT_FOUND"]);
    expect(await csv("/export/opportunities.csv", "rep lille")).not.toContain(id);
    // its quotes follow it out of sight
    expect(errorCodes(await gql(NODE, { id: quoteId }, "rep lille"))).toEqual(["NOT_FOUND"]);
    const update = await gql(`mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id } } }`, { input: { id, version: deal.version + 1, name: "Renamed" } }, "rep lille");
    expect(errorCodes(update)).toEqual(["NOT_FOUND"]);
    expect(errorCodes(await gql(DELETE("Opportunity"), { id }, "rep lille"))).toEqual(["NOT_FOUND"]);

    // the trash view: the rep and those whose reach covers the deal; not another rep
    expect(await trashIds("rep lille")).toContain(id);
    expect(await trashIds("manager north", ["Opportunity"])).toContain(id);
    expect(await trashIds("head office")).toContain(id);
    expect(await trashIds("rep lyon")).not.toContain(id);
    expect(await trashIds("rep lille", ["Contact"])).not.toContain(id);

    // the change feed: a removal, marked as a deletion
    const removal = (await changesSince(cursor, "rep lille")).filter((change) => change.id === id);
    expect(removal.at(-1)).toMatchObject({ kind: "REMOVED", action: "delete", removal: { reason: "DELETED" }, node: null });

    // restore: another rep cannot, the rep can; same id, everything back
    expect(errorCodes(await gql(RESTORE("Opportunity"), { id }, "rep lyon"))).toEqual(["NOT_FOUND"]);
    const cursorBeforeRestore = (await ok(CURSOR, {}, "rep lille")).changesCursor;
    expect((await ok(RESTORE("Opportunity"), { id }, "rep lille")).restoreOpportunity.record.id).toBe(id);
    expect(await figures()).toEqual(before);
    expect((await ok(NODE, { id: quoteId }, "rep lille")).node.id).toBe(quoteId);
    expect(await csv("/export/opportunities.csv", "rep lille")).toContain(id);
    expect(await trashIds("rep lille")).not.toContain(id);
    expect(errorCodes(await gql(RESTORE("Opportunity"), { id }, "rep lille"))).toEqual(["NOT_FOUND"]);
    const back = (await changesSince(cursorBeforeRestore, "rep lille")).filter((change) => change.id === id);
    expect(back.at(-1)).toMatchObject({ kind: "ENTERED_SCOPE", action: "restore", node: { id } });

    // both are audited, by the rep
    const audit = await ok(`query($id: String!) { auditEvents(filter: { entityId: $id }, first: 10) { edges { node { action } } } }`, { id }, "head office");
    const actions = audit.auditEvents.edges.map((edge: Data) => edge.node.action);
    expect(actions.slice(0, 2)).toEqual(["restore", "delete"]);
  });
});

describe("contacts, quotes, visits and tasks", () => {
  it("a deleted contact leaves its organisation's contacts and the steward's hygiene counts, and is back restored", async () => {
    const contact = await db().contact.findFirstOrThrow({ where: { organisationId: lilleOrg, leftCompanyAt: null }, orderBy: { id: "asc" } });
    const id = toGlobalId("Contact", contact.id);
    const ORG = `query($id: ID!) { node(id: $id) { ... on Organisation { contacts(first: 100, includeLeft: true) { totalCount edges { node { id } } } } } }`;
    const count = async (label: string) => (await ok(ORG, { id: toGlobalId("Organisation", lilleOrg) }, label)).node.contacts.totalCount as number;
    const HEALTH = `{ dataHealthDashboard(scope: { kind: COMPANY }) { currentContacts { denominator } } }`;
    const health = async () => (await ok(HEALTH, {}, "head office")).dataHealthDashboard.currentContacts.denominator as number;
    const allContacts = await health();
    const before = { rep: await count("rep lille"), partner: await count("partner contacts:read"), contacts: (await ok(`{ contacts(first: 1) { totalCount } }`, {}, "head office")).contacts.totalCount };

    // who may not: a partner without contacts:write (FORBIDDEN), another rep (out of scope: NOT_FOUND)
    expect(errorCodes(await gql(DELETE("Contact"), { id }, "partner contacts:read"))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await gql(DELETE("Contact"), { id }, "rep lyon"))).toEqual(["NOT_FOUND"]);
    // a partner granted contacts:write on its organisation may
    await ok(DELETE("Contact"), { id }, "partner contacts:write");

    expect(await count("rep lille")).toBe(before.rep - 1);
    expect(await count("partner contacts:read")).toBe(before.partner - 1);
    expect((await ok(`{ contacts(first: 1) { totalCount } }`, {}, "head office")).contacts.totalCount).toBe(before.contacts - 1);
    expect(errorCodes(await gql(NODE, { id }, "rep lille"))).toEqual(["NOT_FOUND"]);
    const update = await gql(`mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } } }`, { input: { id, version: contact.version + 1, jobTitle: "x" } }, "rep lille");
    expect(errorCodes(update)).toEqual(["NOT_FOUND"]);
    // the data steward (who may update contacts) sees it in the bin and may restore it
    expect(await trashIds("data steward", ["Contact"])).toContain(id);
    expect(await trashIds("data steward", ["Opportunity"])).toEqual([]);
    expect(await health()).toBe(allContacts - 1);
    expect((await ok(RESTORE("Contact"), { id }, "data steward")).restoreContact.record.id).toBe(id);
    expect(await count("rep lille")).toBe(before.rep);
    expect(await health()).toBe(allContacts);
  });

  it("a visit: head office reads visits but does not write them (FORBIDDEN); the rep deletes and restores it", async () => {
    const id = work.visitIds[0]!;
    const visit = await db().visit.findUniqueOrThrow({ where: { id: rowId(id) } });
    const VISITS = `{ visits(first: 200) { totalCount } }`;
    const before = (await ok(VISITS, {}, "rep lille")).visits.totalCount;
    expect(errorCodes(await gql(DELETE("Visit"), { id }, "head office"))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await gql(DELETE("Visit"), { id }, "data steward"))).toEqual(["FORBIDDEN"]);
    await ok(DELETE("Visit"), { id }, "rep lille");
    expect((await ok(VISITS, {}, "rep lille")).visits.totalCount).toBe(before - 1);
    expect(errorCodes(await gql(NODE, { id }, "manager north"))).toEqual(["NOT_FOUND"]);
    const reschedule = await gql(`mutation($input: RescheduleVisitInput!) { rescheduleVisit(input: $input) { visit { id } } }`, { input: { id, version: visit.version + 1, plannedAt: "2026-12-20T09:00:00Z" } }, "rep lille");
    expect(errorCodes(reschedule)).toEqual(["NOT_FOUND"]);
    expect(await trashIds("head office", ["Visit"])).toContain(id);
    expect(errorCodes(await gql(RESTORE("Visit"), { id }, "head office"))).toEqual(["FORBIDDEN"]);
    await ok(RESTORE("Visit"), { id }, "manager north");
    expect((await ok(VISITS, {}, "rep lille")).visits.totalCount).toBe(before);
  });

  it("a task and a quote: deleted by their rep, out of the lists", async () => {
    const id = work.taskIds[0]!;
    const TASKS = `{ tasks(first: 200) { totalCount } }`;
    const before = (await ok(TASKS, {}, "rep lille")).tasks.totalCount;
    expect(errorCodes(await gql(DELETE("Task"), { id }, "rep lyon"))).toEqual(["NOT_FOUND"]);
    await ok(DELETE("Task"), { id }, "rep lille");
    expect((await ok(TASKS, {}, "rep lille")).tasks.totalCount).toBe(before - 1);
    expect(errorCodes(await gql(NODE, { id }, "head office"))).toEqual(["NOT_FOUND"]);
    await ok(RESTORE("Task"), { id }, "rep lille");
    expect((await ok(TASKS, {}, "rep lille")).tasks.totalCount).toBe(before);

    const quote = await db().quote.findFirstOrThrow({ where: { opportunity: { organisationId: lilleOrg, ownerId: lille } }, orderBy: { id: "asc" } });
    const quoteId = toGlobalId("Quote", quote.id);
    expect(errorCodes(await gql(DELETE("Quote"), { id: quoteId }, "data steward"))).toEqual(["FORBIDDEN"]);
    await ok(DELETE("Quote"), { id: quoteId }, "rep lille");
    expect(errorCodes(await gql(NODE, { id: quoteId }, "rep lille"))).toEqual(["NOT_FOUND"]);
    expect(await trashIds("rep lille", ["Quote"])).toEqual([quoteId]);
    await ok(RESTORE("Quote"), { id: quoteId }, "rep lille");
  });

  it("the trash view pages most recently deleted first, with a cursor; a foreign cursor is BAD_USER_INPUT", async () => {
    const ids = work.taskIds.slice(0, 3);
    for (const [i, id] of ids.entries()) {
      t.clock.now = new Date(TODAY.getTime() + i * 1000);
      await ok(DELETE("Task"), { id }, "rep lille");
    }
    t.clock.now = TODAY;
    const first = (await ok(TRASH, { entities: ["Task"], first: 2 }, "rep lille")).trash;
    expect(first.edges.map((edge: Data) => edge.node.id)).toEqual([ids[2], ids[1]]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ok(TRASH, { entities: ["Task"], first: 2, after: first.pageInfo.endCursor }, "rep lille")).trash;
    expect(second.edges.map((edge: Data) => edge.node.id)).toEqual([ids[0]]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(errorCodes(await gql(TRASH, { after: "bm90LWEtY3Vyc29y" }, "rep lille"))).toEqual(["BAD_USER_INPUT"]);
    for (const id of ids) await ok(RESTORE("Task"), { id }, "rep lille");
  });
});

describe("imports by external id", () => {
  it("refuse a row whose external id belongs to a contact in the bin (a row error, nothing written), and update it once restored", async () => {
    const UPSERT = `mutation($input: UpsertContactsInput!) { upsertContacts(input: $input) { created updated rejected results { status id errors { field message } } } }`;
    const row = { externalId: "ERP-TRASH-1", organisationId: toGlobalId("Organisation", lilleOrg), firstName: "Ana", lastName: "Binned" };
    const created = (await ok(UPSERT, { input: { rows: [row] } }, "data steward")).upsertContacts;
    expect(created.created).toBe(1);
    const id = created.results[0].id;
    await ok(DELETE("Contact"), { id }, "data steward");
    const again = (await ok(UPSERT, { input: { rows: [{ ...row, lastName: "Again" }] } }, "data steward")).upsertContacts;
    expect(again).toMatchObject({ created: 0, updated: 0, rejected: 1, results: [{ status: "REJECTED", errors: [{ field: "externalId" }] }] });
    expect(await db().contact.count({ where: { externalId: "ERP-TRASH-1" } })).toBe(1);
    await ok(RESTORE("Contact"), { id }, "data steward");
    expect((await ok(UPSERT, { input: { rows: [{ ...row, lastName: "Again" }] } }, "data steward")).upsertContacts).toMatchObject({ updated: 1, results: [{ id }] });
  });
});

describe("the purge", () => {
  it("keeps what is within the window, removes what is past it (driven by the clock), and leaves no way back", async () => {
    const deal = await db().opportunity.findFirstOrThrow({ where: { organisationId: lilleOrg, ownerId: lille, quotes: { some: {} } }, orderBy: { id: "desc" } });
    const task = await db().task.findUniqueOrThrow({ where: { id: rowId(work.taskIds[3]!) } });
    const visit = await db().visit.findUniqueOrThrow({ where: { id: rowId(work.visitIds[3]!) } });
    const contact = await db().contact.findFirstOrThrow({ where: { organisationId: lilleOrg }, orderBy: { id: "desc" } });
    const ids = { Opportunity: toGlobalId("Opportunity", deal.id), Task: toGlobalId("Task", task.id), Visit: toGlobalId("Visit", visit.id), Contact: toGlobalId("Contact", contact.id) };
    for (const [entity, id] of Object.entries(ids)) await ok(DELETE(entity), { id }, "rep lille");
    // a visit that stays names the contact among others: the purge takes the contact's id out, the order of the rest kept
    const others = await db().contact.findMany({ where: { id: { not: contact.id }, deletedAt: null }, orderBy: { id: "asc" }, take: 2, select: { id: true } });
    expect(others).toHaveLength(2);
    const [first, second] = others.map((other) => other.id) as [string, string];
    const keptVisit = rowId(work.visitIds[0]!);
    await db().visit.update({ where: { id: keptVisit }, data: { contactIdsToMeet: [second, contact.id, first], contactIdsMet: [contact.id, first] } });

    // day 29: nothing to purge, all still restorable
    t.clock.now = new Date(TODAY.getTime() + 29 * DAY);
    expect(await t.server.runTrashPurge()).toEqual({ contacts: 0, opportunities: 0, quotes: 0, visits: 0, tasks: 0 });
    expect(await trashIds("rep lille")).toEqual(expect.arrayContaining(Object.values(ids)));
    await ok(RESTORE("Task"), { id: ids.Task }, "rep lille");
    t.clock.now = TODAY;
    await ok(DELETE("Task"), { id: ids.Task }, "rep lille");

    // day 31: past the window — not listed, not restorable, then purged with the deal's quotes
    t.clock.now = new Date(TODAY.getTime() + 31 * DAY);
    expect(await trashIds("rep lille")).toEqual([]);
    expect(errorCodes(await gql(RESTORE("Visit"), { id: ids.Visit }, "rep lille"))).toEqual(["NOT_FOUND"]);
    const quoteCount = await db().quote.count({ where: { opportunityId: deal.id } });
    const purged = await t.server.runTrashPurge();
    expect(purged).toEqual({ contacts: 1, opportunities: 1, quotes: quoteCount, visits: 1, tasks: 1 });
    expect(await db().opportunity.findUnique({ where: { id: deal.id } })).toBeNull();
    expect(await db().quote.count({ where: { opportunityId: deal.id } })).toBe(0);
    expect(await db().task.findUnique({ where: { id: task.id } })).toBeNull();
    expect(await db().visit.findUnique({ where: { id: visit.id } })).toBeNull();
    expect(await db().contact.findUnique({ where: { id: contact.id } })).toBeNull();
    expect(await db().visit.findUniqueOrThrow({ where: { id: keptVisit }, select: { contactIdsToMeet: true, contactIdsMet: true } })).toEqual({ contactIdsToMeet: [second, first], contactIdsMet: [first] });
    expect(await db().auditEvent.count({ where: { entityId: deal.id, action: "purge" } })).toBe(1);
    for (const [entity, id] of Object.entries(ids)) expect(errorCodes(await gql(RESTORE(entity), { id }, "rep lille"))).toEqual(["NOT_FOUND"]);
    expect(await t.server.runTrashPurge()).toEqual({ contacts: 0, opportunities: 0, quotes: 0, visits: 0, tasks: 0 });
    t.clock.now = TODAY;
  });

  it("the retention is configurable (TRASH_RETENTION_DAYS)", async () => {
    const short = await startTestServer({ env: { TRASH_RETENTION_DAYS: "2" } });
    try {
      const rep = await short.login("rep.lille@demo.test");
      const repId = (await short.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } })).id;
      const org = await short.database.prisma.organisation.findFirstOrThrow({ where: inCharge(repId), orderBy: { id: "asc" } });
      const taskId = (await fieldWork(short, org.id, 1)).taskIds[0]!;
      const deleted = await short.gql<Data, Record<string, unknown>>(DELETE("Task"), { id: taskId }, rep);
      expect(new Date(deleted.data!.deleteTask.purgeAfter).getTime() - new Date(deleted.data!.deleteTask.deletedAt).getTime()).toBe(2 * DAY);
      short.clock.now = new Date(TODAY.getTime() + 3 * DAY);
      expect((await short.server.runTrashPurge()).tasks).toBe(1);
    } finally {
      await short.close();
    }
  });
});
