// Composable filters on the organisations list: AND / OR / NOT of the existing conditions, at most 5 levels,
// always inside the viewer's row scope. A seeded fuzz compares the API's answer with the same predicate applied
// in JavaScript to the principal's whole unfiltered list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { principalTokens } from "../support/principals.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";
import { randomFilterTree, seededRandom } from "../support/random.js";

interface Row { id: string; status: string; segment: string; category: string; address: { region: string | null } }
interface Filter { status?: string[]; segment?: string[]; category?: string[]; region?: string[]; assignedRepId?: string; AND?: Filter[]; OR?: Filter[]; NOT?: Filter }
interface ListData { organisations: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Row }[] } }

let t: TestServer;
let tokens: Map<string, string | undefined>;
const PRINCIPALS = ["rep", "manager", "head office"] as const;
const LIST = `query($filter: OrganisationFilter, $after: String) { organisations(first: 200, after: $after, filter: $filter) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id status segment category address { region } } } } }`;

async function list(principal: string, filter: Filter | null) {
  const rows: Row[] = [];
  let after: string | null = null;
  let totalCount = 0;
  do {
    const response: { data?: ListData | null; errors?: unknown[] } = await t.gql<ListData, Record<string, unknown>>(LIST, { filter, after }, tokens.get(principal));
    expect(response.errors).toBeUndefined();
    const page: ListData["organisations"] = response.data!.organisations;
    rows.push(...page.edges.map((edge) => edge.node));
    totalCount = page.totalCount;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return { rows, ids: rows.map((row) => row.id).sort(), totalCount };
}

const full = new Map<string, Row[]>();
let lyonRep: string;
let lilleRep: string;

beforeAll(async () => {
  t = await startTestServer();
  const db = t.database.prisma;
  lyonRep = toGlobalId("User", (await db.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id);
  lilleRep = toGlobalId("User", (await db.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } })).id);
  tokens = await principalTokens(t, {
    rep: { login: "rep.lyon@demo.test" },
    manager: { login: "manager.north@demo.test" },
    "head office": { login: "head.office@demo.test" },
  });
  for (const principal of PRINCIPALS) full.set(principal, (await list(principal, null)).rows);
});
afterAll(() => t?.close());

describe("composable organisation filters", () => {
  it("an OR cannot widen the row scope: a rep's branch on another rep's portfolio adds nothing", async () => {
    const own = await list("rep", { assignedRepId: lyonRep });
    const others = await list("head office", { assignedRepId: lilleRep });
    expect(own.ids.length).toBeGreaterThan(0);
    expect(others.ids.length).toBeGreaterThan(0); // the second branch does match rows, outside the rep's scope
    const either = await list("rep", { OR: [{ assignedRepId: lyonRep }, { assignedRepId: lilleRep }] });
    expect(either.ids).toEqual(own.ids);
    expect(either.totalCount).toBe(own.ids.length);
    expect(either.ids.filter((id) => others.ids.includes(id))).toEqual([]);
  });

  it("NOT excludes what its filter matches, within the scope", async () => {
    const all = full.get("head office")!;
    const prospects = all.filter((row) => row.status === "PROSPECT").map((row) => row.id);
    expect(prospects.length).toBeGreaterThan(0);
    const notProspect = await list("head office", { NOT: { status: ["PROSPECT"] } });
    expect(notProspect.ids).toEqual(all.filter((row) => row.status !== "PROSPECT").map((row) => row.id).sort());
    expect(notProspect.totalCount).toBe(all.length - prospects.length);
  });

  it("5 levels of AND / OR / NOT are accepted, 6 are BAD_USER_INPUT naming the limit", async () => {
    const nest = (levels: number): Filter => (levels === 0 ? { status: ["PROSPECT"] } : levels % 2 ? { NOT: nest(levels - 1) } : { AND: [nest(levels - 1)] });
    const five = await t.gql<ListData, Record<string, unknown>>(LIST, { filter: nest(5) }, tokens.get("rep"));
    expect(five.errors).toBeUndefined();
    const six = await t.gql<ListData, Record<string, unknown>>(LIST, { filter: nest(6) }, tokens.get("rep"));
    expect(errorCodes(six)).toEqual(["BAD_USER_INPUT"]);
    expect(six.errors![0]!.message).toContain("at most 5 levels");
    expect(six.data?.organisations ?? null).toBeNull();
  });

  it("fuzz: 30 random AND / OR / NOT trees give, for every principal, the JavaScript predicate over the full list", async () => {
    const random = seededRandom(20);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const some = <T>(values: readonly T[]): T[] => [...new Set([pick(values), pick(values)])];
    const everyone = [...full.values()].flat();
    const valuesOf = (key: (row: Row) => string | null) => [...new Set(everyone.map(key).filter((v): v is string => v !== null))].sort();
    const domains = {
      status: valuesOf((row) => row.status),
      segment: valuesOf((row) => row.segment),
      category: valuesOf((row) => row.category),
      region: valuesOf((row) => row.address.region),
    };
    const condition = (): Filter => {
      const key = pick(Object.keys(domains) as (keyof typeof domains)[]);
      return { [key]: some(domains[key]) };
    };
    const holds = (filter: Filter, row: Row): boolean =>
      (!filter.status || filter.status.includes(row.status)) &&
      (!filter.segment || filter.segment.includes(row.segment)) &&
      (!filter.category || filter.category.includes(row.category)) &&
      (!filter.region || (row.address.region !== null && filter.region.includes(row.address.region))) &&
      (!filter.AND || filter.AND.every((sub) => holds(sub, row))) &&
      (!filter.OR || filter.OR.some((sub) => holds(sub, row))) &&
      (!filter.NOT || !holds(filter.NOT, row));

    let nonEmpty = 0;
    for (let i = 0; i < 30; i += 1) {
      const filter = randomFilterTree(random, condition);
      for (const principal of PRINCIPALS) {
        const expected = full.get(principal)!.filter((row) => holds(filter, row)).map((row) => row.id).sort();
        const actual = await list(principal, filter);
        expect(actual.ids, `${principal}: ${JSON.stringify(filter)}`).toEqual(expected);
        expect(actual.totalCount).toBe(expected.length);
        if (expected.length > 0 && expected.length < full.get(principal)!.length) nonEmpty += 1;
      }
    }
    expect(nonEmpty).toBeGreaterThan(20); // the trees discriminate: most answers are neither empty nor everything
  });
});
