// Permissions of every principal of SPEC §2 (REP, MANAGER, HEAD_OFFICE, DATA_STEWARD, PARTNER and SERVICE
// tokens): which organisations and contacts each one sees on every path (root lists, totalCount, single
// reads, node(id), nested fields), what is refused and how, who may issue and revoke tokens, and who may
// write contacts. Every expectation is computed here from the database with Prisma, never from the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "../../src/db/generated/client.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { errorCodes, startTestServer, TODAY, type GraphQLResponse, type TestServer } from "../support/server.js";

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

const DAY = new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), TODAY.getUTCDate()));
const DAY_MS = 86_400_000;
const inDays = (days: number) => new Date(TODAY.getTime() + days * DAY_MS).toISOString();
/** A well-formed id of a row that does not exist. */
const MADE_UP_UUID = "00000000-0000-4000-8000-00000000beef";

/** Assignments in force on DAY (validTo exclusive), written out independently of src/auth/row-scope.ts. */
const inForce = { validFrom: { lte: DAY }, OR: [{ validTo: null }, { validTo: { gt: DAY } }] };
const live = { mergedIntoId: null };
const portfolioOf = (repIds: string[]): Prisma.OrganisationWhereInput => ({ ...live, assignments: { some: { ...inForce, repId: { in: repIds } } } });
const territoriesOf = (territoryIds: string[]): Prisma.OrganisationWhereInput => ({
  ...live,
  assignments: { some: { ...inForce, territoryId: { in: territoryIds } } },
});

const orgId = (uuid: string) => toGlobalId("Organisation", uuid);
const contactId = (uuid: string) => toGlobalId("Contact", uuid);
const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;

interface Principal {
  token: string;
  /** organisations the principal must see, or "forbidden" when it has no referential access at all */
  organisations: Prisma.OrganisationWhereInput | "forbidden";
  /** whether it may read contacts (of the organisations it sees) */
  readsContacts: boolean;
}

/** Responses are read loosely: plain query strings, no codegen. */
type Data = Record<string, any>;

let t: TestServer;
const principals = new Map<string, Principal>();
const territoryIdByName = new Map<string, string>();

const gql = (query: string, variables: Record<string, unknown> | undefined, token: string | undefined) =>
  t.gql<Data, Record<string, unknown>>(query, variables ?? {}, token);

function principal(name: string): Principal {
  const found = principals.get(name);
  if (!found) throw new Error(`unknown principal ${name}`);
  return found;
}

function scopeOf(name: string): Prisma.OrganisationWhereInput {
  const scope = principal(name).organisations;
  if (scope === "forbidden") throw new Error(`${name} has no referential access`);
  return scope;
}

async function userId(email: string): Promise<string> {
  return (await t.database.prisma.user.findUniqueOrThrow({ where: { email } })).id;
}

async function teamRepIds(managerEmail: string): Promise<string[]> {
  const team = await t.database.prisma.team.findFirstOrThrow({ where: { manager: { email: managerEmail } } });
  return (await t.database.prisma.user.findMany({ where: { teamId: team.id, role: "REP" } })).map((u) => u.id);
}

async function expectedOrganisationIds(where: Prisma.OrganisationWhereInput): Promise<string[]> {
  return (await t.database.prisma.organisation.findMany({ where, select: { id: true } })).map((o) => o.id).sort();
}

/** An organisation outside the scope (deterministic), or null when the principal sees them all. */
async function organisationOutside(where: Prisma.OrganisationWhereInput) {
  return t.database.prisma.organisation.findFirst({ where: { NOT: where }, orderBy: { name: "asc" } });
}

async function contactOutside(where: Prisma.OrganisationWhereInput) {
  return t.database.prisma.contact.findFirst({ where: { organisation: { NOT: where } }, orderBy: { id: "asc" } });
}

async function issueToken(issuerEmail: string, input: Record<string, unknown>) {
  return gql(
    `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token apiToken { id } } }`,
    { input },
    await t.login(issuerEmail),
  );
}

async function issueTokenOrThrow(issuerEmail: string, input: Record<string, unknown>): Promise<{ token: string; id: string }> {
  const response = await issueToken(issuerEmail, input);
  const payload = response.data?.issueApiToken;
  if (!payload) throw new Error(`issueApiToken failed: ${JSON.stringify(response.errors)}`);
  return { token: payload.token, id: payload.apiToken.id };
}

