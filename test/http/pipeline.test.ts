// Opportunities: concurrency, derived signals, filters, scope on every path, stage configuration.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
const DAY_MS = 86_400_000;
const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;

let t: TestServer;
let rep: string;
let lilleId: string;
let organisationId: string;
const stageIds = new Map<string, string>();
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);

async function createOpportunity(input: Record<string, unknown> = {}, token = rep): Promise<Data> {
  const response = await gql(
    `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id version probability stage { name } } } }`,
    { input: { organisationId, name: "Test deal", amount: "1000.00", ...input } },
    token,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.createOpportunity.opportunity;
}

beforeAll(async () => {
  t = await startTestServer();
  rep = await t.login("rep.lille@demo.test");
  lilleId = (await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } })).id;
  const held = await t.database.prisma.organisationAssignment.findFirstOrThrow({ where: { repId: lilleId, validTo: null }, orderBy: { organisationId: "asc" } });
  organisationId = toGlobalId("Organisation", held.organisationId);
  for (const stage of await t.database.prisma.pipelineStage.findMany()) stageIds.set(stage.name, toGlobalId("PipelineStage", stage.id));
});
afterAll(() => t?.close());

describe("opportunities", () => {
  it("the SPEC's default stages are configured, in order", async () => {
    const response = await gql(`{ pipelineStages { name position defaultProbability isWon isLost } }`, {}, rep);
    expect(response.data!.pipelineStages.map((s: Data) => [s.name, s.defaultProbability])).toEqual([
      ["Identification", 10], ["Qualification", 25], ["Proposal", 50], ["Negotiation", 75], ["Closing", 90], ["Won", 100], ["Lost", 0],
    ]);
  });

  it("20 parallel moveOpportunityStage with the same version: one succeeds, 19 CONFLICT, one history row added", async () => {
    const opportunity = await createOpportunity();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gql(
          `mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { version probability } } }`,
          { input: { id: opportunity.id, version: 1, stageId: stageIds.get("Qualification"), probability: 20 + i } },
          rep,
        ),
      ),
    );
    const winners = responses.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(responses.filter((r) => errorCodes(r).join() === "CONFLICT")).toHaveLength(19);
    const id = uuidOf(opportunity.id);
    const stored = await t.database.prisma.opportunity.findUniqueOrThrow({ where: { id } });
    expect(stored.version).toBe(2);
    expect(stored.probability).toBe(winners[0]!.data!.moveOpportunityStage.opportunity.probability);
    expect(await t.database.prisma.opportunityStageChange.count({ where: { opportunityId: id } })).toBe(2);
    expect(await t.database.prisma.auditEvent.count({ where: { entity: "Opportunity", entityId: id, action: "moveStage" } })).toBe(1);
  });

  it("stale deals: days in stage above the stage maximum, as a field and as a filter", async () => {
    const fresh = await createOpportunity({ name: "Fresh" });
    const old = await createOpportunity({ name: "Old" });
    // Identification allows 30 days: put one deal 31 days in it, the other 30.
    await t.database.prisma.opportunity.update({ where: { id: uuidOf(old.id) }, data: { stageEnteredAt: new Date(TODAY.getTime() - 31 * DAY_MS) } });
    await t.database.prisma.opportunity.update({ where: { id: uuidOf(fresh.id) }, data: { stageEnteredAt: new Date(TODAY.getTime() - 30 * DAY_MS) } });
    const read = await gql(`query($a: ID!, $b: ID!) { a: opportunity(id: $a) { daysInStage isStale } b: opportunity(id: $b) { daysInStage isStale } }`, { a: old.id, b: fresh.id }, rep);
    expect(read.data).toEqual({ a: { daysInStage: 31, isStale: true }, b: { daysInStage: 30, isStale: false } });
    const stale = await gql(`{ opportunities(first: 200, filter: { stale: true }) { totalCount edges { node { id isStale } } } }`, {}, rep);
    const ids = stale.data!.opportunities.edges.map((e: Data) => e.node.id);
    expect(ids).toContain(old.id);
    expect(ids).not.toContain(fresh.id);
    expect(stale.data!.opportunities.edges.every((e: Data) => e.node.isStale)).toBe(true);
  });

  it("filters by status, stage, owner, organisation and close dates, totalCount within the rep's scope", async () => {
    const prisma = t.database.prisma;
    const expected = await prisma.opportunity.count({
      where: {
        status: "OPEN",
        stageId: uuidOf(stageIds.get("Identification")!),
        ownerId: lilleId,
        organisation: { assignments: { some: { repId: lilleId, validFrom: { lte: TODAY }, OR: [{ validTo: null }, { validTo: { gt: TODAY } }] } } },
      },
    });
    const response = await gql(
      `query($filter: OpportunityFilter) { opportunities(filter: $filter) { totalCount } }`,
      { filter: { status: ["OPEN"], stage: [stageIds.get("Identification")], owner: toGlobalId("User", lilleId) } },
      rep,
    );
    expect(response.data!.opportunities.totalCount).toBe(expected);
    const dated = await createOpportunity({ name: "Dated", expectedCloseDate: "2027-02-10" });
    const window = await gql(
      `query($filter: OpportunityFilter) { opportunities(filter: $filter) { edges { node { id } } } }`,
      { filter: { organisation: organisationId, closingAfter: "2027-02-10", closingBefore: "2027-02-11" } },
      rep,
    );
    expect(window.data!.opportunities.edges.map((e: Data) => e.node.id)).toContain(dated.id);
  });

  it("out of scope is NOT_FOUND on opportunity(id), node(id) and writes; absent from lists", async () => {
    const mine = await createOpportunity({ name: "Mine" });
    const other = await t.login("rep.lyon@demo.test");
    for (const query of [`query($id: ID!) { opportunity(id: $id) { id } }`, `query($id: ID!) { node(id: $id) { id } }`]) {
      expect(errorCodes(await gql(query, { id: mine.id }, other))).toEqual(["NOT_FOUND"]);
    }
    const move = await gql(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { id } } }`, { input: { id: mine.id, version: 1, stageId: stageIds.get("Proposal") } }, other);
    expect(errorCodes(move)).toEqual(["NOT_FOUND"]);
    const list = await gql(`{ opportunities(first: 200, filter: { organisation: "${organisationId}" }) { totalCount } }`, {}, other);
    expect(list.data!.opportunities.totalCount).toBe(0);
    const manager = await gql(`query($id: ID!) { opportunity(id: $id) { id } }`, { id: mine.id }, await t.login("manager.north@demo.test"));
    expect(manager.data!.opportunity.id).toBe(mine.id);
  });

  it("Organisation.opportunities is a nested connection read in one batch (bounded statements)", async () => {
    const response = await gql(`{ organisations(first: 50) { edges { node { id opportunities(first: 5) { totalCount edges { node { weightedAmount stage { name } } } } } } } }`, {}, await t.login("head.office@demo.test"));
    expect(response.errors).toBeUndefined();
    const expected = await t.database.prisma.opportunity.count({ where: { organisationId: uuidOf(response.data!.organisations.edges[0].node.id) } });
    expect(response.data!.organisations.edges[0].node.opportunities.totalCount).toBe(expected);
    expect(response.statements).toBeLessThanOrEqual(8);
  });

  it("a list of opportunities with every nested field is read in a bounded number of statements (no N+1)", async () => {
    const query = `{ opportunities(first: 100, orderBy: { field: AMOUNT, direction: DESC }) { totalCount edges { node {
      id weightedAmount daysInStage isStale probabilityRegressed closeDateSlipped qualification { budgetKnown }
      stage { name } owner { email } organisation { name }
      stageHistory { from { name } to { name } by { email } }
      contacts { roles contact { lastName } }
      quotes(first: 5) { edges { node { status opportunity { id } } } } } } } }`;
    const head = await t.login("head.office@demo.test");
    const few = await gql(query.replace("first: 100", "first: 5"), {}, head);
    const many = await gql(query, {}, head);
    expect(many.errors).toBeUndefined();
    expect(many.data!.opportunities.edges.length).toBeGreaterThan(50);
    expect(Number.isFinite(many.statements)).toBe(true);
    expect(many.statements).toBe(few.statements);
  });

  it("contact roles on the deal: contacts of the same organisation only, replaced on update", async () => {
    const prisma = t.database.prisma;
    const contacts = await prisma.contact.findMany({ where: { organisationId: uuidOf(organisationId) }, take: 2, orderBy: { id: "asc" } });
    expect(contacts.length).toBeGreaterThan(0);
    const opportunity = await createOpportunity({ contacts: [{ contactId: toGlobalId("Contact", contacts[0]!.id), roles: ["DECISION_MAKER", "BUYER"] }] });
    const read = await gql(`query($id: ID!) { opportunity(id: $id) { contacts { roles contact { id } } } }`, { id: opportunity.id }, rep);
    expect(read.data!.opportunity.contacts).toEqual([{ roles: ["DECISION_MAKER", "BUYER"], contact: { id: toGlobalId("Contact", contacts[0]!.id) } }]);
    const elsewhere = await prisma.contact.findFirstOrThrow({ where: { organisationId: { not: uuidOf(organisationId) } } });
    const wrong = await gql(
      `mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id } } }`,
      { input: { id: opportunity.id, version: 1, contacts: [{ contactId: toGlobalId("Contact", elsewhere.id), roles: ["BUYER"] }] } },
      rep,
    );
    expect(errorCodes(wrong)).toEqual(["BAD_USER_INPUT"]);
    const replaced = await gql(
      `mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { version contacts { roles } } } }`,
      { input: { id: opportunity.id, version: 1, contacts: [{ contactId: toGlobalId("Contact", contacts[0]!.id), roles: ["TECHNICAL"] }] } },
      rep,
    );
    expect(replaced.data!.updateOpportunity.opportunity).toEqual({ version: 2, contacts: [{ roles: ["TECHNICAL"] }] });
    // fields only: no stage, amount or probability change, so no history row
    expect(await prisma.opportunityStageChange.count({ where: { opportunityId: uuidOf(opportunity.id) } })).toBe(1);
  });

  it.each(["EXPECTED_CLOSE_DATE", "AMOUNT", "CREATED_AT", "NAME"])("paging by %s visits every opportunity exactly once", async (field) => {
    const head = await t.login("head.office@demo.test");
    // deals without an expected close date (NULL) must be paged too
    for (let i = 0; i < 3; i += 1) await createOpportunity({ name: `Undated ${field} ${i}` });
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 50; page += 1) {
      const response: Data = await gql(
        `query($after: String, $order: [OpportunityOrder!]) { opportunities(first: 37, after: $after, orderBy: $order) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        { after, order: { field, direction: "DESC" } },
        head,
      );
      expect(response.errors).toBeUndefined();
      total = response.data.opportunities.totalCount;
      seen.push(...response.data.opportunities.edges.map((e: Data) => e.node.id));
      if (!response.data.opportunities.pageInfo.hasNextPage) break;
      after = response.data.opportunities.pageInfo.endCursor;
    }
    expect(total).toBe(await t.database.prisma.opportunity.count());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
  });

  it("validation: probability outside 0–100, negative amount, won stage through a move, lost without a reason", async () => {
    const bad = await gql(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`, { input: { organisationId, name: "X", amount: "-1.00", probability: 101 } }, rep);
    expect(errorCodes(bad)).toEqual(["BAD_USER_INPUT"]);
    const opportunity = await createOpportunity();
    const toWon = await gql(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { id } } }`, { input: { id: opportunity.id, version: 1, stageId: stageIds.get("Won") } }, rep);
    expect(errorCodes(toWon)).toEqual(["BAD_USER_INPUT"]);
    const lost = await gql(`mutation($input: CloseOpportunityInput!) { closeOpportunity(input: $input) { opportunity { id } } }`, { input: { id: opportunity.id, version: 1, outcome: "LOST" } }, rep);
    expect(errorCodes(lost)).toEqual(["BAD_USER_INPUT"]);
    const lostWithReason = await gql(`mutation($input: CloseOpportunityInput!) { closeOpportunity(input: $input) { opportunity { status lostReason probability stage { name } } } }`, { input: { id: opportunity.id, version: 1, outcome: "LOST", lostReason: "Prix" } }, rep);
    expect(lostWithReason.data!.closeOpportunity.opportunity).toEqual({ status: "LOST", lostReason: "Prix", probability: 0, stage: { name: "Lost" } });
  });

  it("closing records the forecast as it stood 30 days before (the creation's 10 % here), or the closing values without older history", async () => {
    const opportunity = await createOpportunity({ amount: "1234.56" }); // Identification, 10 %, today
    const at = (days: number) => new Date(TODAY.getTime() + days * DAY_MS);
    const move = `mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { version } } }`;
    const close = `mutation($input: CloseOpportunityInput!) { closeOpportunity(input: $input) { opportunity { status } } }`;
    try {
      t.clock.now = at(40);
      const moved = await gql(move, { input: { id: opportunity.id, version: 1, stageId: stageIds.get("Proposal") } }, await t.login("rep.lille@demo.test"));
      expect(moved.errors).toBeUndefined();
      t.clock.now = at(50); // the move to Proposal (50 %) is 10 days old: the forecast is the creation's state
      const won = await gql(close, { input: { id: opportunity.id, version: 2, outcome: "WON" } }, await t.login("rep.lille@demo.test"));
      expect(won.data!.closeOpportunity.opportunity.status).toBe("WON");
      const fresh = await createOpportunity({ amount: "500.00" }, await t.login("rep.lille@demo.test"));
      const lost = await gql(close, { input: { id: fresh.id, version: 1, outcome: "LOST", lostReason: "Prix" } }, await t.login("rep.lille@demo.test"));
      expect(lost.errors).toBeUndefined();
      const forecastOf = async (globalId: string) =>
        (await t.database.prisma.opportunity.findUniqueOrThrow({ where: { id: uuidOf(globalId) } })).forecastWeightedAmount?.toFixed(2);
      expect(await forecastOf(opportunity.id)).toBe("123.46"); // 1 234.56 × 10 %, half-up
      expect(await forecastOf(fresh.id)).toBe("0.00"); // no history 30 days before: the closing values (Lost, 0 %)
    } finally {
      t.clock.now = TODAY;
    }
  });

  it("head office configures stages; new deals take the stage's probability", async () => {
    const head = await t.login("head.office@demo.test");
    const created = await gql(`mutation { createPipelineStage(input: { name: "Démo", position: 3, defaultProbability: 40, maxDaysInStage: 10 }) { stage { id name defaultProbability } } }`, {}, head);
    expect(created.errors).toBeUndefined();
    const stageId = created.data!.createPipelineStage.stage.id;
    const updated = await gql(`mutation($id: ID!) { updatePipelineStage(input: { id: $id, defaultProbability: 35 }) { stage { defaultProbability maxDaysInStage } } }`, { id: stageId }, head);
    expect(updated.data!.updatePipelineStage.stage).toEqual({ defaultProbability: 35, maxDaysInStage: 10 });
    const opportunity = await createOpportunity({ stageId });
    expect(opportunity).toMatchObject({ probability: 35, stage: { name: "Démo" } });
    const byRep = await gql(`mutation($id: ID!) { updatePipelineStage(input: { id: $id, defaultProbability: 1 }) { stage { id } } }`, { id: stageId }, rep);
    expect(errorCodes(byRep)).toEqual(["FORBIDDEN"]);
    await t.database.prisma.pipelineStage.update({ where: { id: uuidOf(stageId) }, data: { active: false } });
  });
});
