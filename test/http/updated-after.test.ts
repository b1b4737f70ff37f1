// `updatedAfter` on the filtered lists without AND / OR / NOT: the rows of the viewer's list changed strictly
// after the instant, as the database records their change times.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../src/db/generated/client.js";
import { parseGlobalId } from "../../src/graphql/relay.js";
import { startTestServer, type TestServer } from "../support/server.js";

/** list → its Prisma model (table) and its filter input type */
const LISTS = {
  incidents: { table: "Incident", filter: "IncidentFilter" },
  actionPlans: { table: "ActionPlan", filter: "ActionPlanFilter" },
  announcements: { table: "Announcement", filter: "AnnouncementFilter" },
  leads: { table: "Lead", filter: "LeadFilter" },
  materialRequests: { table: "MaterialRequest", filter: "MaterialRequestFilter" },
  objectives: { table: "Objective", filter: "ObjectiveFilter" },
  organisationRequests: { table: "OrganisationRequest", filter: "OrganisationRequestFilter" },
} as const;

let t: TestServer;
let head: string;

beforeAll(async () => {
  t = await startTestServer({ env: { RATE_LIMIT_POINTS: "1000000000" } });
  head = await t.login("head.office@demo.test");
  // the demo data has no action plans nor material requests
  const db = t.database.prisma;
  const [rep, organisations] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } }),
    db.organisation.findMany({ orderBy: { name: "asc" }, take: 6, select: { id: true } }),
  ]);
  await db.actionPlan.createMany({ data: organisations.map((organisation, i) => ({ objective: `Plan ${i}`, organisationId: organisation.id, repId: rep.id })) });
  await db.materialRequest.createMany({ data: organisations.map((organisation) => ({ organisationId: organisation.id, repId: rep.id, requestedById: rep.id, items: [{ item: "Display", quantity: 1 }] })) });
  // one change time per row, an hour apart, so that a cut-off splits each list
  for (const { table } of Object.values(LISTS)) {
    await t.database.prisma.$executeRaw`UPDATE ${Prisma.raw(`"${table}"`)} AS r SET "updatedAt" = TIMESTAMP '2026-01-01 00:00:00' + s.n * INTERVAL '1 hour'
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM ${Prisma.raw(`"${table}"`)}) AS s WHERE r.id = s.id`;
  }
});
afterAll(() => t?.close());

async function ids(list: keyof typeof LISTS, filter: Record<string, unknown> | null): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  do {
    const response: { data?: Record<string, { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string } }[] }> | null; errors?: unknown[] } = await t.gql(
      `query($filter: ${LISTS[list].filter}, $after: String) { ${list}(first: 200, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
      { filter, after },
      head,
    );
    expect(response.errors, `${list}: ${JSON.stringify(response.errors)}`).toBeUndefined();
    const page = response.data![list]!;
    seen.push(...page.edges.map((edge) => parseGlobalId(edge.node.id)!.id));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return seen.sort();
}

describe("updatedAfter", () => {
  it.each(Object.keys(LISTS) as (keyof typeof LISTS)[])("%s: the rows changed strictly after the instant", async (list) => {
    const all = await ids(list, null);
    expect(all.length).toBeGreaterThan(1);
    const changed = await t.database.prisma.$queryRaw<{ id: string; updatedAt: Date }[]>`SELECT id::text AS id, "updatedAt" FROM ${Prisma.raw(`"${LISTS[list].table}"`)}`;
    const changedAt = new Map(changed.map((row) => [row.id, row.updatedAt.getTime()]));
    const times = all.map((id) => changedAt.get(id)!).sort((a, b) => a - b);
    const cutoff = times[Math.floor(times.length / 2)]!; // a row changed exactly then is left out: strictly after
    const expected = all.filter((id) => changedAt.get(id)! > cutoff);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(await ids(list, { updatedAfter: new Date(cutoff).toISOString() })).toEqual(expected);
  });
});
