// The change feed: each reader's changes in commit order, filtered by the reader's scope and field rules,
// with removals for what left their sight — including a scheduled territory change on its date, without
// anyone acting then. "Today" is 2026-11-15; the Normandie territory moves from rep Rouen to rep Paris on
// 2026-12-01.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { usesServer } from "../support/database.js";
import { contactInPortfolio, customerWithOpenDeal } from "../support/portfolio.js";
import { principalTokens } from "../support/principals.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
let tokens: Map<string, string | undefined>;

const CURSOR = `{ changesCursor }`;
const CHANGES = `query($after: String!, $first: Int, $entities: [String!], $kinds: [ChangeKind!]) {
  changes(after: $after, first: $first, entities: $entities, kinds: $kinds) {
    cursor hasMore
    changes { kind entity id action version changedFields removal { reason mergedInto }
      node { id ... on Contact { firstName lastName phone } ... on Organisation { name } ... on Opportunity { name amount } } } } }`;

const db = () => t.database.prisma;
const userId = async (email: string) => (await db().user.findUniqueOrThrow({ where: { email } })).id;

async function cursorOf(token: string | undefined): Promise<string> {
  const response = await t.gql<Data, Record<string, unknown>>(CURSOR, {}, token);
  expect(response.errors).toBeUndefined();
  return response.data!.changesCursor;
}

/** Every change after a cursor, page after page, and the cursor to resume from. */
async function drain(token: string | undefined, after: string, variables: Record<string, unknown> = {}): Promise<{ changes: Data[]; cursor: string }> {
  const changes: Data[] = [];
  let cursor = after;
  for (let page = 0; page < 100; page++) {
    const response = await t.gql<Data, Record<string, unknown>>(CHANGES, { after: cursor, first: 50, ...variables }, token);
    expect(response.errors).toBeUndefined();
    changes.push(...response.data!.changes.changes);
    cursor = response.data!.changes.cursor;
    if (!response.data!.changes.hasMore) return { changes, cursor };
  }
  throw new Error("the feed never caught up");
}

const contactOf = (repEmail: string, day = TODAY) => contactInPortfolio(db(), repEmail, day);

const UPDATE_CONTACT = `mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id version } } }`;

/** one of Lille's customers with a contact and an open deal: a partner token is restricted to it */
let partnerOrg: string;

beforeAll(async () => {
  t = await startTestServer();
  partnerOrg = (await customerWithOpenDeal(db(), "rep.lille@demo.test")).id;
  tokens = await principalTokens(t, {
    "rep lille": { login: "rep.lille@demo.test" },
    "rep lyon": { login: "rep.lyon@demo.test" },
    "manager north": { login: "manager.north@demo.test" },
    "data steward": { login: "data.steward@demo.test" },
    "head office": { login: "head.office@demo.test" },
    partner: { partner: ["contacts:read", "opportunities:read"], organisationIds: [toGlobalId("Organisation", partnerOrg)] },
    "service referential:read": { service: ["organisations:read", "contacts:read"] },
  });
});

afterAll(async () => {
  await t?.close();
});

