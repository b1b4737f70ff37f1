// Who may call every root field and mutation of the pipeline, orders, leads and objectives: each role and
// token kind. Allowed calls are made with made-up ids or invalid input, so they answer NOT_FOUND or
// BAD_USER_INPUT and write nothing; refused calls answer FORBIDDEN (UNAUTHENTICATED when anonymous).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { expectGate, type GateCase } from "../support/gates.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
const MADE_UP = "00000000-0000-4000-8000-00000000beef";
let t: TestServer;
const tokens = new Map<string, string | undefined>();
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);

const COMMERCIAL = ["rep", "manager", "head office"];
const OPPORTUNITY_PARTNERS = ["partner opportunities:read", "partner opportunities:write leads:write"];
const PRINCIPALS = [
  "anonymous",
  ...COMMERCIAL,
  "data steward",
  "partner contacts:read",
  ...OPPORTUNITY_PARTNERS,
  "service orders:import",
  "service invoices:import",
  "service referential:read",
];

const opportunityId = toGlobalId("Opportunity", MADE_UP);
const quoteId = toGlobalId("Quote", MADE_UP);
const leadId = toGlobalId("Lead", MADE_UP);
const stageId = toGlobalId("PipelineStage", MADE_UP);
const organisationId = toGlobalId("Organisation", MADE_UP);

/** operation → [document, variables, principals allowed to call it] */
const OPERATIONS: Record<string, GateCase> = {
  pipelineStages: [`{ pipelineStages { name } }`, {}, [...COMMERCIAL, ...OPPORTUNITY_PARTNERS]],
  opportunities: [`{ opportunities { totalCount } }`, {}, [...COMMERCIAL, ...OPPORTUNITY_PARTNERS]],
  opportunity: [`query($id: ID!) { opportunity(id: $id) { id } }`, { id: opportunityId }, [...COMMERCIAL, ...OPPORTUNITY_PARTNERS]],
  quotesToChase: [`{ quotesToChase { totalCount } }`, {}, [...COMMERCIAL, ...OPPORTUNITY_PARTNERS]],
  leads: [`{ leads { totalCount } }`, {}, [...COMMERCIAL, "partner opportunities:write leads:write"]],
  objectives: [`{ objectives { totalCount } }`, {}, COMMERCIAL],
  createPipelineStage: [`mutation { createPipelineStage(input: { name: "X", position: 1, defaultProbability: 200 }) { stage { id } } }`, {}, ["head office"]],
  updatePipelineStage: [`mutation($id: ID!) { updatePipelineStage(input: { id: $id, name: "Y" }) { stage { id } } }`, { id: stageId }, ["head office"]],
  createOpportunity: [
    `mutation($o: ID!) { createOpportunity(input: { organisationId: $o, name: "X", amount: "1.00" }) { opportunity { id } } }`,
    { o: organisationId },
    [...COMMERCIAL, "partner opportunities:write leads:write"],
  ],
  updateOpportunity: [`mutation($id: ID!) { updateOpportunity(input: { id: $id, version: 1, name: "Y" }) { opportunity { id } } }`, { id: opportunityId }, [...COMMERCIAL, "partner opportunities:write leads:write"]],
  moveOpportunityStage: [
    `mutation($id: ID!, $s: ID!) { moveOpportunityStage(input: { id: $id, version: 1, stageId: $s }) { opportunity { id } } }`,
    { id: opportunityId, s: stageId },
    [...COMMERCIAL, "partner opportunities:write leads:write"],
  ],
  closeOpportunity: [`mutation($id: ID!) { closeOpportunity(input: { id: $id, version: 1, outcome: WON }) { opportunity { id } } }`, { id: opportunityId }, [...COMMERCIAL, "partner opportunities:write leads:write"]],
  createQuote: [`mutation($id: ID!) { createQuote(input: { opportunityId: $id, amount: "1.00" }) { quote { id } } }`, { id: opportunityId }, [...COMMERCIAL, "partner opportunities:write leads:write"]],
  sendQuote: [
    `mutation($id: ID!) { sendQuote(input: { id: $id, version: 1, validUntil: "2030-01-01", followUpDate: "2029-01-01" }) { quote { id } } }`,
    { id: quoteId },
    [...COMMERCIAL, "partner opportunities:write leads:write"],
  ],
  updateQuote: [`mutation($id: ID!) { updateQuote(input: { id: $id, version: 1, amount: "2.00" }) { quote { id } } }`, { id: quoteId }, [...COMMERCIAL, "partner opportunities:write leads:write"]],
  chaseQuote: [`mutation($id: ID!) { chaseQuote(input: { id: $id, version: 1, nextFollowUpDate: "2029-01-01" }) { quote { id } } }`, { id: quoteId }, [...COMMERCIAL, "partner opportunities:write leads:write"]],
  decideQuote: [`mutation($id: ID!) { decideQuote(input: { id: $id, version: 1, decision: ACCEPTED }) { quote { id } } }`, { id: quoteId }, [...COMMERCIAL, "partner opportunities:write leads:write"]],
  importOrders: [`mutation { importOrders(input: { rows: [] }) { created } }`, {}, ["service orders:import"]],
  importInvoices: [`mutation { importInvoices(input: { rows: [] }) { created } }`, {}, ["service invoices:import"]],
  createLead: [`mutation { createLead(input: { companyName: " " }) { lead { id } } }`, {}, [...COMMERCIAL, "partner opportunities:write leads:write"]],
  qualifyLead: [`mutation($id: ID!) { qualifyLead(input: { id: $id, version: 1 }) { lead { id } } }`, { id: leadId }, [...COMMERCIAL, "partner opportunities:write leads:write"]],
  disqualifyLead: [`mutation($id: ID!) { disqualifyLead(input: { id: $id, version: 1, reason: "x" }) { lead { id } } }`, { id: leadId }, [...COMMERCIAL, "partner opportunities:write leads:write"]],
  convertLead: [`mutation($id: ID!) { convertLead(input: { id: $id, version: 1 }) { lead { id } } }`, { id: leadId }, COMMERCIAL],
  setObjective: [
    `mutation { setObjective(input: { metric: ORDER_COUNT, periodStart: "2027-01-01", periodEnd: "2027-02-01", target: "1" }) { objective { id } } }`,
    {},
    ["manager", "head office"],
  ],
};

