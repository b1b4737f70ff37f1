// Territories over HTTP on the demo company: coverage of today and of a future date (the seeded overlap and
// gap), SPEC §4 workflow 4 with the injectable clock, and who may read and change territories.
// Expectations are computed here with Prisma from the demo rows (or written out by hand), never by the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../src/db/generated/client.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const DAY = day(TODAY.toISOString().slice(0, 10)); // 2026-11-15
const NEXT_MONTH = day("2026-12-01");
const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;
const inForce = (on: Date) => ({ validFrom: { lte: on }, OR: [{ validTo: null }, { validTo: { gt: on } }] });

const COVERAGE = `query($date: Date) { territoryCoverage(date: $date, first: 200) {
  overlapCount overlaps { organisation { id } territories { name } winner { name } }
  unmatchedCount territoriesWithoutRepCount territoriesWithoutRep { name } } }`;

async function ids(t: TestServer, email: string, query: string, path: (d: Data) => Data): Promise<string[]> {
  const response = await t.gql<Data, Record<string, unknown>>(query, {}, await t.login(email));
  expect(response.errors).toBeUndefined();
  return path(response.data!).edges.map((e: Data) => uuidOf(e.node.id)).sort();
}
const portfolioIds = (t: TestServer, email: string) =>
  ids(t, email, `{ portfolio(first: 200) { edges { node { id } } } }`, (d) => d.portfolio);

describe("coverage of the demo territories", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  }, 120_000);
  afterAll(() => t?.close());

  const beauvaisIds = async () =>
    (await t.database.prisma.organisation.findMany({ where: { postalCode: { startsWith: "60" }, mergedIntoId: null }, select: { id: true } }))
      .map((o) => o.id)
      .sort();

  it("today: exactly the Beauvais overlap (Hauts-de-France wins by priority) and the Grand Est gap", async () => {
    const response = await t.gql<Data, Record<string, unknown>>(COVERAGE, { date: "2026-11-15" }, await t.login("head.office@demo.test"));
    expect(response.errors).toBeUndefined();
    const coverage = response.data!.territoryCoverage;
    const expected = await beauvaisIds();
    expect(expected.length).toBeGreaterThan(0);
    expect(coverage.overlapCount).toBe(expected.length);
    expect(coverage.overlaps.map((o: Data) => uuidOf(o.organisation.id)).sort()).toEqual(expected);
    for (const overlap of coverage.overlaps) {
      expect(overlap.territories.map((x: Data) => x.name)).toEqual(["Hauts-de-France", "Île-de-France"]);
      expect(overlap.winner.name).toBe("Hauts-de-France");
    }
    expect(coverage.unmatchedCount).toBe(0);
    expect(coverage.territoriesWithoutRep).toEqual([{ name: "Grand Est" }]);
    expect(coverage.territoriesWithoutRepCount).toBe(1);
  });

  it("after the scheduled assignment of Grand Est (1st of next month) the gap is gone, the overlap stays", async () => {
    const response = await t.gql<Data, Record<string, unknown>>(COVERAGE, { date: "2026-12-01" }, await t.login("head.office@demo.test"));
    const coverage = response.data!.territoryCoverage;
    expect(coverage.territoriesWithoutRep).toEqual([]);
    expect(coverage.overlapCount).toBe((await beauvaisIds()).length);
    // the day before, the gap is still there
    const before = await t.gql<Data, Record<string, unknown>>(COVERAGE, { date: "2026-11-30" }, await t.login("head.office@demo.test"));
    expect(before.data!.territoryCoverage.territoriesWithoutRep).toEqual([{ name: "Grand Est" }]);
  });

  it("a year ago Beauvais was Île-de-France's only (the Hauts-de-France prefix rule left 60 out): no overlap", async () => {
    const response = await t.gql<Data, Record<string, unknown>>(COVERAGE, { date: "2025-11-15" }, await t.login("head.office@demo.test"));
    expect(response.data!.territoryCoverage.overlapCount).toBe(0);
    expect(response.data!.territoryCoverage.territoriesWithoutRep).toEqual([{ name: "Grand Est" }]);
  });

  it("a manager sees the coverage of their team's territories only", async () => {
    const south = await t.gql<Data, Record<string, unknown>>(COVERAGE, { date: "2026-11-15" }, await t.login("manager.south@demo.test"));
    expect(south.errors).toBeUndefined();
    expect(south.data!.territoryCoverage.overlapCount).toBe(0);
    expect(south.data!.territoryCoverage.territoriesWithoutRep).toEqual([]);
    const north = await t.gql<Data, Record<string, unknown>>(COVERAGE, { date: "2026-11-15" }, await t.login("manager.north@demo.test"));
    expect(north.data!.territoryCoverage.overlapCount).toBe((await beauvaisIds()).length);
    expect(north.data!.territoryCoverage.territoriesWithoutRep).toEqual([{ name: "Grand Est" }]);
  });
});