describe("the change feed follows each reader's scope", () => {
  it("shows a rep's own change with the record as it is now, and nothing to another team's rep", async () => {
    const lille = tokens.get("rep lille");
    const [mine, theirs] = await Promise.all([cursorOf(lille), cursorOf(tokens.get("rep lyon"))]);
    const contact = await contactOf("rep.lille@demo.test");
    const updated = await t.gql<Data, Record<string, unknown>>(UPDATE_CONTACT, { input: { id: toGlobalId("Contact", contact.id), version: contact.version, phone: "+33 3 20 00 00 01" } }, lille);
    expect(updated.errors).toBeUndefined();

    const feed = await drain(lille, mine);
    expect(feed.changes).toEqual([
      {
        kind: "UPDATED",
        entity: "Contact",
        id: toGlobalId("Contact", contact.id),
        action: "update",
        version: contact.version + 1,
        changedFields: expect.arrayContaining(["phone"]),
        removal: null,
        node: { id: toGlobalId("Contact", contact.id), firstName: contact.firstName, lastName: contact.lastName, phone: "+33 3 20 00 00 01" },
      },
    ]);
    expect((await drain(tokens.get("rep lyon"), theirs)).changes).toEqual([]);
    // the manager of Lille's team sees it too; asked again from the new cursor, nothing more
    expect((await drain(lille, feed.cursor)).changes).toEqual([]);
  });

  it("gives a partner token only its restriction, a steward and a referential token no amount", async () => {
    const readers = ["partner", "data steward", "service referential:read", "head office"] as const;
    const cursors = Object.fromEntries(await Promise.all(readers.map(async (r) => [r, await cursorOf(tokens.get(r))] as const)));
    const inside = await db().contact.findFirstOrThrow({ where: { organisationId: partnerOrg } });
    const outside = await contactOf("rep.lyon@demo.test");
    for (const [contact, token] of [[inside, tokens.get("rep lille")], [outside, tokens.get("rep lyon")]] as const) {
      const current = await db().contact.findUniqueOrThrow({ where: { id: contact.id } });
      const response = await t.gql<Data, Record<string, unknown>>(UPDATE_CONTACT, { input: { id: toGlobalId("Contact", contact.id), version: current.version, jobTitle: "Acheteur" } }, token);
      expect(response.errors).toBeUndefined();
    }
    const opportunity = await db().opportunity.findFirstOrThrow({ where: { organisationId: partnerOrg, status: "OPEN" } });
    {
      const moved = await t.gql<Data, Record<string, unknown>>(
        `mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id } } }`,
        { input: { id: toGlobalId("Opportunity", opportunity.id), version: opportunity.version, name: `${opportunity.name} (revu)` } },
        tokens.get("rep lille"),
      );
      expect(moved.errors).toBeUndefined();
    }
    const ids = (changes: Data[]) => changes.map((c) => c.id).sort();
    const partner = await drain(tokens.get("partner"), cursors.partner!);
    expect(ids(partner.changes.filter((c) => c.entity === "Contact"))).toEqual([toGlobalId("Contact", inside.id)]);
    expect(partner.changes.filter((c) => c.entity === "Opportunity").map((c) => c.node.amount)).toEqual([opportunity.amount.toFixed(2)]);

    const everything = await drain(tokens.get("head office"), cursors["head office"]!);
    expect(ids(everything.changes.filter((c) => c.entity === "Contact"))).toEqual(ids([{ id: toGlobalId("Contact", inside.id) }, { id: toGlobalId("Contact", outside.id) }]));
    for (const reader of ["data steward", "service referential:read"] as const) {
      const feed = await drain(tokens.get(reader), cursors[reader]!);
      expect(ids(feed.changes)).toEqual(ids(everything.changes.filter((c) => c.entity === "Contact")));
      expect(feed.changes.every((c) => c.entity === "Contact" && !("amount" in (c.node ?? {})))).toBe(true);
    }
  });

  it("removes a record that left the reader's sight and adds it to the new reader's copy", async () => {
    const [lille, lyon, headOffice] = [tokens.get("rep lille"), tokens.get("rep lyon"), tokens.get("head office")];
    const before = { lille: await cursorOf(lille), lyon: await cursorOf(lyon) };
    // a personal task (on no organisation) is seen by its assignee: created for Lille, then handed to Lyon
    const created = await t.gql<Data, Record<string, unknown>>(
      `mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id version } } }`,
      { input: { kind: "FOLLOW_UP", title: "Rappeler le siège", assigneeId: toGlobalId("User", await userId("rep.lille@demo.test")) } },
      headOffice,
    );
    expect(created.errors).toBeUndefined();
    const task = created.data!.createTask.task;
    const handed = await t.gql<Data, Record<string, unknown>>(
      `mutation($input: UpdateTaskInput!) { updateTask(input: $input) { task { id } } }`,
      { input: { id: task.id, version: task.version, assigneeId: toGlobalId("User", await userId("rep.lyon@demo.test")) } },
      headOffice,
    );
    expect(handed.errors).toBeUndefined();
    const lost = await drain(lille, before.lille);
    // Lille's creation event shows the task as it is now — out of Lille's sight, so nothing — and the
    // handover removes it from a copy that took it in between
    expect(lost.changes.map((c) => [c.kind, c.id, c.removal])).toEqual([["REMOVED", task.id, { reason: "LEFT_SCOPE", mergedInto: null }]]);
    const gained = await drain(lyon, before.lyon);
    // both events show the task as it is now, in Lyon's sight: its creation, then its arrival
    expect(gained.changes.map((c) => [c.kind, c.id])).toEqual([["CREATED", task.id], ["ENTERED_SCOPE", task.id]]);
    expect(gained.changes[1].changedFields).toEqual(["assignee"]);
  });

  it("marks a merged organisation as merged into its target", async () => {
    const rep = await userId("rep.lille@demo.test");
    const [source, target] = await db().organisation.findMany({
      where: { mergedIntoId: null, id: { not: partnerOrg }, assignments: { some: { repId: rep, validFrom: { lte: TODAY }, OR: [{ validTo: null }, { validTo: { gt: TODAY } }] } } },
      orderBy: { id: "desc" },
      take: 2,
    });
    const lille = tokens.get("rep lille");
    const cursor = await cursorOf(lille);
    const merged = await t.gql<Data, Record<string, unknown>>(
      `mutation($input: MergeOrganisationsInput!) { mergeOrganisations(input: $input) { organisation { id } } }`,
      { input: { sourceId: toGlobalId("Organisation", source!.id), targetId: toGlobalId("Organisation", target!.id) } },
      tokens.get("data steward"),
    );
    expect(merged.errors).toBeUndefined();
    const feed = await drain(lille, cursor, { entities: ["Organisation"] });
    expect(feed.changes.find((c) => c.id === toGlobalId("Organisation", source!.id))).toMatchObject({
      kind: "REMOVED",
      removal: { reason: "MERGED", mergedInto: toGlobalId("Organisation", target!.id) },
    });
    expect(feed.changes.filter((c) => c.id === toGlobalId("Organisation", target!.id)).map((c) => c.kind)).toContain("UPDATED");
  });
});

