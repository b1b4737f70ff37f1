// Leads: who sees which, qualification, conversion into an opportunity or an organisation request, objectives.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;
let t: TestServer;
let lilleOrganisation: string;
let lilleTerritory: string;
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);
const CREATE = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id status source version owner { email } organisation { id } } } }`;
const leadIds = async (token: string) => ((await gql(`{ leads(first: 200) { edges { node { id } } } }`, {}, token)).data!.leads.edges as Data[]).map((e) => e.node.id);

async function partnerToken(scopes: string[]): Promise<string> {
  const response = await gql(
    `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
    { input: { kind: "PARTNER", name: `partner ${scopes.join(" ")}`, scopes, territoryIds: [toGlobalId("Territory", lilleTerritory)], expiresAt: new Date(TODAY.getTime() + 30 * 86_400_000).toISOString() } },
    await t.login("head.office@demo.test"),
  );
  if (!response.data?.issueApiToken) throw new Error(JSON.stringify(response.errors));
  return response.data.issueApiToken.token;
}

beforeAll(async () => {
  t = await startTestServer();
  const lille = await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } });
  const held = await t.database.prisma.organisationAssignment.findFirstOrThrow({ where: { repId: lille.id, validTo: null, territoryId: { not: null } }, orderBy: { organisationId: "asc" } });
  lilleOrganisation = held.organisationId;
  lilleTerritory = held.territoryId!;
});
afterAll(() => t?.close());