describe("SPEC §4 workflow 4: a territory change scheduled for the 1st of next month", () => {
  let t: TestServer;
  const db = () => t.database.prisma;
  const userId = async (email: string) => (await db().user.findUniqueOrThrow({ where: { email } })).id;
  const territoryId = async (name: string) => (await db().territory.findUniqueOrThrow({ where: { name } })).id;
  /** What the order import does: the rep in charge of the organisation on the order date (pipeline module not used here). */
  const repInCharge = async (organisationId: string, on: Date) =>
    (await db().organisationAssignment.findFirst({ where: { organisationId, ...inForce(on) }, orderBy: { validFrom: "desc" } }))?.repId ?? null;

  beforeAll(async () => {
    t = await startTestServer();
  }, 120_000);
  afterAll(() => t?.close());

  it("moves the Normandie customers from Rouen to Paris on its date, with a cover for Lille, and keeps the past credited to Rouen", async () => {
    const headOffice = await t.login("head.office@demo.test");
    const [rouen, paris, lille] = [await userId("rep.rouen@demo.test"), await userId("rep.paris@demo.test"), await userId("rep.lille@demo.test")];
    const normandie = await territoryId("Normandie");
    const hautsDeFrance = await territoryId("Hauts-de-France");
    const normandieOrgs = (await db().organisation.findMany({ where: { region: "Normandie", mergedIntoId: null }, select: { id: true } })).map((o) => o.id).sort();
    const lilleOrgs = (await db().organisation.findMany({ where: { assignments: { some: { repId: lille, ...inForce(DAY) } } }, select: { id: true } })).map((o) => o.id).sort();
    expect(normandieOrgs.length).toBeGreaterThan(0);

    // Revenue and pipeline on one Normandie customer, with hand-picked amounts.
    const customer = normandieOrgs[0]!;
    await db().invoice.createMany({
      data: [
        { externalId: "wf4-inv-1", organisationId: customer, invoicedAt: day("2026-03-10"), amount: new Prisma.Decimal("1200.00"), repId: rouen },
        { externalId: "wf4-inv-2", organisationId: customer, invoicedAt: day("2026-11-20"), amount: new Prisma.Decimal("800.50"), repId: rouen },
        { externalId: "wf4-inv-old", organisationId: customer, invoicedAt: day("2025-10-01"), amount: new Prisma.Decimal("999.00"), repId: rouen },
      ],
    });
    const stage = await db().pipelineStage.findFirst();
    if (stage) {
      await db().opportunity.create({
        data: { organisationId: customer, ownerId: rouen, name: "wf4 deal", stageId: stage.id, amount: new Prisma.Decimal("10000.00"), probability: 25, status: "OPEN" },
      });
    }

    // 1. Head office schedules the move and a temporary cover for Lille's holidays.
    const assign = (input: Record<string, unknown>) =>
      t.gql<Data, Record<string, unknown>>(
        `mutation($input: AssignTerritoryInput!) { assignTerritory(input: $input) { territory { name holders { kind validFrom validTo rep { email } } } } }`,
        { input },
        headOffice,
      );
    const moved = await assign({ territoryId: toGlobalId("Territory", normandie), repId: toGlobalId("User", paris), kind: "PERMANENT", validFrom: "2026-12-01" });
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.assignTerritory.territory.holders).toEqual([
      { kind: "PERMANENT", validFrom: "2025-05-15", validTo: "2026-12-01", rep: { email: "rep.rouen@demo.test" } },
      { kind: "PERMANENT", validFrom: "2026-12-01", validTo: null, rep: { email: "rep.paris@demo.test" } },
    ]);
    const cover = await assign({ territoryId: toGlobalId("Territory", hautsDeFrance), repId: toGlobalId("User", rouen), kind: "TEMPORARY", validFrom: "2026-12-10", validTo: "2026-12-20" });
    expect(cover.errors).toBeUndefined();

    // 2. Coverage shows no new gap or overlap on the date nor during the cover.
    for (const date of ["2026-12-01", "2026-12-15"]) {
      const coverage = (await t.gql<Data, Record<string, unknown>>(COVERAGE, { date }, headOffice)).data!.territoryCoverage;
      expect(coverage.territoriesWithoutRep).toEqual([]);
      expect(coverage.overlaps.every((o: Data) => o.winner.name === "Hauts-de-France")).toBe(true);
      expect(coverage.overlapCount).toBe(await db().organisation.count({ where: { postalCode: { startsWith: "60" }, mergedIntoId: null } }));
      expect(coverage.unmatchedCount).toBe(0);
    }

    // 3. Impact preview: the Normandie customers move from Rouen to Paris, with their revenue and pipeline.
    const impact = await t.gql<Data, Record<string, unknown>>(
      `query($input: TerritoryChangeImpactInput!) { territoryChangeImpact(input: $input) {
         moveCount trailingRevenue openWeightedPipeline moves { organisation { id } fromRep { email } toRep { email } trailingRevenue } } }`,
      { input: { date: "2026-12-01", territoryId: toGlobalId("Territory", normandie) } },
      headOffice,
    );
    expect(impact.errors).toBeUndefined();
    const preview = impact.data!.territoryChangeImpact;
    expect(preview.moveCount).toBe(normandieOrgs.length);
    expect(preview.moves.map((m: Data) => uuidOf(m.organisation.id)).sort()).toEqual(normandieOrgs);
    expect(new Set(preview.moves.map((m: Data) => `${m.fromRep.email}→${m.toRep.email}`))).toEqual(new Set(["rep.rouen@demo.test→rep.paris@demo.test"]));
    const trailing = await db().invoice.aggregate({
      _sum: { amount: true },
      where: { organisationId: { in: normandieOrgs }, invoicedAt: { gte: day("2025-12-01"), lt: NEXT_MONTH } },
    });
    expect(preview.trailingRevenue).toBe((trailing._sum.amount ?? new Prisma.Decimal(0)).toFixed(2));
    const open = await db().opportunity.findMany({ where: { organisationId: { in: normandieOrgs }, status: "OPEN" } });
    const weighted = open.reduce((sum, o) => sum.plus(o.amount.times(o.probability).div(100)), new Prisma.Decimal(0));
    expect(preview.openWeightedPipeline).toBe(weighted.toFixed(2));
    if (stage) expect(weighted.gte(2500)).toBe(true);

    // 3b. Objectives concerned, realigned proportionally: Rouen loses all of the revenue of the organisations
    // she held the day before (share −1), over 31 of the 365 days of the year: 100 000 × (1 − 31/365).
    const objective = await db().objective.create({
      data: { userId: rouen, metric: "INVOICED_REVENUE", periodStart: day("2026-01-01"), periodEnd: day("2027-01-01"), target: new Prisma.Decimal("100000.00") },
    });
    const visits = await db().objective.create({
      data: { userId: rouen, metric: "VISIT_COUNT", periodStart: day("2026-01-01"), periodEnd: day("2027-01-01"), target: new Prisma.Decimal("120.00") },
    });
    const realign = await t.gql<Data, Record<string, unknown>>(
      `mutation($input: ApplyObjectiveRealignmentInput!) { applyObjectiveRealignment(input: $input) { objectives { id metric target rep { email } } } }`,
      { input: { date: "2026-12-01", territoryId: toGlobalId("Territory", normandie) } },
      headOffice,
    );
    expect(realign.errors).toBeUndefined();
    const realigned = realign.data!.applyObjectiveRealignment.objectives as Data[];
    expect(realigned.find((o) => o.id === toGlobalId("Objective", objective.id))).toEqual({
      id: toGlobalId("Objective", objective.id),
      metric: "INVOICED_REVENUE",
      target: "91506.85",
      rep: { email: "rep.rouen@demo.test" },
    });
    expect(realigned.find((o) => o.id === toGlobalId("Objective", visits.id))).toBeUndefined();
    for (const o of realigned) expect(["rep.rouen@demo.test", "rep.paris@demo.test"]).toContain(o.rep.email);
    expect((await db().objective.findUniqueOrThrow({ where: { id: objective.id } })).target.toFixed(2)).toBe("91506.85");
    expect((await db().objective.findUniqueOrThrow({ where: { id: visits.id } })).target.toFixed(2)).toBe("120.00");
    expect(await db().auditEvent.count({ where: { entity: "Objective", entityId: objective.id, action: "realign" } })).toBe(1);
    // a manager of another team cannot see (nor realign) this change
    const south = await t.gql<Data, Record<string, unknown>>(
      `query($input: TerritoryChangeImpactInput!) { territoryChangeImpact(input: $input) { moveCount } }`,
      { input: { date: "2026-12-01", territoryId: toGlobalId("Territory", normandie) } },
      await t.login("manager.south@demo.test"),
    );
    expect(errorCodes(south)).toEqual(["NOT_FOUND"]);

    // 4. Before the date nothing has changed: Normandie is Rouen's.
    expect(await portfolioIds(t, "rep.rouen@demo.test")).toEqual(expect.arrayContaining(normandieOrgs));
    expect((await portfolioIds(t, "rep.paris@demo.test")).filter((id) => normandieOrgs.includes(id))).toEqual([]);

    // 5. The clock passes the date: the portfolios changed on their own.
    t.clock.now = new Date("2026-12-02T08:00:00Z");
    expect(await portfolioIds(t, "rep.paris@demo.test")).toEqual(expect.arrayContaining(normandieOrgs));
    const rouenNow = await portfolioIds(t, "rep.rouen@demo.test");
    expect(rouenNow.filter((id) => normandieOrgs.includes(id))).toEqual([]);
    const grandEst = (await db().organisation.findMany({ where: { region: "Grand Est", mergedIntoId: null }, select: { id: true } })).map((o) => o.id).sort();
    expect(rouenNow).toEqual(grandEst); // and the scheduled Grand Est assignment took effect too

    // 6. During the cover Rouen holds Lille's customers, and Lille gets them back after.
    t.clock.now = new Date("2026-12-12T08:00:00Z");
    expect(await portfolioIds(t, "rep.rouen@demo.test")).toEqual([...grandEst, ...lilleOrgs].sort());
    expect(await portfolioIds(t, "rep.lille@demo.test")).toEqual([]);
    t.clock.now = new Date("2026-12-21T08:00:00Z");
    expect(await portfolioIds(t, "rep.lille@demo.test")).toEqual(lilleOrgs);

    // 7. Orders credit the rep in charge on the order date (what the import computes): before the date, Rouen.
    await db().order.createMany({
      data: [
        { externalId: "wf4-ord-before", organisationId: customer, orderedAt: day("2026-11-25"), amount: new Prisma.Decimal("500.00"), repId: await repInCharge(customer, day("2026-11-25")) },
        { externalId: "wf4-ord-after", organisationId: customer, orderedAt: day("2026-12-05"), amount: new Prisma.Decimal("700.00"), repId: await repInCharge(customer, day("2026-12-05")) },
      ],
    });
    expect((await db().order.findUniqueOrThrow({ where: { externalId: "wf4-ord-before" } })).repId).toBe(rouen);
    expect((await db().order.findUniqueOrThrow({ where: { externalId: "wf4-ord-after" } })).repId).toBe(paris);

    // 8. Portfolio value by month comes from the history: November's Normandie revenue is Rouen's, December's Paris's.
    const value = async (email: string, repId: string) => {
      const response = await t.gql<Data, Record<string, unknown>>(
        `query($rep: ID!) { portfolioValue(repId: $rep, from: "2026-11-01", to: "2026-12-31") { month organisationCount trailingRevenue } }`,
        { rep: toGlobalId("User", repId) },
        await t.login(email),
      );
      expect(response.errors).toBeUndefined();
      return response.data!.portfolioValue as Data[];
    };
    const rouenValue = await value("rep.rouen@demo.test", rouen);
    const parisValue = await value("rep.paris@demo.test", paris);
    const normandieRevenue = async (from: Date, to: Date) =>
      ((await db().invoice.aggregate({ _sum: { amount: true }, where: { organisationId: { in: normandieOrgs }, invoicedAt: { gt: from, lte: to } } }))._sum.amount ?? new Prisma.Decimal(0));
    expect(rouenValue.map((m) => m.month)).toEqual(["2026-11-01", "2026-12-01"]);
    expect(rouenValue[0]!.organisationCount).toBe(normandieOrgs.length);
    expect(rouenValue[0]!.trailingRevenue).toBe((await normandieRevenue(day("2025-11-30"), day("2026-11-30"))).toFixed(2));
    expect(rouenValue[1]!.organisationCount).toBe(grandEst.length);
    expect(parisValue[1]!.organisationCount - parisValue[0]!.organisationCount).toBe(normandieOrgs.length);
  });
});