describe("a scheduled territory change reaches each rep's feed on its date", () => {
  it("carries removals to the rep who loses the organisations and additions to the one who gains them", async () => {
    const [rouen, paris] = [await userId("rep.rouen@demo.test"), await userId("rep.paris@demo.test")];
    const normandie = (await db().territory.findFirstOrThrow({ where: { name: "Normandie" } })).id;
    const onDay = (d: Date) => ({ validFrom: { lte: d }, OR: [{ validTo: null }, { validTo: { gt: d } }] });
    const lost = (await db().organisation.findMany({ where: { mergedIntoId: null, assignments: { some: { repId: rouen, territoryId: normandie, ...onDay(TODAY) } } }, select: { id: true } })).map((o) => o.id);
    expect(lost.length).toBeGreaterThan(0);
    const lostContacts = (await db().contact.findMany({ where: { organisationId: { in: lost } }, select: { id: true } })).map((c) => c.id);
    const lostDeals = (await db().opportunity.findMany({ where: { organisationId: { in: lost }, status: "OPEN" }, select: { id: true } })).map((o) => o.id);

    const reps = { rouen: await t.login("rep.rouen@demo.test"), paris: await t.login("rep.paris@demo.test"), lille: await t.login("rep.lille@demo.test") };
    const start = { rouen: await cursorOf(reps.rouen), paris: await cursorOf(reps.paris), lille: await cursorOf(reps.lille) };
    const assigned = await t.gql<Data, Record<string, unknown>>(
      `mutation($input: AssignTerritoryInput!) { assignTerritory(input: $input) { territory { name } } }`,
      { input: { territoryId: toGlobalId("Territory", normandie), repId: toGlobalId("User", paris), kind: "PERMANENT", validFrom: "2026-12-01" } },
      tokens.get("head office"),
    );
    expect(assigned.errors).toBeUndefined();

    // Before the date: nothing has changed for anyone yet.
    const early = { rouen: await drain(reps.rouen, start.rouen), paris: await drain(reps.paris, start.paris) };
    expect(early.rouen.changes).toEqual([]);
    expect(early.paris.changes).toEqual([]);

    // On the date, nobody acting: Rouen's copy loses them, Paris's gains them, Lille's hears nothing.
    t.clock.now = new Date("2026-12-01T07:00:00Z");
    let rouenCursor = "";
    try {
      const onDate = { rouen: await t.login("rep.rouen@demo.test"), paris: await t.login("rep.paris@demo.test"), lille: await t.login("rep.lille@demo.test") };
      // What each rep's copy must lose and gain, read from the assignment history (the demo company has
      // other changes scheduled for that day too): in charge on 30 Nov and not on 1 Dec, and the reverse.
      const inCharge = async (rep: string, d: Date) =>
        new Set((await db().organisation.findMany({ where: { mergedIntoId: null, assignments: { some: { repId: rep, ...onDay(d) } } }, select: { id: true } })).map((o) => o.id));
      const expected = async (rep: string) => {
        const [was, is] = [await inCharge(rep, new Date("2026-11-30T00:00:00Z")), await inCharge(rep, new Date("2026-12-01T00:00:00Z"))];
        const orgs = { lost: [...was].filter((id) => !is.has(id)), gained: [...is].filter((id) => !was.has(id)) };
        const of = async (ids: string[]) => ({
          Organisation: ids,
          Contact: (await db().contact.findMany({ where: { organisationId: { in: ids } }, select: { id: true } })).map((c) => c.id),
          Opportunity: (await db().opportunity.findMany({ where: { organisationId: { in: ids }, status: "OPEN" }, select: { id: true } })).map((o) => o.id),
        });
        return { REMOVED: await of(orgs.lost), ENTERED_SCOPE: await of(orgs.gained) };
      };
      const byKind = (changes: Data[], kind: string, entity: string) => changes.filter((c) => c.kind === kind && c.entity === entity).map((c) => c.id).sort();
      const globals = (entity: string, ids: string[]) => ids.map((id) => toGlobalId(entity, id)).sort();
      const rouenExpected = await expected(rouen);
      const parisExpected = await expected(paris);
      expect(rouenExpected.REMOVED.Organisation).toEqual(expect.arrayContaining(lost));
      expect(parisExpected.ENTERED_SCOPE.Organisation).toEqual(expect.arrayContaining(lost));
      expect(rouenExpected.REMOVED.Contact).toEqual(expect.arrayContaining(lostContacts));
      expect(rouenExpected.REMOVED.Opportunity).toEqual(expect.arrayContaining(lostDeals));

      for (const [token, want] of [[onDate.rouen, rouenExpected], [onDate.paris, parisExpected]] as const) {
        const feed = await drain(token, token === onDate.rouen ? early.rouen.cursor : early.paris.cursor);
        for (const kind of ["REMOVED", "ENTERED_SCOPE"] as const) {
          for (const entity of ["Organisation", "Contact", "Opportunity"] as const) expect(byKind(feed.changes, kind, entity)).toEqual(globals(entity, want[kind][entity]));
        }
        expect(feed.changes.filter((c) => c.kind === "REMOVED").every((c) => c.removal.reason === "LEFT_SCOPE" && c.node === null)).toBe(true);
        expect(feed.changes.filter((c) => c.kind === "ENTERED_SCOPE").every((c) => c.node?.id === c.id && c.removal === null)).toBe(true);
        // a rep reads the organisation's rep in charge: the change names that field; its dependents name none
        expect(new Set(feed.changes.map((c) => `${c.entity}:${c.changedFields.join(",")}`))).toEqual(
          new Set(feed.changes.map((c) => (c.entity === "Organisation" ? "Organisation:assignedRep" : `${c.entity}:`))),
        );
        expect(feed.changes.filter((c) => c.kind !== "REMOVED" && c.kind !== "ENTERED_SCOPE" && ["Organisation", "Contact", "Opportunity"].includes(c.entity))).toEqual([]);
        if (token === onDate.rouen) rouenCursor = feed.cursor;
      }
      // Lille's copy hears nothing of the Normandie organisations
      const lilleFeed = await drain(onDate.lille, start.lille);
      const normandieIds = new Set([...globals("Organisation", lost), ...globals("Contact", lostContacts), ...globals("Opportunity", lostDeals)]);
      expect(lilleFeed.changes.filter((c) => normandieIds.has(c.id))).toEqual([]);
      // the next day, nothing again: the change was delivered once
      t.clock.now = new Date("2026-12-02T07:00:00Z");
      expect((await drain(await t.login("rep.rouen@demo.test"), rouenCursor)).changes).toEqual([]);
    } finally {
      t.clock.now = TODAY;
    }
  });
});

