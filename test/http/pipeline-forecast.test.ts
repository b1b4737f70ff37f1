// Forecast categories: a default per stage (configurable by head office), overridable on an open deal, reset
// by a stage change and by closing; the activity dashboard's forecast by category, computed by hand. And
// closing is not a regression of the probability. "Today" is 2026-11-15.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { buildCustomer, day } from "../fixtures/visits.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
let head: string;
let rep: string;
let organisationId: string;
const stages = new Map<string, string>();
const gql = (query: string, variables: Record<string, unknown>, token = head) => t.gql<Data, Record<string, unknown>>(query, variables, token);

const DEAL = `id version probability forecastCategory probabilityRegressed stage { name forecastCategory }`;
const CREATE = `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { ${DEAL} } } }`;
const UPDATE = `mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { ${DEAL} } } }`;
const MOVE = `mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { ${DEAL} } } }`;
const CLOSE = `mutation($input: CloseOpportunityInput!) { closeOpportunity(input: $input) { opportunity { ${DEAL} status } } }`;

async function deal(name: string, stage: string, amount: string, expectedCloseDate: string | null, owner = rep) {
  const response = await gql(CREATE, { input: { organisationId, name, amount, stageId: stages.get(stage), ownerId: owner, expectedCloseDate } });
  expect(response.errors).toBeUndefined();
  return response.data!.createOpportunity.opportunity as Data;
}

beforeAll(async () => {
  t = await startTestServer();
  const db = t.database.prisma;
  head = await t.login("head.office@demo.test");
  // a rep of its own: the dashboard's REP scope then holds only this test's deals
  const forecaster = await db.user.create({ data: { email: "rep.forecast@demo.test", name: "Rémi Prévision", role: "REP" } });
  rep = toGlobalId("User", forecaster.id);
  const { organisation } = await buildCustomer(db, "Prévisions SA", { charges: [[forecaster.id, day("2025-01-01")]], contacts: 0 });
  organisationId = toGlobalId("Organisation", organisation.id);
  for (const stage of await db.pipelineStage.findMany()) stages.set(stage.name, toGlobalId("PipelineStage", stage.id));
});
afterAll(() => t?.close());

