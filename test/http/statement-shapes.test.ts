// Which statements the hot operations send (the benchmark's reads and writes), not only how many: each
// statement's verb and tables, in order, on a warm request (the token's state cached, as in production). A change that
// adds a round trip, reads a table twice or moves the audit out of the transaction shows here by name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordStatementText } from "../../src/db/statement-counter.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;

let t: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestServer({ env: { TOKEN_STATE_CACHE_MS: "60000", CONFIGURATION_CACHE_MS: "60000" } });
  recordStatementText(true);
  tokens.rep = await t.login("rep.lyon@demo.test");
  tokens.manager = await t.login("manager.south@demo.test");
  tokens.head = await t.login("head.office@demo.test");
});
afterAll(async () => {
  recordStatementText(false);
  await t?.close();
});

/**
 * The shapes of a warm request: one request before it, so the token's state is cached as in production.
 * Reads resolve sibling fields concurrently, so their statements come in no fixed order: compared sorted.
 * Writes run in one transaction, in order: compared as sent.
 */
async function shapesOf(who: string, query: string, variables?: Record<string, unknown>): Promise<string[]> {
  await t.gql<Data, Record<string, unknown>>(`{ me { id } }`, undefined, tokens[who]);
  const response = await t.gql<Data, Record<string, unknown>>(query, variables, tokens[who]);
  expect(response.errors).toBeUndefined();
  expect(response.statementShapes).toHaveLength(response.statements);
  // BEGIN and COMMIT reach the counter through some drivers' adapters (pg) and not others (PGlite)
  const shapes = response.statementShapes.filter((shape) => !TRANSACTION_CONTROL.has(shape));
  return query.trimStart().startsWith("mutation") ? shapes : shapes.sort();
}

const TRANSACTION_CONTROL = new Set(["BEGIN", "COMMIT", "ROLLBACK"]);

const REP_HOME = `query RepHome { organisations(first: 50) { edges { node { id name status segment category address { city postalCode }
  contacts(first: 1) { edges { node { id firstName lastName email phone roles } } }
  opportunities(first: 10) { edges { node { id name status amount probability expectedCloseDate stage { name } } } } } } } }`;
const ORGANISATION_PAGE = `query OrganisationPage($id: ID!) { organisation(id: $id) { id name legalId status category segment tags phone email
  address { street postalCode city region } parent { id name } assignedRep { id name }
  contacts(first: 50) { edges { node { id firstName lastName jobTitle email phone roles isPrimary } } }
  opportunities(first: 50) { edges { node { id name status amount probability weightedAmount expectedCloseDate stage { name } stageHistory { at amount probability } } } }
  timeline(first: 20) { edges { node { kind at title } } } } }`;
const PIPELINE_BOARD = `query PipelineBoard { opportunities(first: 200, filter: { status: [OPEN] }) { edges { node { id name amount probability weightedAmount expectedCloseDate
  stage { id name } organisation { id name address { city } } owner { id name } } } } }`;
const SEARCH = `query Search($text: String!) { organisations(first: 20, filter: { text: $text }) { edges { node { id name status address { city postalCode } } } } }`;

