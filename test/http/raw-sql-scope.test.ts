// The raw-SQL readers (visit plan, data-health dashboard, timeline) read the row scope as SQL, the lists
// read it as a Prisma `where`: both come from one definition (src/auth/scope), and here every principal
// counts the same rows through both. A copy of the scope that drifted in one of them makes its count differ.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;

const DAY = new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), TODAY.getUTCDate()));
const inForce = { validFrom: { lte: DAY }, OR: [{ validTo: null }, { validTo: { gt: DAY } }] };

let t: TestServer;
const principals = new Map<string, string>();
/** organisations whose timelines are compared: a few of the Lille rep's portfolio */
let organisationIds: string[] = [];

const gql = async (token: string, query: string, variables: Data = {}) => {
  const response = await t.gql<Data, Data>(query, variables, token);
  expect(response.errors, query).toBeUndefined();
  return response.data!;
};

beforeAll(async () => {
  t = await startTestServer();
  for (const email of ["rep.lille@demo.test", "rep.lyon@demo.test", "manager.north@demo.test", "head.office@demo.test", "data.steward@demo.test"]) {
    principals.set(email.split("@")[0]!, await t.login(email));
  }
  const p = t.database.prisma;
  const lille = await p.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } });
  const charges = await p.organisationAssignment.findMany({ where: { ...inForce, repId: lille.id, territoryId: { not: null } }, orderBy: { organisationId: "asc" } });
  organisationIds = [...new Set(charges.map((c) => c.organisationId))].slice(0, 4);
  const territoryId = charges[0]!.territoryId!;
  const headOffice = principals.get("head.office")!;
  for (const scopes of [["visits:write", "contacts:read"], ["opportunities:read"]]) {
    const issued = await gql(headOffice, `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`, {
      input: { kind: "PARTNER", name: `partner ${scopes.join(" ")}`, scopes, territoryIds: [toGlobalId("Territory", territoryId)], expiresAt: new Date(TODAY.getTime() + 30 * 86_400_000).toISOString() },
    });
    principals.set(`partner ${scopes.join(" ")}`, issued.issueApiToken.token);
  }
});
afterAll(async () => t?.close());

describe("the same rows through SQL and through Prisma", () => {
  it("visit plan (SQL) = the portfolio's live organisations (Prisma), for reps and managers", async () => {
    for (const label of ["rep.lille", "rep.lyon", "manager.north"]) {
      const token = principals.get(label)!;
      const plan = await gql(token, `{ visitPlan(first: 0) { totalCount } }`);
      const listed = await gql(token, `{ organisations(first: 0, filter: { status: [PROSPECT, CLIENT, INACTIVE] }) { totalCount } }`);
      expect(plan.visitPlan.totalCount, label).toBe(listed.organisations.totalCount);
      expect(plan.visitPlan.totalCount, label).toBeGreaterThan(0);
    }
  });

  it("data-health contacts (SQL) = the contacts list (Prisma), for every principal who may ask", async () => {
    for (const label of ["rep.lille", "rep.lyon", "manager.north", "head.office", "data.steward"]) {
      const token = principals.get(label)!;
      const health = await gql(token, `{ dataHealthDashboard { currentContacts { denominator } } }`);
      const listed = await gql(token, `{ contacts(first: 0, filter: { includeLeft: true }) { totalCount } }`);
      expect(health.dataHealthDashboard.currentContacts.denominator, label).toBe(listed.contacts.totalCount);
    }
  });

  it("timeline items of each kind (SQL) = the entity's own list for that organisation (Prisma), for every principal", async () => {
    const lists: Record<string, string> = {
      VISIT: `query($id: ID!) { organisation(id: $id) { visits(first: 200) { edges { node { id } } } } }`,
      TASK: `query($id: ID!) { tasks(first: 200, filter: { organisation: $id }) { edges { node { id } } } }`,
    };
    const idsOf = (data: Data): string[] => {
      const connection = data.organisation ? data.organisation.visits : data.tasks;
      return connection.edges.map((edge: Data) => edge.node.id).sort();
    };
    let compared = 0;
    for (const [label, token] of principals) {
      for (const organisationId of organisationIds) {
        const id = toGlobalId("Organisation", organisationId);
        const response = await t.gql<Data, Data>(`query($id: ID!) { organisation(id: $id) { timeline(first: 200) { edges { node { kind subjectId } } } } }`, { id }, token);
        if (!response.data?.organisation) continue; // outside this principal's scope
        const items = response.data.organisation.timeline.edges.map((edge: Data) => edge.node);
        for (const [kind, query] of Object.entries(lists)) {
          const shown = items.filter((item: Data) => item.kind === kind).map((item: Data) => item.subjectId).sort();
          const listed = await t.gql<Data, Data>(query, { id }, token);
          // a principal the entity refuses gets no item of that kind on the timeline either
          const expected = listed.errors ? [] : idsOf(listed.data!);
          expect(shown, `${label}: ${kind} of ${organisationId}`).toEqual(expected);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(20);
  });
});