describe("who may read and change territories", () => {
  let t: TestServer;
  const db = () => t.database.prisma;
  const territoryGid = async (name: string) => toGlobalId("Territory", (await db().territory.findUniqueOrThrow({ where: { name } })).id);
  const userGid = async (email: string) => toGlobalId("User", (await db().user.findUniqueOrThrow({ where: { email } })).id);
  beforeAll(async () => {
    t = await startTestServer();
  }, 120_000);
  afterAll(() => t?.close());

  const ADD_EXCLUSION = `mutation($input: SetTerritoryExceptionInput!) { setTerritoryException(input: $input) { territory { name } recomputedOrganisations } }`;

  it("a rep reads the territories they hold and their own assignment history only", async () => {
    const token = await t.login("rep.lille@demo.test");
    const territories = await t.gql<Data, Record<string, unknown>>(`{ territories { totalCount edges { node { name rules { region postalCodePrefixes validTo } } } } }`, {}, token);
    expect(territories.errors).toBeUndefined();
    expect(territories.data!.territories.edges.map((e: Data) => e.node.name)).toEqual(["Hauts-de-France"]);
    expect(territories.data!.territories.edges[0].node.rules).toEqual([
      { region: null, postalCodePrefixes: ["59", "62", "80", "02"], validTo: "2026-05-15" },
      { region: "Hauts-de-France", postalCodePrefixes: [], validTo: null },
    ]);
    const lille = (await db().user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } })).id;
    const history = await t.gql<Data, Record<string, unknown>>(`{ me { assignmentHistory(first: 200) { totalCount edges { node { rep { email } } } } } }`, {}, token);
    expect(history.errors).toBeUndefined();
    expect(history.data!.me.assignmentHistory.totalCount).toBe(await db().organisationAssignment.count({ where: { repId: lille } }));
    // Beauvais's history has Paris then Lille; the Lille rep sees only her own period
    const beauvais = await db().organisation.findFirstOrThrow({ where: { city: "Beauvais", mergedIntoId: null } });
    const query = `query($id: ID!) { organisation(id: $id) { assignmentHistory { edges { node { validFrom validTo rep { email } } } } } }`;
    const asLille = await t.gql<Data, Record<string, unknown>>(query, { id: toGlobalId("Organisation", beauvais.id) }, token);
    expect(asLille.data!.organisation.assignmentHistory.edges.map((e: Data) => e.node)).toEqual([
      { validFrom: "2026-05-15", validTo: null, rep: { email: "rep.lille@demo.test" } },
    ]);
    const asHeadOffice = await t.gql<Data, Record<string, unknown>>(query, { id: toGlobalId("Organisation", beauvais.id) }, await t.login("head.office@demo.test"));
    expect(asHeadOffice.data!.organisation.assignmentHistory.edges.map((e: Data) => e.node.rep.email)).toEqual(["rep.lille@demo.test", "rep.paris@demo.test"]);
    // another rep's history is empty for her, and coverage is closed
    const parisHistory = await t.gql<Data, Record<string, unknown>>(
      `query($id: ID!) { node(id: $id) { ... on User { assignmentHistory { totalCount } } } }`,
      { id: await userGid("rep.paris@demo.test") },
      token,
    );
    expect(parisHistory.data?.node?.assignmentHistory?.totalCount ?? 0).toBe(0);
    expect(errorCodes(await t.gql(COVERAGE, {}, token))).toEqual(["FORBIDDEN"]);
  });

  it("a manager acts on their team's territories only; reps, stewards and partners change nothing", async () => {
    const normandieOrg = await db().organisation.findFirstOrThrow({ where: { region: "Normandie", mergedIntoId: null } });
    const input = async (territory: string) => ({
      territoryId: await territoryGid(territory),
      organisationId: toGlobalId("Organisation", normandieOrg.id),
      mode: "EXCLUDE",
      validFrom: "2027-01-01",
    });
    const auditsBefore = await db().auditEvent.count({ where: { entity: "TerritoryException" } });
    // South manager: Normandie is not their team's → NOT_FOUND; nothing written
    expect(errorCodes(await t.gql(ADD_EXCLUSION, { input: await input("Normandie") }, await t.login("manager.south@demo.test")))).toEqual(["NOT_FOUND"]);
    // North manager cannot hand a North territory to a South rep
    const assignSouth = await t.gql(
      `mutation($input: AssignTerritoryInput!) { assignTerritory(input: $input) { territory { name } } }`,
      { input: { territoryId: await territoryGid("Normandie"), repId: await userGid("rep.lyon@demo.test"), kind: "TEMPORARY", validFrom: "2027-01-01", validTo: "2027-01-10" } },
      await t.login("manager.north@demo.test"),
    );
    expect(errorCodes(assignSouth)).toEqual(["NOT_FOUND"]);
    for (const email of ["rep.rouen@demo.test", "data.steward@demo.test"]) {
      expect(errorCodes(await t.gql(ADD_EXCLUSION, { input: await input("Normandie") }, await t.login(email)))).toEqual(["FORBIDDEN"]);
    }
    const issued = await t.gql<Data, Record<string, unknown>>(
      `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
      { input: { kind: "PARTNER", name: "partner normandie", scopes: ["visits:write", "contacts:write"], territoryIds: [await territoryGid("Normandie")], expiresAt: "2026-12-10T00:00:00Z" } },
      await t.login("head.office@demo.test"),
    );
    const partnerToken = issued.data!.issueApiToken.token;
    expect(errorCodes(await t.gql(ADD_EXCLUSION, { input: await input("Normandie") }, partnerToken))).toEqual(["FORBIDDEN"]);
    expect(await db().territoryException.count()).toBe(0);
    expect(await db().auditEvent.count({ where: { entity: "TerritoryException" } })).toBe(auditsBefore);

    // The North manager may: audited, and the organisation leaves the territory on the date
    const ok = await t.gql<Data, Record<string, unknown>>(ADD_EXCLUSION, { input: await input("Normandie") }, await t.login("manager.north@demo.test"));
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.setTerritoryException).toEqual({ territory: { name: "Normandie" }, recomputedOrganisations: 1 });
    expect(await db().auditEvent.count({ where: { entity: "TerritoryException" } })).toBe(auditsBefore + 1);
    const after = await db().organisationAssignment.findMany({ where: { organisationId: normandieOrg.id, ...inForce(day("2027-01-01")) } });
    expect(after).toEqual([]);
    expect(await db().organisationAssignment.count({ where: { organisationId: normandieOrg.id, ...inForce(DAY) } })).toBe(1);
  });

  it("portfolio steering: selection by category and segment; the manager plans visits, audited", async () => {
    const rouen = (await db().user.findUniqueOrThrow({ where: { email: "rep.rouen@demo.test" } })).id;
    const expected = (
      await db().organisation.findMany({
        where: { mergedIntoId: null, category: "MAINTAIN", segment: { in: ["GOLD", "SILVER"] }, assignments: { some: { repId: rouen, ...inForce(DAY) } } },
        select: { id: true },
      })
    ).map((o) => o.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    const selected = await ids(t, "rep.rouen@demo.test", `{ portfolio(category: [MAINTAIN], segment: [GOLD, SILVER], first: 200) { edges { node { id } } } }`, (d) => d.portfolio);
    expect(selected).toEqual(expected);
    // another rep's portfolio is not hers to read
    const other = await t.gql(`query($rep: ID!) { portfolio(repId: $rep) { totalCount } }`, { rep: await userGid("rep.lyon@demo.test") }, await t.login("rep.rouen@demo.test"));
    expect(errorCodes(other)).toEqual(["NOT_FOUND"]);

    const SET = `mutation($input: SetPlannedVisitsInput!) { setPlannedVisits(input: $input) { organisation { id plannedVisitsPerYear } } }`;
    const input = { organisationId: toGlobalId("Organisation", expected[0]!), plannedVisitsPerYear: 6 };
    expect(errorCodes(await t.gql(SET, { input }, await t.login("rep.rouen@demo.test")))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await t.gql(SET, { input }, await t.login("manager.south@demo.test")))).toEqual(["NOT_FOUND"]);
    const ok = await t.gql<Data, Record<string, unknown>>(SET, { input }, await t.login("manager.north@demo.test"));
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.setPlannedVisits.organisation.plannedVisitsPerYear).toBe(6);
    expect((await db().organisation.findUniqueOrThrow({ where: { id: expected[0]! } })).plannedVisitsPerYear).toBe(6);
    expect(await db().auditEvent.count({ where: { entity: "Organisation", entityId: expected[0]!, action: "setPlannedVisits" } })).toBe(1);
    // with the organisation's version: a stale one is CONFLICT and changes nothing
    const { version } = await db().organisation.findUniqueOrThrow({ where: { id: expected[0]! } });
    const manager = await t.login("manager.north@demo.test");
    expect(errorCodes(await t.gql(SET, { input: { ...input, plannedVisitsPerYear: 9, version: version - 1 } }, manager))).toEqual(["CONFLICT"]);
    expect((await db().organisation.findUniqueOrThrow({ where: { id: expected[0]! } })).plannedVisitsPerYear).toBe(6);
    const current = await t.gql<Data, Record<string, unknown>>(SET, { input: { ...input, plannedVisitsPerYear: 9, version } }, manager);
    expect(current.data!.setPlannedVisits.organisation.plannedVisitsPerYear).toBe(9);
  });

  it("changes cannot rewrite the past", async () => {
    const response = await t.gql(
      `mutation($input: AddTerritoryRuleInput!) { addTerritoryRule(input: $input) { territory { name } } }`,
      { input: { territoryId: await territoryGid("Normandie"), postalCodePrefixes: ["27"], validFrom: "2026-01-01" } },
      await t.login("head.office@demo.test"),
    );
    expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
  });
});
