// SPEC §4 workflow 3 over HTTP: an opportunity from identification to won (stage history, weighted value),
// a quote sent and chased, an order imported by a service token credited to the rep in charge on the
// order date, and a later reassignment that does not move that past revenue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), TODAY.getUTCDate()) + offset * DAY_MS);
const iso = (offset: number) => day(offset).toISOString().slice(0, 10);
const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;

const OPPORTUNITY_FIELDS = `id version status amount probability weightedAmount probabilityRegressed closeDateSlipped daysInStage
  stage { name } owner { email } organisation { id }
  stageHistory { from { name } to { name } amount probability by { email } }`;

let t: TestServer;
let rep: string;
let organisationUuid: string;
const stageIds = new Map<string, string>();

const send = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);

beforeAll(async () => {
  t = await startTestServer();
  rep = await t.login("rep.lille@demo.test");
  const lille = await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } });
  // An organisation the Lille rep has held for the whole demo history (not Beauvais, which moved).
  const held = await t.database.prisma.organisationAssignment.findFirstOrThrow({
    where: { repId: lille.id, validTo: null, organisation: { city: { not: "Beauvais" }, mergedIntoId: null } },
    orderBy: { organisationId: "asc" },
  });
  expect(held.validFrom.getTime()).toBeLessThan(day(-60).getTime());
  organisationUuid = held.organisationId;
  const stages = await send(`{ pipelineStages { id name defaultProbability } }`, {}, rep);
  expect(stages.errors).toBeUndefined();
  for (const stage of stages.data!.pipelineStages) stageIds.set(stage.name, stage.id);
});
afterAll(() => t?.close());