async function issue(input: Record<string, unknown>): Promise<string> {
  const response = await gql(`mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`, { input }, await t.login("head.office@demo.test"));
  if (!response.data?.issueApiToken) throw new Error(JSON.stringify(response.errors));
  return response.data.issueApiToken.token;
}

const counts = () =>
  Promise.all([
    t.database.prisma.opportunity.count(),
    t.database.prisma.pipelineStage.count(),
    t.database.prisma.quote.count(),
    t.database.prisma.quoteChase.count(),
    t.database.prisma.lead.count(),
    t.database.prisma.objective.count(),
    t.database.prisma.order.count(),
    t.database.prisma.invoice.count(),
  ]);

beforeAll(async () => {
  t = await startTestServer();
  const territory = await t.database.prisma.territory.findFirstOrThrow({ where: { name: "Hauts-de-France" } });
  const partner = (scopes: string[]) =>
    issue({ kind: "PARTNER", name: scopes.join(" "), scopes, territoryIds: [toGlobalId("Territory", territory.id)], expiresAt: new Date(TODAY.getTime() + 30 * 86_400_000).toISOString() });
  const service = (scopes: string[]) => issue({ kind: "SERVICE", name: scopes.join(" "), scopes });
  tokens.set("anonymous", undefined);
  tokens.set("rep", await t.login("rep.lille@demo.test"));
  tokens.set("manager", await t.login("manager.north@demo.test"));
  tokens.set("head office", await t.login("head.office@demo.test"));
  tokens.set("data steward", await t.login("data.steward@demo.test"));
  tokens.set("partner contacts:read", await partner(["contacts:read"]));
  tokens.set("partner opportunities:read", await partner(["opportunities:read"]));
  tokens.set("partner opportunities:write leads:write", await partner(["opportunities:write", "leads:write"]));
  tokens.set("service orders:import", await service(["orders:import"]));
  tokens.set("service invoices:import", await service(["invoices:import"]));
  tokens.set("service referential:read", await service(["referential:read"]));
});
afterAll(() => t?.close());

describe("pipeline permissions", () => {
  it.each(Object.keys(OPERATIONS))("%s: allowed principals pass the gate, everyone else is refused, nothing is written", async (name) => {
    const before = await counts();
    await expectGate(t, name, OPERATIONS[name]!, PRINCIPALS, tokens);
    expect(await counts()).toEqual(before);
  });

  it("Organisation.opportunities is refused on the nested path to those who may read organisations but not opportunities", async () => {
    const query = `{ organisations(first: 3) { edges { node { id opportunities { totalCount } } } } }`;
    for (const principal of ["data steward", "partner contacts:read", "service referential:read"]) {
      const response = await gql(query, {}, tokens.get(principal));
      expect(errorCodes(response).length, principal).toBeGreaterThan(0);
      expect(new Set(errorCodes(response)), principal).toEqual(new Set(["FORBIDDEN"]));
      expect(response.errors!.every((e) => e.path?.at(-1) === "opportunities"), principal).toBe(true);
    }
    for (const principal of [...COMMERCIAL, ...OPPORTUNITY_PARTNERS]) {
      const response = await gql(query, {}, tokens.get(principal));
      expect(response.errors, principal).toBeUndefined();
    }
  });

  it("a partner with opportunities:read sees only the opportunities of its territory's organisations", async () => {
    const prisma = t.database.prisma;
    const territory = await prisma.territory.findFirstOrThrow({ where: { name: "Hauts-de-France" } });
    const expected = await prisma.opportunity.count({
      where: { organisation: { mergedIntoId: null, territoryMemberships: { some: { territoryId: territory.id, validFrom: { lte: TODAY }, OR: [{ validTo: null }, { validTo: { gt: TODAY } }] } } } },
    });
    const response = await gql(`{ opportunities { totalCount } }`, {}, tokens.get("partner opportunities:read"));
    expect(expected).toBeGreaterThan(0);
    expect(response.data!.opportunities.totalCount).toBe(expected);
    expect(expected).toBeLessThan(await prisma.opportunity.count());
  });
});