describe("statement shapes of the hot operations", () => {
  it("reads: rep home, organisation page, pipeline board, search", async () => {
    const home = await shapesOf("rep", REP_HOME);
    expect(home).toMatchInlineSnapshot(`
      [
        "SELECT Contact,Organisation,OrganisationAssignment",
        "SELECT Opportunity,Organisation,OrganisationAssignment",
        "SELECT Organisation,OrganisationAssignment",
        "SELECT PipelineStage",
      ]
    `);
    // ids are random per database: choose by name, an organisation in her charge with open deals
    const page = await t.database.prisma.organisation.findFirstOrThrow({
      where: { assignments: { some: { rep: { email: "rep.lyon@demo.test" }, validTo: null } }, opportunities: { some: { status: "OPEN" } } },
      orderBy: { name: "asc" },
    });
    expect(await shapesOf("rep", ORGANISATION_PAGE, { id: toGlobalId("Organisation", page.id) })).toMatchInlineSnapshot(`
      [
        "SELECT Contact,Organisation,OrganisationAssignment",
        "SELECT Opportunity,Organisation,OrganisationAssignment",
        "SELECT OpportunityStageChange",
        "SELECT Organisation,OrganisationAssignment",
        "SELECT OrganisationAssignment",
        "SELECT OrganisationRequest,Note,Contact,AuditEvent,Organisation,OrganisationAssignment,Visit,Opportunity,OpportunityStageChange,Quote,Order,Incident,Task",
        "SELECT User",
      ]
    `);
    expect(await shapesOf("manager", PIPELINE_BOARD)).toMatchInlineSnapshot(`
      [
        "SELECT Opportunity,Organisation,OrganisationAssignment",
        "SELECT Organisation,OrganisationAssignment",
        "SELECT User",
      ]
    `);
    expect(await shapesOf("head", SEARCH, { text: "bou" })).toMatchInlineSnapshot(`
      [
        "SELECT Organisation",
      ]
    `);
  });

  it("writes: update a contact, move a deal, report a visit — each change, its history and its audit in one transaction", async () => {
    const p = t.database.prisma;
    const lyon = await p.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } });
    // ids are random per database: rows chosen by what they hold
    const contact = await p.contact.findFirstOrThrow({
      where: { organisation: { assignments: { some: { repId: lyon.id, validTo: null } } } },
      orderBy: [{ lastName: "asc" }, { firstName: "asc" }, { createdAt: "asc" }],
    });
    expect(
      await shapesOf("rep", `mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id jobTitle version } } }`, {
        input: { id: toGlobalId("Contact", contact.id), version: contact.version, jobTitle: "Acheteur" },
      }),
    ).toMatchInlineSnapshot(`
      [
        "SELECT Contact,Organisation,OrganisationAssignment",
        "UPDATE Contact",
        "INSERT AuditEvent",
      ]
    `);

    const deal = await p.opportunity.findFirstOrThrow({ where: { ownerId: lyon.id, status: "OPEN" }, orderBy: [{ name: "asc" }, { createdAt: "asc" }] });
    const next = await p.pipelineStage.findFirstOrThrow({ where: { id: { not: deal.stageId }, isWon: false, isLost: false, active: true }, orderBy: { position: "asc" } });
    expect(
      await shapesOf("rep", `mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { id version probability stage { name } } } }`, {
        input: { id: toGlobalId("Opportunity", deal.id), version: deal.version, stageId: toGlobalId("PipelineStage", next.id) },
      }),
    ).toMatchInlineSnapshot(`
      [
        "SELECT Opportunity,Organisation,OrganisationAssignment",
        "UPDATE Opportunity",
        "INSERT OpportunityStageChange",
        "INSERT AuditEvent",
      ]
    `);

    const visit = await p.visit.findFirstOrThrow({ where: { repId: lyon.id, status: "PLANNED", organisationId: { not: null } }, orderBy: { plannedAt: "asc" } });
    expect(
      await shapesOf("rep", `mutation($input: ReportVisitInput!) { reportVisit(input: $input) { visit { id status version } followUpTasks { id } } }`, {
        input: { id: toGlobalId("Visit", visit.id), version: visit.version, outcome: "Commande probable", notes: "Compte rendu", followUpTasks: [{ kind: "FOLLOW_UP", title: "Relancer", dueDate: "2026-12-01" }] },
      }),
    ).toMatchInlineSnapshot(`
      [
        "SELECT Visit,Organisation,OrganisationRequest,OrganisationAssignment",
        "UPDATE Visit",
        "INSERT AuditEvent",
        "INSERT Task",
        "INSERT AuditEvent",
      ]
    `);
  });
});

describe("the configuration cache", () => {
  it("a stage head office changes on this instance is read at once, cache or not", async () => {
    const p = t.database.prisma;
    const lyon = await p.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } });
    const deal = await p.opportunity.findFirstOrThrow({ where: { ownerId: lyon.id, status: "OPEN" }, orderBy: [{ name: "asc" }, { createdAt: "desc" }] });
    const stage = await p.pipelineStage.findFirstOrThrow({ where: { id: { not: deal.stageId }, isWon: false, isLost: false, active: true }, orderBy: { position: "desc" } });
    const stageId = toGlobalId("PipelineStage", stage.id);
    const move = (version: number) =>
      t.gql<Data, Record<string, unknown>>(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { version probability } } }`, {
        input: { id: toGlobalId("Opportunity", deal.id), version, stageId },
      }, tokens.rep);
    // the stages are read into the cache, then head office changes one
    const read = await t.gql<Data, Record<string, unknown>>(`{ pipelineStages { id defaultProbability } }`, undefined, tokens.rep);
    expect(read.data!.pipelineStages.find((s: { id: string }) => s.id === stageId).defaultProbability).toBe(stage.defaultProbability);
    const changed = await t.gql<Data, Record<string, unknown>>(`mutation($id: ID!) { updatePipelineStage(input: { id: $id, defaultProbability: 33 }) { stage { defaultProbability } } }`, { id: stageId }, tokens.head);
    expect(changed.errors).toBeUndefined();
    const moved = await move(deal.version);
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.moveOpportunityStage.opportunity.probability).toBe(33);
    const closed = await t.gql<Data, Record<string, unknown>>(`mutation($id: ID!) { updatePipelineStage(input: { id: $id, active: false }) { stage { active } } }`, { id: stageId }, tokens.head);
    expect(closed.errors).toBeUndefined();
    const refused = await move(moved.data!.moveOpportunityStage.opportunity.version);
    expect(refused.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
  });
});
