// Where two fields express one rule, they answer the same on the same data. Each pair below was once two
// definitions that drifted: the visit plan's `overdue` and the organisation dashboard's overdue
// organisations (the plan showed 2 where the dashboard showed 10 for one rep: never-visited organisations were
// "due today" in one and overdue in the other, and the dashboard ignored an organisation's own planned visits).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;

let t: TestServer;
let headOffice: string;
const reps: { id: string; email: string }[] = [];

beforeAll(async () => {
  t = await startTestServer();
  headOffice = await t.login("head.office@demo.test");
  reps.push(...(await t.database.prisma.user.findMany({ where: { role: "REP" }, select: { id: true, email: true }, orderBy: { email: "asc" } })));
  // an organisation's own planned visits per year decide its rhythm over the policy: give one such figure
  // to an organisation of each rep, visited long ago, so that both definitions must read it
  for (const rep of reps) {
    const charge = await t.database.prisma.organisationAssignment.findFirst({ where: { repId: rep.id, validTo: null }, orderBy: { organisationId: "asc" } });
    if (charge) await t.database.prisma.organisation.update({ where: { id: charge.organisationId }, data: { plannedVisitsPerYear: 52 } });
  }
});
afterAll(async () => t?.close());

async function planOverdue(repId: string): Promise<{ total: number; ids: string[] }> {
  const ids: string[] = [];
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const response: Data = await t.gql<Data, Data>(
      `query($rep: ID!, $after: String) { visitPlan(rep: $rep, overdue: true, first: 200, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { organisation { id } overdue } } } }`,
      { rep: toGlobalId("User", repId), after },
      headOffice,
    );
    expect(response.errors).toBeUndefined();
    const plan = response.data.visitPlan;
    total = plan.totalCount;
    for (const edge of plan.edges) {
      expect(edge.node.overdue).toBe(true);
      ids.push(edge.node.organisation.id);
    }
    if (!plan.pageInfo.hasNextPage) return { total, ids };
    after = plan.pageInfo.endCursor;
  }
}

describe("overdue organisations", () => {
  it("the visit plan and the organisation dashboard agree for every rep", async () => {
    let overdueSeen = 0;
    for (const rep of reps) {
      const plan = await planOverdue(rep.id);
      const dashboard: Data = await t.gql<Data, Data>(
        `query($scope: DashboardScopeInput) { organisationDashboard(scope: $scope) { overdueOrganisations { total items { organisationId } } } }`,
        { scope: { kind: "REP", id: toGlobalId("User", rep.id) } },
        headOffice,
      );
      expect(dashboard.errors).toBeUndefined();
      const listed = dashboard.data.organisationDashboard.overdueOrganisations;
      expect(listed.total, rep.email).toBe(plan.total);
      expect(plan.ids.length, rep.email).toBe(plan.total);
      for (const item of listed.items) expect(plan.ids, rep.email).toContain(item.organisationId);
      overdueSeen += plan.total;
    }
    expect(overdueSeen).toBeGreaterThan(0);
  });
});
