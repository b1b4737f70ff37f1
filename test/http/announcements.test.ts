// Announcements: head office authors them (create, update with version, end); the field reads those in force
// that target its organisations — in the announcements list and in visit briefs, by one definition of
// targeting — and every kind of principal is checked on every path. "Today" is 2026-11-15.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGlobalId, toGlobalId } from "../../src/graphql/relay.js";
import { buildCustomer, day } from "../fixtures/visits.js";
import { expectGate, type GateCase } from "../support/gates.js";
import { principalTokens } from "../support/principals.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
let tokens: Map<string, string | undefined>;
const gql = (query: string, variables: Record<string, unknown>, principal: string) => t.gql<Data, Record<string, unknown>>(query, variables, tokens.get(principal));

const FIELDS = `id kind title body validFrom validTo status version endedAt targeting { segments categories regions banners } createdBy { email }`;
const CREATE = `mutation($input: CreateAnnouncementInput!) { createAnnouncement(input: $input) { announcement { ${FIELDS} } } }`;
const UPDATE = `mutation($input: UpdateAnnouncementInput!) { updateAnnouncement(input: $input) { announcement { ${FIELDS} } } }`;
const END = `mutation($input: EndAnnouncementInput!) { endAnnouncement(input: $input) { announcement { ${FIELDS} } } }`;
const LIST = `query($filter: AnnouncementFilter, $orderBy: AnnouncementOrder) { announcements(first: 200, filter: $filter, orderBy: $orderBy) { totalCount edges { node { id title status } } } }`;
const BRIEF = `query($id: ID!) { visit(id: $id) { brief { announcements { id title } } } }`;

const PRINCIPALS = [
  "rep", "other rep", "manager", "head office", "data steward", "anonymous",
  "partner visits:write", "partner contacts:read", "service referential:read", "service incidents:import",
];
const READERS = ["rep", "other rep", "manager", "head office", "partner visits:write"];

let gold: { global: string; visit: string };
let silver: { global: string; visit: string };

const titles = (response: { data?: Data | null }) => (response.data!.announcements.edges as Data[]).map((e) => e.node.title);
const briefTitles = (response: { data?: Data | null }) => (response.data!.visit.brief.announcements as Data[]).map((a) => a.title);

async function create(input: Record<string, unknown>) {
  const response = await gql(CREATE, { input: { kind: "INFO", body: "…", validFrom: "2026-11-01", ...input } }, "head office");
  expect(response.errors).toBeUndefined();
  return response.data!.createAnnouncement.announcement;
}

