// Composable filters (AND / OR / NOT, updatedAfter) on the contacts, opportunities, visits and tasks lists:
// per list, an OR cannot widen the viewer's row scope, and a seeded fuzz compares the API's answer with the
// same predicate applied in JavaScript to the principal's whole list, for a rep, a manager, head office and a
// partner token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGlobalId, toGlobalId } from "../../src/graphql/relay.js";
import { principalTokens } from "../support/principals.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { randomFilterTree, seededRandom } from "../support/random.js";

type Row = Record<string, unknown> & { id: string };
type Filter = Record<string, unknown> & { AND?: Filter[]; OR?: Filter[]; NOT?: Filter };

/** One filter field: the row's value it tests (null: the row has none), how a test value is drawn, whether it holds. */
interface Condition {
  value: (row: Row) => string | string[] | boolean | null;
  /** a list argument (any of), a single value, or a boolean */
  kind: "any" | "one" | "flag";
  holds: (argument: unknown, row: Row) => boolean;
}

interface ListSpec {
  list: string;
  filterType: string;
  selection: string;
  /** the filter that lists everything a principal may see (contacts: including the people who left) */
  everything: Filter | null;
  /** the filter field naming the row's organisation (for the scope test) */
  organisationField: string;
  conditions: Record<string, Condition>;
  /** what the outermost filter adds to the tree's predicate (contacts: includeLeft) */
  root?: { draw: (random: () => number) => Filter; holds: (filter: Filter, row: Row) => boolean };
  principals: readonly string[];
  /** the rows' links as stored, where the API shows null for what the viewer may not see (a task's organisation elsewhere) */
  stored?: (db: TestServer["database"]["prisma"], rows: Row[]) => Promise<Row[]>;
}

const fromGlobalId = (globalId: string) => parseGlobalId(globalId)!.id;
const idOf = (key: string) => (row: Row) => (row[key] as { id: string } | null)?.id ?? null;
const isIn = (value: (row: Row) => unknown) => (argument: unknown, row: Row) => (argument as unknown[]).includes(value(row));
const equals = (value: (row: Row) => unknown) => (argument: unknown, row: Row) => value(row) === argument;
const field = (key: string) => (row: Row) => (row[key] as string | boolean | null) ?? null;
const one = (value: (row: Row) => string | null): Condition => ({ value, kind: "one", holds: equals(value) });
const any = (value: (row: Row) => string | null): Condition => ({ value, kind: "any", holds: isIn(value) });
const flag = (key: string): Condition => ({ value: field(key), kind: "flag", holds: (argument, row) => row[key] === argument });
/** a bound on a date or an instant (ISO strings compare as they sort); rows without a value never match */
const bound = (key: string, test: (value: number, argument: number) => boolean): Condition => ({
  value: field(key) as (row: Row) => string | null,
  kind: "one",
  holds: (argument, row) => row[key] != null && test(Date.parse(row[key] as string), Date.parse(argument as string)),
});
const updatedAfter = bound("updatedAt", (value, argument) => value > argument);

const EVERYONE = ["rep", "manager", "head office", "partner"] as const;