const partnerInput = (territories: string[], scopes: string[], days = 30) => ({
  kind: "PARTNER",
  name: `partner ${territories.join("+")} ${scopes.join(" ")}`,
  scopes,
  territoryIds: territories.map((name) => toGlobalId("Territory", territoryIdByName.get(name)!)),
  expiresAt: inDays(days),
});

/** Every organisation id the API lists, following pages. */
async function listAllOrganisations(token: string): Promise<{ ids: string[]; totalCount: number; parents: Map<string, string | null> }> {
  const ids: string[] = [];
  const parents = new Map<string, string | null>();
  let after: string | null = null;
  let totalCount = -1;
  for (;;) {
    const response: GraphQLResponse<Data> = await gql(
      `query($after: String) { organisations(first: 200, after: $after) {
         totalCount pageInfo { hasNextPage endCursor } edges { node { id parent { id } } } } }`,
      { after },
      token,
    );
    expect(response.errors).toBeUndefined();
    const connection = response.data!.organisations;
    totalCount = connection.totalCount;
    for (const edge of connection.edges) {
      const id = uuidOf(edge.node.id);
      ids.push(id);
      parents.set(id, edge.node.parent ? uuidOf(edge.node.parent.id) : null);
    }
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return { ids: ids.sort(), totalCount, parents };
}

// ---------------------------------------------------------------------------------------------------
// The principals
// ---------------------------------------------------------------------------------------------------

const PARTNER_CONTACTS = "partner contacts:write visits:write on Hauts-de-France";
const PARTNER_VISITS = "partner visits:write only on Hauts-de-France";
const SERVICE_REFERENTIAL = "service referential:read";
const SERVICE_ORDERS = "service orders:import only";

const ALL = ["rep.lille", "rep.paris", "manager.north", "head.office", "data.steward", PARTNER_CONTACTS, PARTNER_VISITS, SERVICE_REFERENTIAL, SERVICE_ORDERS];
/** principals with some referential access */
const READERS = ALL.filter((name) => name !== SERVICE_ORDERS);
/** principals that see only part of the referential */
const RESTRICTED = ["rep.lille", "rep.paris", "manager.north", PARTNER_CONTACTS, PARTNER_VISITS];
/** principals that may read contacts */
const CONTACT_READERS = READERS.filter((name) => name !== PARTNER_VISITS);

beforeAll(async () => {
  t = await startTestServer();
  for (const territory of await t.database.prisma.territory.findMany()) territoryIdByName.set(territory.name, territory.id);

  const user = async (email: string, organisations: Prisma.OrganisationWhereInput) =>
    ({ token: await t.login(email), organisations, readsContacts: true }) satisfies Principal;
  principals.set("rep.lille", await user("rep.lille@demo.test", portfolioOf([await userId("rep.lille@demo.test")])));
  principals.set("rep.paris", await user("rep.paris@demo.test", portfolioOf([await userId("rep.paris@demo.test")])));
  principals.set("manager.north", await user("manager.north@demo.test", portfolioOf(await teamRepIds("manager.north@demo.test"))));
  principals.set("head.office", await user("head.office@demo.test", live));
  principals.set("data.steward", await user("data.steward@demo.test", live));

  const hautsDeFrance = territoriesOf([territoryIdByName.get("Hauts-de-France")!]);
  principals.set(PARTNER_CONTACTS, {
    token: (await issueTokenOrThrow("head.office@demo.test", partnerInput(["Hauts-de-France"], ["contacts:write", "visits:write"]))).token,
    organisations: hautsDeFrance,
    readsContacts: true,
  });
  principals.set(PARTNER_VISITS, {
    token: (await issueTokenOrThrow("head.office@demo.test", partnerInput(["Hauts-de-France"], ["visits:write"]))).token,
    organisations: hautsDeFrance,
    readsContacts: false,
  });
  principals.set(SERVICE_REFERENTIAL, {
    token: (await issueTokenOrThrow("head.office@demo.test", { kind: "SERVICE", name: "referential export", scopes: ["referential:read"] })).token,
    organisations: live,
    readsContacts: true,
  });
  principals.set(SERVICE_ORDERS, {
    token: (await issueTokenOrThrow("head.office@demo.test", { kind: "SERVICE", name: "ERP orders", scopes: ["orders:import"] })).token,
    organisations: "forbidden",
    readsContacts: false,
  });
});
afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------------
// 1. Root list and totalCount
// ---------------------------------------------------------------------------------------------------

describe("organisations: totalCount and edges follow each principal's scope", () => {
  it("the demo data makes the scopes differ (sanity of the fixtures)", async () => {
    const count = (name: string) => t.database.prisma.organisation.count({ where: scopeOf(name) });
    const all = await count("head.office");
    expect(await count("rep.lille")).toBeGreaterThan(0);
    expect(await count("rep.lille")).toBeLessThan(await count("manager.north"));
    expect(await count("manager.north")).toBeLessThan(all);
    expect(await count(PARTNER_CONTACTS)).toBe(await count("rep.lille"));
    // Beauvais moved from Paris to Lille: it is in Lille's portfolio today, not in Paris's
    const beauvais = { city: "Beauvais" };
    expect(await t.database.prisma.organisation.count({ where: { AND: [beauvais, scopeOf("rep.lille")] } })).toBeGreaterThan(0);
    expect(await t.database.prisma.organisation.count({ where: { AND: [beauvais, scopeOf("rep.paris")] } })).toBe(0);
    // banners sit in Paris: Lille's stores have parents outside Lille's portfolio, Paris's inside Paris's
    const withParent = (name: string, parentInScope: boolean) =>
      t.database.prisma.organisation.count({ where: { AND: [scopeOf(name), { parent: parentInScope ? scopeOf(name) : { NOT: scopeOf(name) } }] } });
    expect(await withParent("rep.lille", false)).toBeGreaterThan(0);
    expect(await withParent("rep.paris", true)).toBeGreaterThan(0);
  });

  it.each(READERS)("%s: totalCount and the listed organisations are exactly its scope", async (name) => {
    const expected = await expectedOrganisationIds(scopeOf(name));
    const listed = await listAllOrganisations(principal(name).token);
    expect(listed.totalCount).toBe(expected.length);
    expect(listed.ids).toEqual(expected);
  });

  it.each(READERS)("%s: a filter narrows inside the scope, never widens it", async (name) => {
    const region = "Hauts-de-France";
    const expected = await t.database.prisma.organisation.count({ where: { AND: [scopeOf(name), { region }] } });
    const response = await gql(`query($f: OrganisationFilter) { organisations(filter: $f) { totalCount } }`, { f: { region: [region] } }, principal(name).token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.organisations.totalCount).toBe(expected);
  });

  it("rep.paris filtering on the rep who holds Beauvais now still sees nothing of it", async () => {
    const lille = toGlobalId("User", await userId("rep.lille@demo.test"));
    const response = await gql(
      `query($f: OrganisationFilter) { organisations(filter: $f) { totalCount edges { node { id } } } }`,
      { f: { assignedRepId: lille } },
      principal("rep.paris").token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.organisations).toEqual({ totalCount: 0, edges: [] });
  });
});

// ---------------------------------------------------------------------------------------------------
// 2. Out of scope is NOT_FOUND, exactly like a missing row
// ---------------------------------------------------------------------------------------------------

const ORGANISATION = `query($id: ID!) { organisation(id: $id) { id name } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Organisation { name } ... on Contact { lastName } } }`;
const CONTACTS_OF = `query($orgId: ID) { contacts(filter: { organisationId: $orgId, includeLeft: true }) { totalCount edges { node { id } } } }`;
const CREATE_CONTACT = `mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id lastName organisation { id } } } }`;
const UPDATE_CONTACT = `mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id jobTitle version } } }`;

describe("an organisation outside the scope cannot be told from a missing one", () => {
  it.each(RESTRICTED)("%s: organisation(id) and node(id) answer NOT_FOUND, with the message of a made-up id", async (name) => {
    const { token } = principal(name);
    const outside = await organisationOutside(scopeOf(name));
    expect(outside).not.toBeNull();
    for (const query of [ORGANISATION, NODE]) {
      const hidden = await gql(query, { id: orgId(outside!.id) }, token);
      const missing = await gql(query, { id: orgId(MADE_UP_UUID) }, token);
      expect(errorCodes(hidden)).toEqual(["NOT_FOUND"]);
      expect(errorCodes(missing)).toEqual(["NOT_FOUND"]);
      expect(hidden.errors![0]!.message).toBe(missing.errors![0]!.message);
      expect(hidden.data ?? null).toBeNull();
    }
  });

  it.each(RESTRICTED.filter((name) => CONTACT_READERS.includes(name)))(
    "%s: contacts(filter: {organisationId}) of an organisation outside the scope is empty",
    async (name) => {
      const outside = await organisationOutside(scopeOf(name));
      expect(await t.database.prisma.contact.count({ where: { organisationId: outside!.id } })).toBeGreaterThan(0);
      const response = await gql(CONTACTS_OF, { orgId: orgId(outside!.id) }, principal(name).token);
      expect(response.errors).toBeUndefined();
      expect(response.data!.contacts).toEqual({ totalCount: 0, edges: [] });
    },
  );

  it("rep.paris no longer sees a Beauvais organisation it held until 6 months ago; rep.lille does", async () => {
    const beauvais = await t.database.prisma.organisation.findFirstOrThrow({ where: { city: "Beauvais" }, orderBy: { name: "asc" } });
    expect(errorCodes(await gql(ORGANISATION, { id: orgId(beauvais.id) }, principal("rep.paris").token))).toEqual(["NOT_FOUND"]);
    const lille = await gql(ORGANISATION, { id: orgId(beauvais.id) }, principal("rep.lille").token);
    expect(lille.errors).toBeUndefined();
    expect(lille.data!.organisation.name).toBe(beauvais.name);
  });

  it.each(READERS)("%s: a made-up organisation id is NOT_FOUND on organisation(id) and node(id)", async (name) => {
    for (const query of [ORGANISATION, NODE]) {
      expect(errorCodes(await gql(query, { id: orgId(MADE_UP_UUID) }, principal(name).token))).toEqual(["NOT_FOUND"]);
    }
  });

  it.each(READERS)("%s: an organisation inside the scope is readable by organisation(id) and node(id)", async (name) => {
    const inside = await t.database.prisma.organisation.findFirstOrThrow({ where: scopeOf(name), orderBy: { name: "asc" } });
    for (const query of [ORGANISATION, NODE]) {
      const response = await gql(query, { id: orgId(inside.id) }, principal(name).token);
      expect(response.errors).toBeUndefined();
      expect(Object.values(response.data!)[0]).toMatchObject({ id: orgId(inside.id), name: inside.name });
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// 3. Nested paths and contacts
// ---------------------------------------------------------------------------------------------------

describe("nested paths never leave the scope", () => {
  it.each(CONTACT_READERS)("%s: contacts lists exactly the contacts of organisations in scope, and contact.organisation stays inside", async (name) => {
    const scope = scopeOf(name);
    const inScope = new Set(await expectedOrganisationIds(scope));
    const expectedContacts = (await t.database.prisma.contact.findMany({ where: { leftCompanyAt: null, organisation: scope }, select: { id: true } }))
      .map((c) => c.id)
      .sort();
    const seen: string[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (;;) {
      const response: GraphQLResponse<Data> = await gql(
        `query($after: String) { contacts(first: 200, after: $after) {
           totalCount pageInfo { hasNextPage endCursor } edges { node { id organisation { id } } } } }`,
        { after },
        principal(name).token,
      );
      expect(response.errors).toBeUndefined();
      const connection = response.data!.contacts;
      totalCount = connection.totalCount;
      for (const edge of connection.edges) {
        seen.push(uuidOf(edge.node.id));
        expect(inScope.has(uuidOf(edge.node.organisation.id))).toBe(true);
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(totalCount).toBe(expectedContacts.length);
    expect(seen.sort()).toEqual(expectedContacts);
  });

  it.each(CONTACT_READERS)("%s: organisation.contacts.totalCount matches the database (with and without people who left)", async (name) => {
    // an organisation in scope that has someone who left, so both counts differ
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({
      where: { AND: [scopeOf(name), { contacts: { some: { leftCompanyAt: { not: null } } } }] },
      orderBy: { name: "asc" },
    });
    const current = await t.database.prisma.contact.count({ where: { organisationId: organisation.id, leftCompanyAt: null } });
    const all = await t.database.prisma.contact.count({ where: { organisationId: organisation.id } });
    const response = await gql(
      `query($id: ID!) { organisation(id: $id) { contacts { totalCount } everyone: contacts(includeLeft: true) { totalCount edges { node { id } } } } }`,
      { id: orgId(organisation.id) },
      principal(name).token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.organisation.contacts.totalCount).toBe(current);
    expect(response.data!.organisation.everyone.totalCount).toBe(all);
    expect(response.data!.organisation.everyone.edges).toHaveLength(all);
  });

  it.each(READERS)("%s: organisation.parent is shown when the parent is in scope, null when it is not", async (name) => {
    const inScope = new Set(await expectedOrganisationIds(scopeOf(name)));
    const parentIds = new Map(
      (await t.database.prisma.organisation.findMany({ where: scopeOf(name), select: { id: true, parentId: true } })).map((o) => [o.id, o.parentId]),
    );
    const listed = await listAllOrganisations(principal(name).token);
    for (const [id, shownParent] of listed.parents) {
      const parentId = parentIds.get(id) ?? null;
      expect(shownParent).toBe(parentId && inScope.has(parentId) ? parentId : null);
    }
  });

  it.each(RESTRICTED.filter((name) => CONTACT_READERS.includes(name)))(
    "%s: a contact outside the scope is NOT_FOUND via node(id), with the message of a made-up id",
    async (name) => {
      const outside = await contactOutside(scopeOf(name));
      expect(outside).not.toBeNull();
      const hidden = await gql(NODE, { id: contactId(outside!.id) }, principal(name).token);
      const missing = await gql(NODE, { id: contactId(MADE_UP_UUID) }, principal(name).token);
      expect(errorCodes(hidden)).toEqual(["NOT_FOUND"]);
      expect(errorCodes(missing)).toEqual(["NOT_FOUND"]);
      expect(hidden.errors![0]!.message).toBe(missing.errors![0]!.message);
      expect(hidden.data ?? null).toBeNull();
    },
  );

  it.each(CONTACT_READERS)("%s: a contact inside the scope is readable via node(id), with its organisation", async (name) => {
    const inside = await t.database.prisma.contact.findFirstOrThrow({ where: { organisation: scopeOf(name) }, orderBy: { id: "asc" } });
    const response = await gql(`query($id: ID!) { node(id: $id) { ... on Contact { lastName organisation { id } } } }`, { id: contactId(inside.id) }, principal(name).token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.node).toEqual({ lastName: inside.lastName, organisation: { id: orgId(inside.organisationId) } });
  });
});

// ---------------------------------------------------------------------------------------------------
// 4. Refusals by scope and authentication
// ---------------------------------------------------------------------------------------------------

describe("what a principal has no scope for is refused", () => {
  it("a partner without a contacts scope: contacts root and organisation.contacts are FORBIDDEN, contacts by node(id) NOT_FOUND", async () => {
    const { token } = principal(PARTNER_VISITS);
    expect(errorCodes(await gql(`{ contacts { totalCount } }`, {}, token))).toEqual(["FORBIDDEN"]);
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({ where: scopeOf(PARTNER_VISITS), orderBy: { name: "asc" } });
    const nested = await gql(`query($id: ID!) { organisation(id: $id) { name contacts { totalCount } } }`, { id: orgId(organisation.id) }, token);
    expect(errorCodes(nested)).toEqual(["FORBIDDEN"]);
    expect(nested.data?.organisation ?? null).toBeNull();
    const contact = await t.database.prisma.contact.findFirstOrThrow({ where: { organisationId: organisation.id } });
    expect(errorCodes(await gql(NODE, { id: contactId(contact.id) }, token))).toEqual(["NOT_FOUND"]);
  });

  it("a service token with orders:import only has no referential access at all", async () => {
    const { token } = principal(SERVICE_ORDERS);
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({ orderBy: { name: "asc" } });
    const contact = await t.database.prisma.contact.findFirstOrThrow({ orderBy: { id: "asc" } });
    expect(errorCodes(await gql(`{ organisations { totalCount } }`, {}, token))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await gql(ORGANISATION, { id: orgId(organisation.id) }, token))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await gql(`{ contacts { totalCount } }`, {}, token))).toEqual(["FORBIDDEN"]);
    // node(id) dispatches to the scoped read: nothing is in scope, so NOT_FOUND
    expect(errorCodes(await gql(NODE, { id: orgId(organisation.id) }, token))).toEqual(["NOT_FOUND"]);
    expect(errorCodes(await gql(NODE, { id: contactId(contact.id) }, token))).toEqual(["NOT_FOUND"]);
  });

  it.each([
    ["organisations", `{ organisations { totalCount } }`, {}],
    ["organisation(id)", ORGANISATION, { id: orgId(MADE_UP_UUID) }],
    ["node(id)", NODE, { id: orgId(MADE_UP_UUID) }],
    ["contacts", `{ contacts { totalCount } }`, {}],
    ["territories", `{ territories { totalCount } }`, {}],
    ["apiTokens", `{ apiTokens { totalCount } }`, {}],
    ["me", `{ me { id } }`, {}],
  ] as const)("anonymous: %s is UNAUTHENTICATED", async (_label, query, variables) => {
    const response = await gql(query, variables, undefined);
    expect(errorCodes(response)).toEqual(["UNAUTHENTICATED"]);
    expect(response.data ?? null).toBeNull();
  });

  it("anonymous: createContact and issueApiToken are UNAUTHENTICATED and write nothing", async () => {
    const before = { contacts: await t.database.prisma.contact.count(), tokens: await t.database.prisma.apiToken.count() };
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({ orderBy: { name: "asc" } });
    const create = await gql(CREATE_CONTACT, { input: { organisationId: orgId(organisation.id), firstName: "Anne", lastName: "Onyme" } }, undefined);
    const issue = await gql(`mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`, {
      input: { kind: "SERVICE", name: "anon", scopes: ["referential:read"] },
    }, undefined);
    expect(errorCodes(create)).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(issue)).toEqual(["UNAUTHENTICATED"]);
    expect({ contacts: await t.database.prisma.contact.count(), tokens: await t.database.prisma.apiToken.count() }).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------------
// 5. Issuing and revoking API tokens
// ---------------------------------------------------------------------------------------------------

describe("issuing and revoking API tokens", () => {
  async function expectRefused(issuerEmail: string, input: Record<string, unknown>, code: string) {
    const tokensBefore = await t.database.prisma.apiToken.count();
    const response = await issueToken(issuerEmail, input);
    expect(errorCodes(response)).toEqual([code]);
    expect(response.data?.issueApiToken ?? null).toBeNull();
    expect(await t.database.prisma.apiToken.count()).toBe(tokensBefore);
  }

  it("a manager cannot issue a partner token on the other team's territory (FORBIDDEN)", async () => {
    await expectRefused("manager.north@demo.test", partnerInput(["Auvergne-Rhône-Alpes"], ["visits:write"]), "FORBIDDEN");
    await expectRefused("manager.north@demo.test", partnerInput(["Normandie", "Auvergne-Rhône-Alpes"], ["visits:write"]), "FORBIDDEN");
  });

  it("a manager cannot issue a service token (FORBIDDEN)", async () => {
    await expectRefused("manager.north@demo.test", { kind: "SERVICE", name: "script", scopes: ["referential:read"] }, "FORBIDDEN");
  });

  it("a manager cannot issue a partner token expiring more than 90 days ahead (BAD_USER_INPUT); 90 days is accepted", async () => {
    await expectRefused("manager.north@demo.test", partnerInput(["Normandie"], ["visits:write"], 91), "BAD_USER_INPUT");
    const atLimit = await issueToken("manager.north@demo.test", partnerInput(["Normandie"], ["visits:write"], 90));
    expect(atLimit.errors).toBeUndefined();
  });

  it.each(["rep.lille@demo.test", "data.steward@demo.test"])("%s cannot issue a token (FORBIDDEN)", async (email) => {
    await expectRefused(email, partnerInput(["Hauts-de-France"], ["visits:write"]), "FORBIDDEN");
    await expectRefused(email, { kind: "SERVICE", name: "script", scopes: ["referential:read"] }, "FORBIDDEN");
  });

  it.each([PARTNER_CONTACTS, SERVICE_REFERENTIAL])("a token (%s) cannot issue tokens (FORBIDDEN)", async (name) => {
    const tokensBefore = await t.database.prisma.apiToken.count();
    const response = await gql(
      `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
      { input: partnerInput(["Hauts-de-France"], ["visits:write"]) },
      principal(name).token,
    );
    expect(errorCodes(response)).toEqual(["FORBIDDEN"]);
    expect(await t.database.prisma.apiToken.count()).toBe(tokensBefore);
  });

  it("a manager's partner token on a team territory sees exactly that territory's organisations", async () => {
    const { token } = await issueTokenOrThrow("manager.north@demo.test", partnerInput(["Normandie"], ["contacts:write"]));
    const expected = await t.database.prisma.organisation.count({ where: territoriesOf([territoryIdByName.get("Normandie")!]) });
    expect(expected).toBeGreaterThan(0);
    const response = await gql(`{ organisations { totalCount } }`, {}, token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.organisations.totalCount).toBe(expected);
  });

  it("a revoked partner token is refused with UNAUTHENTICATED on its next request", async () => {
    const { token, id } = await issueTokenOrThrow("manager.north@demo.test", partnerInput(["Normandie"], ["visits:write"]));
    expect((await gql(`{ organisations { totalCount } }`, {}, token)).errors).toBeUndefined();
    const revoke = await gql(
      `mutation($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { id revokedAt } } }`,
      { id },
      await t.login("manager.north@demo.test"),
    );
    expect(revoke.errors).toBeUndefined();
    expect(revoke.data!.revokeApiToken.apiToken.revokedAt).not.toBeNull();
    const after = await gql(`{ organisations { totalCount } }`, {}, token);
    expect(after.status).toBe(401);
    expect(errorCodes(after)).toEqual(["UNAUTHENTICATED"]);
  });

  it("a manager cannot revoke a token issued by someone else (NOT_FOUND) and the token keeps working", async () => {
    const { token, id } = await issueTokenOrThrow("manager.north@demo.test", partnerInput(["Normandie"], ["visits:write"]));
    const revoke = await gql(`mutation($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { id } } }`, { id }, await t.login("manager.south@demo.test"));
    expect(errorCodes(revoke)).toEqual(["NOT_FOUND"]);
    expect((await t.database.prisma.apiToken.findUniqueOrThrow({ where: { id: uuidOf(id) } })).revokedAt).toBeNull();
    expect((await gql(`{ organisations { totalCount } }`, {}, token)).errors).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------
// 6. Writing contacts
// ---------------------------------------------------------------------------------------------------

describe("createContact and updateContact follow the scope", () => {
  async function snapshot(organisationId: string) {
    const contacts = await t.database.prisma.contact.findMany({ where: { organisationId }, orderBy: { id: "asc" } });
    return { contacts, audits: await t.database.prisma.auditEvent.count({ where: { entity: "Contact" } }) };
  }

  it("a rep writing on an organisation outside their portfolio gets NOT_FOUND and nothing is written", async () => {
    const { token } = principal("rep.lille");
    const outside = await organisationOutside(scopeOf("rep.lille"));
    const contact = await t.database.prisma.contact.findFirstOrThrow({ where: { organisationId: outside!.id }, orderBy: { id: "asc" } });
    const before = await snapshot(outside!.id);

    const create = await gql(CREATE_CONTACT, { input: { organisationId: orgId(outside!.id), firstName: "Intruse", lastName: "Lille", isPrimary: true } }, token);
    expect(errorCodes(create)).toEqual(["NOT_FOUND"]);
    const update = await gql(UPDATE_CONTACT, { input: { id: contactId(contact.id), version: contact.version, jobTitle: "Changed by Lille", isPrimary: true } }, token);
    expect(errorCodes(update)).toEqual(["NOT_FOUND"]);

    expect(await snapshot(outside!.id)).toEqual(before);
  });

  it("a rep's NOT_FOUND on an out-of-portfolio organisation reads like a made-up one", async () => {
    const { token } = principal("rep.lille");
    const outside = await organisationOutside(scopeOf("rep.lille"));
    const hidden = await gql(CREATE_CONTACT, { input: { organisationId: orgId(outside!.id), firstName: "A", lastName: "B" } }, token);
    const missing = await gql(CREATE_CONTACT, { input: { organisationId: orgId(MADE_UP_UUID), firstName: "A", lastName: "B" } }, token);
    expect(errorCodes(missing)).toEqual(["NOT_FOUND"]);
    expect(hidden.errors![0]!.message).toBe(missing.errors![0]!.message);
  });

  it("head office may not write contacts (FORBIDDEN) and nothing is written", async () => {
    const { token } = principal("head.office");
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({ where: scopeOf("rep.lille"), orderBy: { name: "asc" } });
    const contact = await t.database.prisma.contact.findFirstOrThrow({ where: { organisationId: organisation.id }, orderBy: { id: "asc" } });
    const before = await snapshot(organisation.id);
    expect(errorCodes(await gql(CREATE_CONTACT, { input: { organisationId: orgId(organisation.id), firstName: "Hélène", lastName: "Office" } }, token))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await gql(UPDATE_CONTACT, { input: { id: contactId(contact.id), version: contact.version, jobTitle: "HO" } }, token))).toEqual(["FORBIDDEN"]);
    expect(await snapshot(organisation.id)).toEqual(before);
  });

  it.each([PARTNER_VISITS, SERVICE_REFERENTIAL, SERVICE_ORDERS])("%s (no contacts:write) may not create contacts (FORBIDDEN)", async (name) => {
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({ where: scopeOf(PARTNER_VISITS), orderBy: { name: "asc" } });
    const before = await snapshot(organisation.id);
    const response = await gql(CREATE_CONTACT, { input: { organisationId: orgId(organisation.id), firstName: "No", lastName: "Scope" } }, principal(name).token);
    expect(errorCodes(response)).toEqual(["FORBIDDEN"]);
    expect(await snapshot(organisation.id)).toEqual(before);
  });

  it("a partner with contacts:write creates and updates a contact inside its territory, audited with its jti", async () => {
    const { token } = principal(PARTNER_CONTACTS);
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({ where: scopeOf(PARTNER_CONTACTS), orderBy: { name: "desc" } });
    const create = await gql(CREATE_CONTACT, { input: { organisationId: orgId(organisation.id), firstName: "Paul", lastName: "Partenaire" } }, token);
    expect(create.errors).toBeUndefined();
    expect(create.data!.createContact.contact).toMatchObject({ lastName: "Partenaire", organisation: { id: orgId(organisation.id) } });
    const created = await t.database.prisma.contact.findUniqueOrThrow({ where: { id: uuidOf(create.data!.createContact.contact.id) } });
    expect(created.organisationId).toBe(organisation.id);

    const update = await gql(UPDATE_CONTACT, { input: { id: contactId(created.id), version: created.version, jobTitle: "Acheteur" } }, token);
    expect(update.errors).toBeUndefined();
    expect(update.data!.updateContact.contact).toMatchObject({ jobTitle: "Acheteur", version: created.version + 1 });

    const jwtPayload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as { jti: string };
    const audits = await t.database.prisma.auditEvent.findMany({ where: { entity: "Contact", entityId: created.id }, orderBy: { at: "asc" } });
    expect(audits.map((a) => [a.action, a.tokenJti])).toEqual([
      ["create", jwtPayload.jti],
      ["update", jwtPayload.jti],
    ]);
  });

  it("a partner with contacts:write gets NOT_FOUND outside its territory and nothing is written", async () => {
    const { token } = principal(PARTNER_CONTACTS);
    const outside = await organisationOutside(scopeOf(PARTNER_CONTACTS));
    const contact = await t.database.prisma.contact.findFirstOrThrow({ where: { organisationId: outside!.id }, orderBy: { id: "asc" } });
    const before = await snapshot(outside!.id);
    expect(errorCodes(await gql(CREATE_CONTACT, { input: { organisationId: orgId(outside!.id), firstName: "Hors", lastName: "Zone" } }, token))).toEqual(["NOT_FOUND"]);
    expect(errorCodes(await gql(UPDATE_CONTACT, { input: { id: contactId(contact.id), version: contact.version, jobTitle: "Hors zone" } }, token))).toEqual(["NOT_FOUND"]);
    expect(await snapshot(outside!.id)).toEqual(before);
  });

  it("a rep creates a contact in their own portfolio", async () => {
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({ where: scopeOf("rep.lille"), orderBy: { name: "asc" } });
    const response = await gql(CREATE_CONTACT, { input: { organisationId: orgId(organisation.id), firstName: "Lucie", lastName: "Nouvelle" } }, principal("rep.lille").token);
    expect(response.errors).toBeUndefined();
    expect(await t.database.prisma.contact.count({ where: { organisationId: organisation.id, lastName: "Nouvelle" } })).toBe(1);
  });
});