beforeAll(async () => {
  t = await startTestServer();
  const db = t.database.prisma;
  const lyon = (await db.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id;
  const customer = async (name: string, segment: "GOLD" | "SILVER") => {
    // a banner and a region no demo organisation has: the test's targeting reaches these two only
    const { organisation } = await buildCustomer(db, name, { segment, region: "Région Test", banner: "Enseigne Test", charges: [[lyon, day("2025-01-01")]], contacts: 0 });
    const visit = await db.visit.create({ data: { organisationId: organisation.id, repId: lyon, plannedAt: new Date("2026-11-20T09:00:00Z") } });
    return { global: toGlobalId("Organisation", organisation.id), visit: toGlobalId("Visit", visit.id) };
  };
  gold = await customer("Annonces Or", "GOLD");
  silver = await customer("Annonces Argent", "SILVER");
  tokens = await principalTokens(t, {
    rep: { login: "rep.lyon@demo.test" },
    "other rep": { login: "rep.lille@demo.test" },
    manager: { login: "manager.south@demo.test" },
    "head office": { login: "head.office@demo.test" },
    "data steward": { login: "data.steward@demo.test" },
    anonymous: "anonymous",
    "partner visits:write": { partner: ["visits:write"], organisationIds: [gold.global] },
    "partner contacts:read": { partner: ["contacts:read"], organisationIds: [gold.global] },
    "service referential:read": { service: ["referential:read"] },
    "service incidents:import": { service: ["incidents:import"] },
  });
});
afterAll(() => t?.close());

describe("targeting: one definition for the brief and the list", () => {
  it("an announcement for GOLD organisations shows in a GOLD organisation's brief only, and in the lists of those who see one", async () => {
    const created = await create({ kind: "PROMOTION", title: "Or : remise test", validTo: "2026-12-31", targeting: { segments: ["GOLD"], banners: ["Enseigne Test"] } });
    expect(created).toMatchObject({ status: "IN_FORCE", version: 1, createdBy: { email: "head.office@demo.test" }, targeting: { segments: ["GOLD"], categories: [], regions: [], banners: ["Enseigne Test"] } });
    expect(briefTitles(await gql(BRIEF, { id: gold.visit }, "rep"))).toContain("Or : remise test");
    expect(briefTitles(await gql(BRIEF, { id: silver.visit }, "rep"))).not.toContain("Or : remise test");
    // lists: the rep and the manager see it (their portfolio holds the GOLD customer), the partner too (its
    // restriction is the GOLD customer); the Lille rep sees none of "Enseigne Test"
    for (const principal of ["rep", "manager", "partner visits:write", "head office"]) expect(titles(await gql(LIST, {}, principal)), principal).toContain("Or : remise test");
    expect(titles(await gql(LIST, {}, "other rep"))).not.toContain("Or : remise test");
    const node = `query($id: ID!) { node(id: $id) { ... on Announcement { title } } }`;
    expect((await gql(node, { id: created.id }, "rep")).data!.node).toEqual({ title: "Or : remise test" });
    expect(errorCodes(await gql(node, { id: created.id }, "other rep"))).toEqual(["NOT_FOUND"]);
    for (const principal of ["data steward", "service referential:read", "partner contacts:read"]) {
      expect(errorCodes(await gql(node, { id: created.id }, principal)), principal).toEqual(["NOT_FOUND"]);
    }
  });

  it("a SILVER-only announcement in a region reaches the SILVER customer; one outside the window reaches nobody but head office", async () => {
    await create({ title: "Argent : région test", targeting: { segments: ["SILVER"], regions: ["Région Test"] } });
    await create({ title: "Test plus tard", validFrom: "2026-12-01", targeting: { regions: ["Région Test"] } });
    await create({ title: "Test fini", validFrom: "2026-10-01", validTo: "2026-11-14", targeting: { regions: ["Région Test"] } });
    // validTo is exclusive, like every window of the API: a window closing today is over today
    await create({ title: "Test fini aujourd'hui", validFrom: "2026-10-01", validTo: "2026-11-15", targeting: { regions: ["Région Test"] } });
    await create({ title: "Test fini demain", validFrom: "2026-10-01", validTo: "2026-11-16", targeting: { regions: ["Région Test"] } });
    expect(briefTitles(await gql(BRIEF, { id: silver.visit }, "rep"))).toEqual(expect.arrayContaining(["Argent : région test"]));
    expect(briefTitles(await gql(BRIEF, { id: gold.visit }, "rep"))).not.toContain("Argent : région test");
    const rep = titles(await gql(LIST, {}, "rep"));
    expect(rep).toContain("Argent : région test");
    for (const other of ["Test plus tard", "Test fini", "Test fini aujourd'hui"]) expect(rep).not.toContain(other);
    expect(rep).toContain("Test fini demain");
    const scheduled = await gql(LIST, { filter: { status: ["SCHEDULED"] } }, "head office");
    expect(titles(scheduled)).toContain("Test plus tard");
    expect(scheduled.data!.announcements.edges.every((e: Data) => e.node.status === "SCHEDULED")).toBe(true);
    const ended = await gql(LIST, { filter: { status: ["ENDED"] } }, "head office");
    expect(titles(ended)).toEqual(expect.arrayContaining(["Test fini", "Test fini aujourd'hui"]));
    expect(titles(ended)).not.toContain("Test fini demain");
    const everything = await gql(LIST, {}, "head office");
    expect(everything.data!.announcements.totalCount).toBe(await t.database.prisma.announcement.count());
  });
});

describe("head office writes", () => {
  it("updates with the version (CONFLICT when stale), ends it (gone from briefs and lists), then it cannot change", async () => {
    const created = await create({ title: "À modifier", targeting: { banners: ["Enseigne Test"] } });
    const updated = await gql(UPDATE, { input: { id: created.id, version: 1, title: "Modifiée", targeting: { segments: ["SILVER"] } } }, "head office");
    expect(updated.data!.updateAnnouncement.announcement).toMatchObject({ title: "Modifiée", version: 2, targeting: { segments: ["SILVER"], banners: [] } });
    const stale = await gql(UPDATE, { input: { id: created.id, version: 1, title: "Trop tard" } }, "head office");
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);
    expect(briefTitles(await gql(BRIEF, { id: silver.visit }, "rep"))).toContain("Modifiée");

    const ended = await gql(END, { input: { id: created.id, version: 2 } }, "head office");
    expect(ended.data!.endAnnouncement.announcement).toMatchObject({ status: "ENDED", version: 3, endedAt: "2026-11-15T10:00:00.000Z" });
    expect(briefTitles(await gql(BRIEF, { id: silver.visit }, "rep"))).not.toContain("Modifiée");
    expect(titles(await gql(LIST, {}, "rep"))).not.toContain("Modifiée");
    expect(errorCodes(await gql(UPDATE, { input: { id: created.id, version: 3, title: "Encore" } }, "head office"))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(END, { input: { id: created.id, version: 3 } }, "head office"))).toEqual(["BAD_USER_INPUT"]);
    const audit = await t.database.prisma.auditEvent.findMany({ where: { entity: "Announcement", entityId: parseGlobalId(created.id)!.id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["create", "update", "end"]);
  });

  it("refuses bad input: an empty title, a window ending before it starts, an unknown announcement", async () => {
    expect(errorCodes(await gql(CREATE, { input: { kind: "INFO", title: " ", body: "b", validFrom: "2026-11-01" } }, "head office"))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(CREATE, { input: { kind: "INFO", title: "t", body: "b", validFrom: "2026-11-10", validTo: "2026-11-09" } }, "head office"))).toEqual(["BAD_USER_INPUT"]);
    const missing = toGlobalId("Announcement", "00000000-0000-4000-8000-00000000beef");
    expect(errorCodes(await gql(UPDATE, { input: { id: missing, version: 1, title: "x" } }, "head office"))).toEqual(["NOT_FOUND"]);
  });

  it("the demo company has announcements in force, one for GOLD customers", async () => {
    const response = await gql(`{ announcements(first: 200, filter: { status: [IN_FORCE] }) { edges { node { title targeting { segments } } } } }`, {}, "head office");
    const inForce = response.data!.announcements.edges.map((e: Data) => e.node);
    expect(inForce.length).toBeGreaterThanOrEqual(3);
    expect(inForce.some((a: Data) => a.targeting.segments.includes("GOLD"))).toBe(true);
  });
});

describe("who may call what", () => {
  const someId = toGlobalId("Announcement", "00000000-0000-4000-8000-00000000beef");
  const OPERATIONS: Record<string, GateCase> = {
    announcements: [`{ announcements { totalCount } }`, {}, READERS],
    createAnnouncement: [`mutation { createAnnouncement(input: { kind: INFO, title: "", body: "", validFrom: "2026-11-01" }) { announcement { id } } }`, {}, ["head office"]],
    updateAnnouncement: [`mutation($id: ID!) { updateAnnouncement(input: { id: $id, version: 1, title: "x" }) { announcement { id } } }`, { id: someId }, ["head office"]],
    endAnnouncement: [`mutation($id: ID!) { endAnnouncement(input: { id: $id, version: 1 }) { announcement { id } } }`, { id: someId }, ["head office"]],
  };
  it.each(Object.keys(OPERATIONS))("%s: allowed principals pass the gate, everyone else is refused, nothing is written", async (name) => {
    const before = await t.database.prisma.announcement.count();
    await expectGate(t, name, OPERATIONS[name]!, PRINCIPALS, tokens);
    expect(await t.database.prisma.announcement.count()).toBe(before);
  });
});