const LISTS: ListSpec[] = [
  {
    list: "contacts",
    filterType: "ContactFilter",
    selection: "id organisation { id } roles hasLeft updatedAt",
    everything: { includeLeft: true },
    organisationField: "organisationId",
    conditions: {
      organisationId: one(idOf("organisation")),
      roles: { value: (row) => row.roles as string[], kind: "any", holds: (argument, row) => (row.roles as string[]).some((role) => (argument as string[]).includes(role)) },
      updatedAfter,
    },
    root: { draw: (random) => (random() < 0.5 ? { includeLeft: true } : {}), holds: (filter, row) => filter.includeLeft === true || row.hasLeft === false },
    principals: EVERYONE,
  },
  {
    list: "opportunities",
    filterType: "OpportunityFilter",
    selection: "id status stage { id } owner { id } organisation { id } expectedCloseDate isStale updatedAt",
    everything: null,
    organisationField: "organisation",
    conditions: {
      status: any(field("status") as (row: Row) => string),
      stage: any(idOf("stage")),
      owner: one(idOf("owner")),
      organisation: one(idOf("organisation")),
      closingBefore: bound("expectedCloseDate", (value, argument) => value < argument),
      closingAfter: bound("expectedCloseDate", (value, argument) => value >= argument),
      stale: flag("isStale"),
      updatedAfter,
    },
    principals: EVERYONE,
  },
  {
    list: "visits",
    filterType: "VisitFilter",
    selection: "id rep { id } organisation { id } status plannedAt isLate updatedAt",
    everything: null,
    organisationField: "organisation",
    conditions: {
      rep: one(idOf("rep")),
      organisation: one(idOf("organisation")),
      status: any(field("status") as (row: Row) => string),
      from: bound("plannedAt", (value, argument) => value >= argument),
      to: bound("plannedAt", (value, argument) => value < argument),
      late: flag("isLate"),
      updatedAfter,
    },
    principals: EVERYONE,
  },
  {
    list: "tasks",
    filterType: "TaskFilter",
    selection: "id assignee { id } status kind dueDate organisation { id } opportunity { id } visit { id } actionPlan { id } updatedAt",
    everything: null,
    organisationField: "organisation",
    conditions: {
      assignee: one(idOf("assignee")),
      status: any(field("status") as (row: Row) => string),
      kind: any(field("kind") as (row: Row) => string),
      dueBefore: bound("dueDate", (value, argument) => value <= argument),
      dueAfter: bound("dueDate", (value, argument) => value >= argument),
      organisation: one(idOf("organisation")),
      opportunity: one(idOf("opportunity")),
      visit: one(idOf("visit")),
      actionPlan: one(idOf("actionPlan")),
      updatedAfter,
    },
    principals: ["rep", "manager", "head office"],
    stored: async (db, rows) => {
      const links = new Map((await db.task.findMany({ where: { id: { in: rows.map((row) => fromGlobalId(row.id)) } } })).map((task) => [task.id, task]));
      const ref = (type: string, id: string | null) => (id ? { id: toGlobalId(type, id) } : null);
      return rows.map((row) => {
        const task = links.get(fromGlobalId(row.id))!;
        return {
          ...row,
          assignee: ref("User", task.assigneeId),
          organisation: ref("Organisation", task.organisationId),
          opportunity: ref("Opportunity", task.opportunityId),
          visit: ref("Visit", task.visitId),
          actionPlan: ref("ActionPlan", task.actionPlanId),
        };
      });
    },
  },
];


let t: TestServer;
let tokens: Map<string, string | undefined>;
/** list → principal → every row the principal may see */
const full = new Map<string, Map<string, Row[]>>();

interface ListData {
  [list: string]: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Row }[] };
}