describe("cursors", () => {
  it("refuses a cursor older than the retention window with a reason telling to download again", async () => {
    const cursor = await cursorOf(tokens.get("rep lille"));
    t.clock.now = new Date(TODAY.getTime() + 31 * 86_400_000);
    try {
      const response = await t.gql<Data, Record<string, unknown>>(CHANGES, { after: cursor }, await t.login("rep.lille@demo.test"));
      expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(response.errors![0]!.extensions).toMatchObject({ reason: "RESYNC_REQUIRED", field: "after" });
    } finally {
      t.clock.now = TODAY;
    }
  });

  it("refuses a made-up cursor, a page above 500 and an unknown entity", async () => {
    const lille = tokens.get("rep lille");
    const cursor = await cursorOf(lille);
    for (const variables of [{ after: "bm90IGEgY3Vyc29y" }, { after: cursor, first: 501 }, { after: cursor, entities: ["Password"] }]) {
      const response = await t.gql<Data, Record<string, unknown>>(CHANGES, variables, lille);
      expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
    }
    expect(errorCodes(await t.gql<Data, Record<string, unknown>>(CHANGES, { after: cursor }, undefined))).toEqual(["UNAUTHENTICATED"]);
  });

  it("never shows a change that was rolled back", async () => {
    const lille = tokens.get("rep lille");
    const cursor = await cursorOf(lille);
    const contact = await contactOf("rep.lille@demo.test");
    await expect(
      db().$transaction(async (tx) => {
        await tx.contact.update({ where: { id: contact.id }, data: { phone: "rolled back", version: { increment: 1 } } });
        await tx.auditEvent.create({ data: { entity: "Contact", entityId: contact.id, action: "update", before: JSON.parse(JSON.stringify(contact)), changedFields: ["phone"] } });
        throw new Error("abandoned");
      }),
    ).rejects.toThrow("abandoned");
    expect((await drain(lille, cursor)).changes).toEqual([]);
  });
});