describe("workflow 3: from identification to won, then revenue credited on its date", () => {
  let opportunityId: string;
  let version: number;

  it("a rep identifies an opportunity: stage Identification, its default probability, exact weighted value", async () => {
    const created = await send(
      `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { ${OPPORTUNITY_FIELDS} } } }`,
      { input: { organisationId: toGlobalId("Organisation", organisationUuid), name: "Rayonnage 2027", amount: "12345.67", expectedCloseDate: iso(60) } },
      rep,
    );
    expect(created.errors).toBeUndefined();
    const opportunity = created.data!.createOpportunity.opportunity;
    // 12 345.67 × 10 % = 1 234.567 → 1 234.57 (half-up)
    expect(opportunity).toMatchObject({ status: "OPEN", amount: "12345.67", probability: 10, weightedAmount: "1234.57", stage: { name: "Identification" }, owner: { email: "rep.lille@demo.test" }, version: 1 });
    expect(opportunity.stageHistory).toEqual([{ from: null, to: { name: "Identification" }, amount: "12345.67", probability: 10, by: { email: "rep.lille@demo.test" } }]);
    opportunityId = opportunity.id;
    version = opportunity.version;
  });

  it("moves through the stages: each move, amount change and probability override is in the history", async () => {
    const move = (stage: string, probability?: number) =>
      send(
        `mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { ${OPPORTUNITY_FIELDS} } } }`,
        { input: { id: opportunityId, version, stageId: stageIds.get(stage), ...(probability === undefined ? {} : { probability }) } },
        rep,
      );
    const qualified = await move("Qualification");
    expect(qualified.errors).toBeUndefined();
    // 12 345.67 × 25 % = 3 086.4175 → 3 086.42
    expect(qualified.data!.moveOpportunityStage.opportunity).toMatchObject({ probability: 25, weightedAmount: "3086.42", stage: { name: "Qualification" }, version: 2 });
    version = 2;
    const proposal = await move("Proposal", 40);
    // 12 345.67 × 40 % = 4 938.268 → 4 938.27
    expect(proposal.data!.moveOpportunityStage.opportunity).toMatchObject({ probability: 40, weightedAmount: "4938.27", probabilityRegressed: false });
    version = 3;
    const amended = await send(
      `mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { ${OPPORTUNITY_FIELDS} } } }`,
      { input: { id: opportunityId, version, amount: "20000.00", expectedCloseDate: iso(75) } },
      rep,
    );
    expect(amended.errors).toBeUndefined();
    expect(amended.data!.updateOpportunity.opportunity).toMatchObject({ amount: "20000.00", weightedAmount: "8000.00", closeDateSlipped: true, version: 4 });
    version = 4;
    // Forward to Negotiation but with a lower probability than before: the regression alert.
    const negotiation = await move("Negotiation", 30);
    const opportunity = negotiation.data!.moveOpportunityStage.opportunity;
    expect(opportunity).toMatchObject({ probability: 30, weightedAmount: "6000.00", probabilityRegressed: true, version: 5 });
    version = 5;
    expect(opportunity.stageHistory.map((h: Data) => [h.from?.name ?? null, h.to.name, h.amount, h.probability])).toEqual([
      [null, "Identification", "12345.67", 10],
      ["Identification", "Qualification", "12345.67", 25],
      ["Qualification", "Proposal", "12345.67", 40],
      ["Proposal", "Proposal", "20000.00", 40],
      ["Proposal", "Negotiation", "20000.00", 30],
    ]);
    expect(await t.database.prisma.opportunityStageChange.count({ where: { opportunityId: uuidOf(opportunityId) } })).toBe(5);
  });

  it("a quote is sent, appears in quotesToChase once its follow-up date comes, and reads EXPIRED after validUntil", async () => {
    const created = await send(`mutation($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id status version } } }`, { input: { opportunityId, amount: "19500.00", reference: "DEV-2027-01" } }, rep);
    expect(created.data!.createQuote.quote).toMatchObject({ status: "DRAFT", version: 1 });
    const quoteId = created.data!.createQuote.quote.id;
    const sent = await send(
      `mutation($input: SendQuoteInput!) { sendQuote(input: $input) { quote { id status sentAt validUntil followUpDate version } } }`,
      { input: { id: quoteId, version: 1, validUntil: iso(30), followUpDate: iso(7) } },
      rep,
    );
    expect(sent.errors).toBeUndefined();
    expect(sent.data!.sendQuote.quote).toMatchObject({ status: "SENT", sentAt: iso(0), validUntil: iso(30), followUpDate: iso(7), version: 2 });
    const chase = `{ quotesToChase(first: 200) { totalCount edges { node { id status opportunity { id } } } } }`;
    // a login per clock reading: the rep's morning token would have expired days later
    const chasedIds = async () => ((await send(chase, {}, await t.login("rep.lille@demo.test"))).data!.quotesToChase.edges as Data[]).map((e) => e.node.id);
    expect(await chasedIds()).not.toContain(quoteId);
    try {
      t.clock.now = new Date(day(8).getTime() + 10 * 3600_000);
      expect(await chasedIds()).toContain(quoteId);
      const opportunity = await send(`query($id: ID!) { opportunity(id: $id) { quotes { edges { node { id status } } } } }`, { id: opportunityId }, await t.login("rep.lille@demo.test"));
      expect(opportunity.data!.opportunity.quotes.edges).toEqual([{ node: { id: quoteId, status: "SENT" } }]);
      t.clock.now = new Date(day(31).getTime() + 10 * 3600_000);
      expect(await chasedIds()).not.toContain(quoteId);
      const expired = await send(`query($id: ID!) { node(id: $id) { ... on Quote { status } } }`, { id: quoteId }, await t.login("rep.lille@demo.test"));
      expect(expired.data!.node.status).toBe("EXPIRED");
    } finally {
      t.clock.now = TODAY;
    }
    const accepted = await send(`mutation($input: DecideQuoteInput!) { decideQuote(input: $input) { quote { status decidedAt } } }`, { input: { id: quoteId, version: 2, decision: "ACCEPTED" } }, rep);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.decideQuote.quote.status).toBe("ACCEPTED");
  });

  it("the deal is won: stage Won, probability 100, weighted value = amount", async () => {
    const won = await send(
      `mutation($input: CloseOpportunityInput!) { closeOpportunity(input: $input) { opportunity { ${OPPORTUNITY_FIELDS} } } }`,
      { input: { id: opportunityId, version, outcome: "WON" } },
      rep,
    );
    expect(won.errors).toBeUndefined();
    expect(won.data!.closeOpportunity.opportunity).toMatchObject({ status: "WON", stage: { name: "Won" }, probability: 100, weightedAmount: "20000.00" });
    expect(won.data!.closeOpportunity.opportunity.stageHistory.at(-1)).toMatchObject({ from: { name: "Negotiation" }, to: { name: "Won" }, probability: 100 });
    const again = await send(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { id } } }`, { input: { id: opportunityId, version: version + 1, stageId: stageIds.get("Closing") } }, rep);
    expect(errorCodes(again)).toEqual(["BAD_USER_INPUT"]);
  });

  it("the order imported later credits the rep in charge on its date; a later reassignment does not move it", async () => {
    const prisma = t.database.prisma;
    const [lille, paris] = await Promise.all(["rep.lille@demo.test", "rep.paris@demo.test"].map((email) => prisma.user.findUniqueOrThrow({ where: { email } })));
    const issued = await send(
      `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
      { input: { kind: "SERVICE", name: "ERP feed", scopes: ["orders:import"] } },
      await t.login("head.office@demo.test"),
    );
    const erp = issued.data!.issueApiToken.token as string;
    const importOrders = (rows: Data[]) =>
      send(`mutation($input: ImportOrdersInput!) { importOrders(input: $input) { created unchanged results { externalId status errors { field message } } } }`, { input: { rows } }, erp);
    const organisationId = toGlobalId("Organisation", organisationUuid);
    const first = await importOrders([{ externalId: "WF3-ORDER-1", organisationId, orderedAt: iso(-2), amount: "19500.00" }]);
    expect(first.errors).toBeUndefined();
    expect(first.data!.importOrders.results).toEqual([{ externalId: "WF3-ORDER-1", status: "CREATED", errors: [] }]);
    expect((await prisma.order.findUniqueOrThrow({ where: { externalId: "WF3-ORDER-1" } })).repId).toBe(lille.id);

    // Head office moves the organisation to the Paris rep from yesterday: close the old row, open a new one.
    const current = await prisma.organisationAssignment.findFirstOrThrow({ where: { organisationId: organisationUuid, validTo: null } });
    await prisma.organisationAssignment.update({ where: { id: current.id }, data: { validTo: day(-1) } });
    await prisma.organisationAssignment.create({ data: { organisationId: organisationUuid, repId: paris.id, territoryId: current.territoryId, validFrom: day(-1) } });

    const later = await importOrders([
      { externalId: "WF3-ORDER-1", organisationId, orderedAt: iso(-2), amount: "19500.00" },
      { externalId: "WF3-ORDER-2", organisationId, orderedAt: iso(0), amount: "500.00" },
    ]);
    expect(later.data!.importOrders.results.map((r: Data) => r.status)).toEqual(["UNCHANGED", "CREATED"]);
    expect((await prisma.order.findUniqueOrThrow({ where: { externalId: "WF3-ORDER-1" } })).repId).toBe(lille.id);
    expect((await prisma.order.findUniqueOrThrow({ where: { externalId: "WF3-ORDER-2" } })).repId).toBe(paris.id);
    // and the deal is now out of the Lille rep's scope, in the Paris rep's
    const asLille = await send(`query($id: ID!) { opportunity(id: $id) { id } }`, { id: opportunityId }, rep);
    expect(errorCodes(asLille)).toEqual(["NOT_FOUND"]);
    const asParis = await send(`query($id: ID!) { opportunity(id: $id) { id status } }`, { id: opportunityId }, await t.login("rep.paris@demo.test"));
    expect(asParis.data!.opportunity).toEqual({ id: opportunityId, status: "WON" });
  });
});