describe("leads", () => {
  it("a rep's lead is theirs: seen by them, their manager and head office, not by another team", async () => {
    const rep = await t.login("rep.lille@demo.test");
    const created = await gql(CREATE, { input: { companyName: "Jardins du Nord", city: "Lille", score: 40 } }, rep);
    expect(created.errors).toBeUndefined();
    const lead = created.data!.createLead.lead;
    expect(lead).toMatchObject({ status: "NEW", source: "REP", owner: { email: "rep.lille@demo.test" } });
    expect(await leadIds(rep)).toContain(lead.id);
    expect(await leadIds(await t.login("manager.north@demo.test"))).toContain(lead.id);
    expect(await leadIds(await t.login("head.office@demo.test"))).toContain(lead.id);
    expect(await leadIds(await t.login("manager.south@demo.test"))).not.toContain(lead.id);
    expect(await leadIds(await t.login("rep.paris@demo.test"))).not.toContain(lead.id);
  });

  it("an unassigned lead on an organisation of a rep's portfolio is visible to that rep only", async () => {
    const lead = await t.database.prisma.lead.create({ data: { source: "MARKETING", companyName: "Salon 2026", organisationId: lilleOrganisation, ownerId: null } });
    const id = toGlobalId("Lead", lead.id);
    expect(await leadIds(await t.login("rep.lille@demo.test"))).toContain(id);
    expect(await leadIds(await t.login("rep.lyon@demo.test"))).not.toContain(id);
  });

  it("a partner with leads:write sees only the leads its own token brought", async () => {
    const first = await partnerToken(["leads:write"]);
    const second = await partnerToken(["leads:write"]);
    const created = await gql(CREATE, { input: { companyName: "Partner lead" } }, first);
    expect(created.data!.createLead.lead.source).toBe("PARTNER");
    const id = created.data!.createLead.lead.id;
    expect(await leadIds(first)).toEqual([id]);
    expect(await leadIds(second)).toEqual([]);
    expect((await t.database.prisma.lead.findUniqueOrThrow({ where: { id: uuidOf(id) } })).partnerTokenId).not.toBeNull();
    const withoutScope = await partnerToken(["contacts:read"]);
    expect(errorCodes(await gql(`{ leads { totalCount } }`, {}, withoutScope))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await gql(CREATE, { input: { companyName: "X" } }, withoutScope))).toEqual(["FORBIDDEN"]);
  });

  it("qualify, then convert on a known organisation: an opportunity is created and linked", async () => {
    const rep = await t.login("rep.lille@demo.test");
    const created = await gql(CREATE, { input: { companyName: "Client connu", organisationId: toGlobalId("Organisation", lilleOrganisation) } }, rep);
    const id = created.data!.createLead.lead.id;
    const qualified = await gql(`mutation($id: ID!) { qualifyLead(input: { id: $id, version: 1, score: 80 }) { lead { status score version } } }`, { id }, rep);
    expect(qualified.data!.qualifyLead.lead).toEqual({ status: "QUALIFIED", score: 80, version: 2 });
    const stale = await gql(`mutation($id: ID!) { convertLead(input: { id: $id, version: 1 }) { lead { id } } }`, { id }, rep);
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);
    const converted = await gql(
      `mutation($id: ID!) { convertLead(input: { id: $id, version: 2, opportunityName: "Projet connu", amount: "5000.00" }) { lead { status opportunity { name amount probability stage { name } organisation { id } } } } }`,
      { id },
      rep,
    );
    expect(converted.errors).toBeUndefined();
    expect(converted.data!.convertLead.lead).toEqual({
      status: "CONVERTED",
      opportunity: { name: "Projet connu", amount: "5000.00", probability: 10, stage: { name: "Identification" }, organisation: { id: toGlobalId("Organisation", lilleOrganisation) } },
    });
  });

  it("convert with the opportunity's custom fields: checked against their definitions, a required one needed, nothing written when refused", async () => {
    const headOffice = await t.login("head.office@demo.test");
    const define = (input: Data) => gql(`mutation($input: DefineCustomFieldInput!) { defineCustomField(input: $input) { key } }`, { input }, headOffice);
    expect((await define({ entity: "OPPORTUNITY", key: "leadChannel", label: "Lead channel", type: "ENUM", options: ["FAIR", "WEB"], required: true, readers: ["REP", "HEAD_OFFICE"], writers: ["REP", "HEAD_OFFICE"] })).errors).toBeUndefined();
    const rep = await t.login("rep.lille@demo.test");
    const id = (await gql(CREATE, { input: { companyName: "Client salon", organisationId: toGlobalId("Organisation", lilleOrganisation) } }, rep)).data!.createLead.lead.id;
    const convert = (values: Data[] | null) =>
      gql(`mutation($id: ID!, $values: [CustomFieldValueInput!]) { convertLead(input: { id: $id, version: 1, opportunityCustomFields: $values }) { lead { status opportunity { id channel: customField(key: "leadChannel") { value } } } } }`, { id, values }, rep);
    const opportunitiesBefore = await t.database.prisma.opportunity.count();
    const missing = await convert(null);
    expect(errorCodes(missing)).toEqual(["BAD_USER_INPUT"]);
    expect(missing.errors![0]!.extensions!.fields).toEqual([expect.objectContaining({ field: "customFields.leadChannel" })]);
    expect((missing.errors![0]!.extensions!.fields as Data[])[0]!.message).toBe("is required");
    const unknownOption = await convert([{ key: "leadChannel", value: "PHONE" }]);
    expect(unknownOption.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.leadChannel", message: "must be one of: FAIR, WEB" }]);
    // refused twice: the lead is as it was, no deal was opened
    expect(await t.database.prisma.opportunity.count()).toBe(opportunitiesBefore);
    expect((await t.database.prisma.lead.findUniqueOrThrow({ where: { id: uuidOf(id) } })).status).toBe("NEW");
    const converted = await convert([{ key: "leadChannel", value: "FAIR" }]);
    expect(converted.errors).toBeUndefined();
    expect(converted.data!.convertLead.lead).toMatchObject({ status: "CONVERTED", opportunity: { channel: { value: "FAIR" } } });
  });

  it("convert an unknown company: an organisation request (CREATE) with the lead's company data, linked", async () => {
    const rep = await t.login("rep.lille@demo.test");
    const created = await gql(CREATE, { input: { companyName: "Nouvelle Jardinerie", city: "Roubaix", postalCode: "59100", email: "contact@nj.fr" } }, rep);
    const id = created.data!.createLead.lead.id;
    const converted = await gql(`mutation($id: ID!) { convertLead(input: { id: $id, version: 1 }) { lead { status organisationRequestId opportunity { id } } } }`, { id }, rep);
    expect(converted.errors).toBeUndefined();
    const lead = converted.data!.convertLead.lead;
    expect(lead).toMatchObject({ status: "QUALIFIED", opportunity: null });
    const request = await t.database.prisma.organisationRequest.findUniqueOrThrow({ where: { id: uuidOf(lead.organisationRequestId) } });
    expect(request).toMatchObject({ kind: "CREATE", status: "PENDING", name: "Nouvelle Jardinerie", city: "Roubaix", postalCode: "59100", email: "contact@nj.fr" });
  });

  it("disqualify needs a reason; a disqualified lead cannot be converted", async () => {
    const rep = await t.login("rep.lille@demo.test");
    const id = (await gql(CREATE, { input: { companyName: "Hors cible" } }, rep)).data!.createLead.lead.id;
    expect(errorCodes(await gql(`mutation($id: ID!) { disqualifyLead(input: { id: $id, version: 1, reason: " " }) { lead { id } } }`, { id }, rep))).toEqual(["BAD_USER_INPUT"]);
    const done = await gql(`mutation($id: ID!) { disqualifyLead(input: { id: $id, version: 1, reason: "Trop petit" }) { lead { status disqualifiedReason } } }`, { id }, rep);
    expect(done.data!.disqualifyLead.lead).toEqual({ status: "DISQUALIFIED", disqualifiedReason: "Trop petit" });
    expect(errorCodes(await gql(`mutation($id: ID!) { convertLead(input: { id: $id, version: 2 }) { lead { id } } }`, { id }, rep))).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("objectives", () => {
  const SET = `mutation($input: SetObjectiveInput!) { setObjective(input: $input) { objective { id metric target version user { email } team { name } } } }`;

  it("a manager sets their reps' and team's objectives, not another team's; setting again replaces", async () => {
    const prisma = t.database.prisma;
    const lille = await prisma.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } });
    const lyon = await prisma.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } });
    const manager = await t.login("manager.north@demo.test");
    const input = { userId: toGlobalId("User", lille.id), metric: "ORDER_AMOUNT", periodStart: "2027-01-01", periodEnd: "2027-02-01", target: "25000.00" };
    const first = await gql(SET, { input }, manager);
    expect(first.data!.setObjective.objective).toMatchObject({ metric: "ORDER_AMOUNT", target: "25000.00", version: 1, user: { email: "rep.lille@demo.test" } });
    const again = await gql(SET, { input: { ...input, target: "30000.00" } }, manager);
    expect(again.data!.setObjective.objective).toMatchObject({ id: first.data!.setObjective.objective.id, target: "30000.00", version: 2 });
    // with the version read: a stale one is CONFLICT and changes nothing; the current one goes through
    const stale = await gql(SET, { input: { ...input, target: "1.00", version: 1 } }, manager);
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);
    const current = await gql(SET, { input: { ...input, target: "31000.00", version: 2 } }, manager);
    expect(current.data!.setObjective.objective).toMatchObject({ target: "31000.00", version: 3 });
    const team = await gql(SET, { input: { teamId: toGlobalId("Team", lille.teamId!), metric: "ORDER_COUNT", periodStart: "2027-01-01", periodEnd: "2027-02-01", target: "120" } }, manager);
    expect(team.data!.setObjective.objective).toMatchObject({ team: { name: "North" }, target: "120.00" });
    expect(errorCodes(await gql(SET, { input: { ...input, userId: toGlobalId("User", lyon.id) } }, manager))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await gql(SET, { input: { ...input, metric: "ORDER_COUNT", target: "1.5" } }, manager))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(SET, { input }, await t.login("rep.lille@demo.test")))).toEqual(["FORBIDDEN"]);
  });

  it("reps read their own and their team's objectives; head office all", async () => {
    const prisma = t.database.prisma;
    const lille = await prisma.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } });
    const expected = await prisma.objective.count({ where: { OR: [{ userId: lille.id }, { teamId: lille.teamId }] } });
    const mine = await gql(`{ objectives(first: 1) { totalCount } }`, {}, await t.login("rep.lille@demo.test"));
    expect(mine.data!.objectives.totalCount).toBe(expected);
    const all = await gql(`{ objectives(first: 1) { totalCount } }`, {}, await t.login("head.office@demo.test"));
    expect(all.data!.objectives.totalCount).toBe(await prisma.objective.count());
  });
});