describe("forecast categories", () => {
  it("every stage has a default category, by its outcome or its probability", async () => {
    const response = await gql(`{ pipelineStages { name forecastCategory } }`, {});
    const spec = ["Identification", "Qualification", "Proposal", "Negotiation", "Closing", "Won", "Lost"];
    expect(response.data!.pipelineStages.filter((s: Data) => spec.includes(s.name))).toEqual([
      { name: "Identification", forecastCategory: "PIPELINE" },
      { name: "Qualification", forecastCategory: "PIPELINE" },
      { name: "Proposal", forecastCategory: "BEST_CASE" },
      { name: "Negotiation", forecastCategory: "COMMIT" },
      { name: "Closing", forecastCategory: "COMMIT" },
      { name: "Won", forecastCategory: "CLOSED" },
      { name: "Lost", forecastCategory: "OMITTED" },
    ]);
  });

  it("head office configures a stage's category; its deals follow; won and lost stages keep theirs", async () => {
    const STAGE = `mutation($input: CreatePipelineStageInput!) { createPipelineStage(input: $input) { stage { id forecastCategory } } }`;
    const created = await gql(STAGE, { input: { name: "Démonstration", position: 3, defaultProbability: 60 } });
    expect(created.data!.createPipelineStage.stage.forecastCategory).toBe("BEST_CASE");
    const stageId = created.data!.createPipelineStage.stage.id;
    stages.set("Démonstration", stageId);
    const demo = await deal("Démo", "Démonstration", "100.00", null);
    expect(demo.forecastCategory).toBe("BEST_CASE");
    const changed = await gql(`mutation($input: UpdatePipelineStageInput!) { updatePipelineStage(input: $input) { stage { forecastCategory } } }`, { input: { id: stageId, forecastCategory: "COMMIT" } });
    expect(changed.data!.updatePipelineStage.stage.forecastCategory).toBe("COMMIT");
    expect((await gql(`query($id: ID!) { opportunity(id: $id) { forecastCategory } }`, { id: demo.id })).data!.opportunity.forecastCategory).toBe("COMMIT");
    const update = `mutation($input: UpdatePipelineStageInput!) { updatePipelineStage(input: $input) { stage { id } } }`;
    expect(errorCodes(await gql(update, { input: { id: stages.get("Lost"), forecastCategory: "PIPELINE" } }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(update, { input: { id: stageId, forecastCategory: "CLOSED" } }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(STAGE, { input: { name: "Gagné bis", position: 9, defaultProbability: 100, isWon: true, forecastCategory: "COMMIT" } }))).toEqual(["BAD_USER_INPUT"]);
    const aRep = await t.login("rep.lyon@demo.test");
    expect(errorCodes(await gql(update, { input: { id: stageId, forecastCategory: "PIPELINE" } }, aRep))).toEqual(["FORBIDDEN"]);
  });

  it("a rep overrides the category of an open deal; a stage change or closing brings the stage's back; CLOSED is for won deals", async () => {
    const d = await deal("Override", "Qualification", "100.00", null);
    const committed = await gql(UPDATE, { input: { id: d.id, version: d.version, forecastCategory: "COMMIT" } });
    expect(committed.data!.updateOpportunity.opportunity).toMatchObject({ forecastCategory: "COMMIT", stage: { forecastCategory: "PIPELINE" } });
    expect(errorCodes(await gql(UPDATE, { input: { id: d.id, version: d.version + 1, forecastCategory: "CLOSED" } }))).toEqual(["BAD_USER_INPUT"]);
    const cleared = await gql(UPDATE, { input: { id: d.id, version: d.version + 1, forecastCategory: null } });
    expect(cleared.data!.updateOpportunity.opportunity.forecastCategory).toBe("PIPELINE");
    const omitted = await gql(UPDATE, { input: { id: d.id, version: d.version + 2, forecastCategory: "OMITTED" } });
    expect(omitted.data!.updateOpportunity.opportunity.forecastCategory).toBe("OMITTED");
    const moved = await gql(MOVE, { input: { id: d.id, version: d.version + 3, stageId: stages.get("Negotiation") } });
    expect(moved.data!.moveOpportunityStage.opportunity.forecastCategory).toBe("COMMIT");
    const overridden = await gql(UPDATE, { input: { id: d.id, version: d.version + 4, forecastCategory: "BEST_CASE" } });
    expect(overridden.data!.updateOpportunity.opportunity.forecastCategory).toBe("BEST_CASE");
    const won = await gql(CLOSE, { input: { id: d.id, version: d.version + 5, outcome: "WON" } });
    expect(won.data!.closeOpportunity.opportunity).toMatchObject({ status: "WON", forecastCategory: "CLOSED" });
  });

  it("the activity dashboard's forecast by category, computed by hand", async () => {
    const db = t.database.prisma;
    const forecaster = await db.user.create({ data: { email: "rep.forecast2@demo.test", name: "Rose Prévision", role: "REP" } });
    const owner = toGlobalId("User", forecaster.id);
    await deal("P1", "Identification", "1000.00", "2026-12-10", owner); // PIPELINE 1000 × 10 % = 100
    await deal("B1", "Proposal", "2000.00", "2026-12-15", owner); // BEST_CASE 2000 × 50 % = 1000
    await deal("C1", "Negotiation", "3000.00", "2026-12-20", owner); // COMMIT 3000 × 75 % = 2250
    const c2 = await deal("C2", "Qualification", "500.00", "2026-12-05", owner); // overridden COMMIT: 500 × 25 % = 125
    await gql(UPDATE, { input: { id: c2.id, version: c2.version, forecastCategory: "COMMIT" } });
    const o1 = await deal("O1", "Proposal", "700.00", "2026-12-01", owner); // overridden OMITTED: 700 × 50 % = 350
    await gql(UPDATE, { input: { id: o1.id, version: o1.version, forecastCategory: "OMITTED" } });
    await deal("Later", "Identification", "9000.00", "2027-01-15", owner); // expected after the period: not counted
    await deal("Undated", "Negotiation", "9000.00", null, owner); // no close date: in no period's forecast
    const w1 = await deal("W1", "Closing", "4000.00", "2026-12-31", owner); // won today: CLOSED 4000
    await gql(CLOSE, { input: { id: w1.id, version: w1.version, outcome: "WON" } });
    const l1 = await deal("L1", "Proposal", "800.00", "2026-12-31", owner); // lost today: OMITTED 800, weighted 0
    await gql(CLOSE, { input: { id: l1.id, version: l1.version, outcome: "LOST", lostReason: "Prix" } });

    const response = await gql(
      `query($scope: DashboardScopeInput, $period: PeriodInput) { activityDashboard(scope: $scope, period: $period) { forecast { category count amount weightedAmount } } }`,
      { scope: { kind: "REP", id: owner }, period: { from: "2026-11-01", to: "2026-12-31" } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.activityDashboard.forecast).toEqual([
      { category: "PIPELINE", count: 1, amount: "1000.00", weightedAmount: "100.00" },
      { category: "BEST_CASE", count: 1, amount: "2000.00", weightedAmount: "1000.00" },
      { category: "COMMIT", count: 2, amount: "3500.00", weightedAmount: "2375.00" },
      { category: "CLOSED", count: 1, amount: "4000.00", weightedAmount: "4000.00" },
      { category: "OMITTED", count: 2, amount: "1500.00", weightedAmount: "350.00" },
    ]);
    // another period: nothing expected, nothing closed
    const january = await gql(
      `query($scope: DashboardScopeInput) { activityDashboard(scope: $scope, period: { from: "2027-02-01", to: "2027-02-28" }) { forecast { category count amount } } }`,
      { scope: { kind: "REP", id: owner } },
    );
    expect(january.data!.activityDashboard.forecast.every((slice: Data) => slice.count === 0 && slice.amount === "0.00")).toBe(true);
  });
});

describe("probabilityRegressed", () => {
  it("a deal lost after moving forward is not flagged: closing is not a regression", async () => {
    const d = await deal("Perdu", "Identification", "100.00", null);
    const moved = await gql(MOVE, { input: { id: d.id, version: d.version, stageId: stages.get("Qualification") } });
    expect(moved.data!.moveOpportunityStage.opportunity.probabilityRegressed).toBe(false);
    const lost = await gql(CLOSE, { input: { id: d.id, version: d.version + 1, outcome: "LOST", lostReason: "Budget" } });
    expect(lost.data!.closeOpportunity.opportunity).toMatchObject({ status: "LOST", probability: 0, probabilityRegressed: false });
  });

  it("a deal whose probability went down while it moved forward stays flagged, lost or not", async () => {
    const d = await deal("Recul", "Qualification", "100.00", null);
    const moved = await gql(MOVE, { input: { id: d.id, version: d.version, stageId: stages.get("Proposal"), probability: 20 } });
    expect(moved.data!.moveOpportunityStage.opportunity.probabilityRegressed).toBe(true);
    const lost = await gql(CLOSE, { input: { id: d.id, version: d.version + 1, outcome: "LOST", lostReason: "Budget" } });
    expect(lost.data!.closeOpportunity.opportunity.probabilityRegressed).toBe(true);
  });
});