async function list(spec: ListSpec, principal: string, filter: Filter | null) {
  const query = `query($filter: ${spec.filterType}, $after: String) { ${spec.list}(first: 200, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${spec.selection} } } } }`;
  const rows: Row[] = [];
  let after: string | null = null;
  let totalCount = 0;
  do {
    const response: { data?: ListData | null; errors?: unknown[] } = await t.gql<ListData, Record<string, unknown>>(query, { filter, after }, tokens.get(principal));
    expect(response.errors, `${spec.list} for ${principal}: ${JSON.stringify(filter)}: ${JSON.stringify(response.errors)}`).toBeUndefined();
    const page: ListData[string] = response.data![spec.list]!;
    rows.push(...page.edges.map((edge) => edge.node));
    totalCount = page.totalCount;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return { rows, ids: rows.map((row) => row.id).sort(), totalCount };
}

beforeAll(async () => {
  t = await startTestServer({ env: { RATE_LIMIT_POINTS: "1000000000" } });
  const db = t.database.prisma;
  // a partner sees the organisations it was given: some with contacts, deals and visits
  const partnerOrganisations = await db.organisation.findMany({
    where: { contacts: { some: {} }, opportunities: { some: {} }, visits: { some: {} } },
    orderBy: { name: "asc" },
    take: 6,
    select: { id: true },
  });
  // the demo data has no tasks: a seeded spread over assignees, links and due dates (some without)
  const random = seededRandom(818);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const maybe = <T>(values: readonly T[]): T | null => (random() < 0.3 ? null : pick(values));
  const [users, organisations, opportunities, visits] = await Promise.all([
    db.user.findMany({ where: { role: { in: ["REP", "MANAGER"] } }, orderBy: { email: "asc" }, select: { id: true } }),
    db.organisation.findMany({ orderBy: { name: "asc" }, take: 60, select: { id: true } }),
    db.opportunity.findMany({ orderBy: { name: "asc" }, take: 30, select: { id: true } }),
    db.visit.findMany({ orderBy: { plannedAt: "asc" }, take: 30, select: { id: true } }),
  ]);
  await db.task.createMany({
    data: Array.from({ length: 240 }, (_, i) => ({
      kind: pick(["CALL", "EMAIL", "DEMO", "FOLLOW_UP"] as const),
      title: `Task ${i}`,
      status: pick(["OPEN", "OPEN", "DONE", "CANCELLED"] as const),
      dueDate: random() < 0.25 ? null : new Date(Date.UTC(2026, 9 + Math.floor(random() * 3), 1 + Math.floor(random() * 28))),
      assigneeId: maybe(users)?.id ?? null,
      organisationId: maybe(organisations)?.id ?? null,
      opportunityId: random() < 0.3 ? pick(opportunities).id : null,
      visitId: random() < 0.3 ? pick(visits).id : null,
    })),
  });
  tokens = await principalTokens(t, {
    rep: { login: "rep.lyon@demo.test" },
    manager: { login: "manager.north@demo.test" },
    "head office": { login: "head.office@demo.test" },
    partner: {
      partner: ["organisations:read", "contacts:read", "opportunities:read", "visits:write"],
      organisationIds: partnerOrganisations.map((organisation) => toGlobalId("Organisation", organisation.id)),
    },
  });
  for (const spec of LISTS) {
    const byPrincipal = new Map<string, Row[]>();
    for (const principal of spec.principals) {
      const rows = (await list(spec, principal, spec.everything)).rows;
      byPrincipal.set(principal, spec.stored ? await spec.stored(db, rows) : rows);
    }
    full.set(spec.list, byPrincipal);
  }
});
afterAll(() => t?.close());

describe.each(LISTS)("composable $list filters", (spec) => {
  const holds = (filter: Filter, row: Row): boolean =>
    Object.entries(filter).every(([key, argument]) => {
      if (key === "AND") return (argument as Filter[]).every((sub) => holds(sub, row));
      if (key === "OR") return (argument as Filter[]).some((sub) => holds(sub, row));
      if (key === "NOT") return !holds(argument as Filter, row);
      const condition = spec.conditions[key];
      return condition ? condition.holds(argument, row) : true; // the root's own fields: spec.root
    });

  it.each(spec.principals.filter((principal) => principal !== "head office"))("an OR cannot widen the row scope (%s)", async (principal) => {
    const own = full.get(spec.list)!.get(principal)!;
    const everything = full.get(spec.list)!.get("head office")!;
    const organisation = idOf("organisation");
    const ownOrganisations = new Set(own.map(organisation));
    const inside = own.map(organisation).find((id) => id !== null);
    const outside = everything.map(organisation).find((id) => id !== null && !ownOrganisations.has(id));
    expect(inside).toBeDefined();
    expect(outside).toBeDefined(); // the second branch does match rows, outside the principal's scope
    const base = spec.everything ?? {};
    const mine = await list(spec, principal, { ...base, [spec.organisationField]: inside });
    const either = await list(spec, principal, { ...base, OR: [{ [spec.organisationField]: inside }, { [spec.organisationField]: outside }] });
    expect(mine.ids.length).toBeGreaterThan(0);
    expect(either.ids).toEqual(mine.ids);
    expect(either.totalCount).toBe(mine.ids.length);
    const anything = await list(spec, principal, { ...base, OR: [{ [spec.organisationField]: outside }, { NOT: { [spec.organisationField]: outside } }] });
    expect(anything.ids).toEqual(own.map((row) => row.id).sort());
  });

  it("fuzz: random AND / OR / NOT trees give, for every principal, the JavaScript predicate over the full list", async () => {
    const random = seededRandom(spec.list.length * 7919);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const everyone = [...full.get(spec.list)!.values()].flat();
    const keys = Object.keys(spec.conditions);
    // a value some row has (so that conditions match rows), drawn row-weighted
    const condition = (): Filter => {
      for (;;) {
        const key = pick(keys);
        const { value, kind } = spec.conditions[key]!;
        if (kind === "flag") return { [key]: random() < 0.5 };
        const drawn = [value(pick(everyone)), value(pick(everyone))].flat().filter((v): v is string => typeof v === "string");
        if (drawn.length === 0) continue;
        return { [key]: kind === "any" ? [...new Set(drawn)] : drawn[0] };
      }
    };

    let discriminating = 0;
    const trees = 20;
    for (let i = 0; i < trees; i += 1) {
      const filter = { ...randomFilterTree(random, condition), ...spec.root?.draw(random) };
      for (const principal of spec.principals) {
        const all = full.get(spec.list)!.get(principal)!;
        const expected = all.filter((row) => holds(filter, row) && (spec.root?.holds(filter, row) ?? true)).map((row) => row.id).sort();
        const actual = await list(spec, principal, filter);
        expect(actual.ids, `${principal}: ${JSON.stringify(filter)}`).toEqual(expected);
        expect(actual.totalCount).toBe(expected.length);
        if (expected.length > 0 && expected.length < all.length) discriminating += 1;
      }
    }
    // the trees discriminate: many answers are neither empty nor everything
    expect(discriminating).toBeGreaterThan(trees * spec.principals.length * 0.3);
  });
});