if (!usesServer) console.warn("changes.test.ts: the out-of-order commit case needs two connections: it runs on PostgreSQL (TEST_DATABASE_URL) only");

describe.skipIf(!usesServer)("transactions that commit out of order (PostgreSQL)", () => {
  it("delivers an event committed after the reader passed a later one", async () => {
    const lille = tokens.get("rep lille");
    const cursor = await cursorOf(lille);
    const rep = await userId("rep.lille@demo.test");
    const [first, second] = await db().contact.findMany({
      where: { organisation: { mergedIntoId: null, assignments: { some: { repId: rep, validFrom: { lte: TODAY }, OR: [{ validTo: null }, { validTo: { gt: TODAY } }] } } } },
      orderBy: { id: "asc" },
      take: 2,
    });
    // Transaction A writes first and stays open; B (a mutation) writes and commits; the reader reads; A commits.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const a = db().$transaction(
      async (tx) => {
        await tx.contact.update({ where: { id: first!.id }, data: { phone: "+33 1 45 00 00 01", version: { increment: 1 } } });
        await tx.auditEvent.create({ data: { entity: "Contact", entityId: first!.id, action: "update", before: JSON.parse(JSON.stringify(first)), changedFields: ["phone"] } });
        wrote();
        await gate;
      },
      { timeout: 120_000 },
    );
    await written;
    const current = await db().contact.findUniqueOrThrow({ where: { id: second!.id } });
    const b = await t.gql<Data, Record<string, unknown>>(UPDATE_CONTACT, { input: { id: toGlobalId("Contact", second!.id), version: current.version, phone: "+33 1 45 00 00 02" } }, lille);
    expect(b.errors).toBeUndefined();
    // B is committed, but a transaction that began writing before it is still open: the feed waits for it
    const whileOpen = await drain(lille, cursor);
    expect(whileOpen.changes).toEqual([]);
    release();
    await a;
    const after = await drain(lille, whileOpen.cursor);
    expect(after.changes.map((c) => [c.id, c.node.phone])).toEqual([
      [toGlobalId("Contact", first!.id), "+33 1 45 00 00 01"],
      [toGlobalId("Contact", second!.id), "+33 1 45 00 00 02"],
    ]);
  });
});
