// Multi-key orders on the main lists: several keys, each with a direction and, on a column that may be empty,
// nulls first or last; the id sorts last. Paging through with cursors gives the sequence of one sorted
// JavaScript array of the whole list; a cursor only pages on in the order it was built for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";
import { principalTokens } from "../support/principals.js";
import { parseGlobalId } from "../../src/graphql/relay.js";
import { seededRandom } from "../support/random.js";

type Row = Record<string, unknown> & { id: string };
type Value = number | string | null;
interface Key { field: string; direction: "ASC" | "DESC"; nulls?: "FIRST" | "LAST" }

/** An order field: the row's value, its kind (text sorts as the database collates it), and where its nulls go by default. */
interface OrderField {
  value: (row: Row) => string | null;
  kind: "text" | "instant" | "number";
  /** for a field that may be empty: "database" (last ascending, first descending) or always last */
  nulls?: "database" | "LAST";
}

interface ListSpec {
  list: string;
  selection: string;
  fields: Record<string, OrderField>;
  /** the order without orderBy */
  fallback: Key;
}

const at = (key: string) => (row: Row) => (row[key] as string | null) ?? null;
const instant = (key: string): OrderField => ({ value: at(key), kind: "instant" });

const LISTS: ListSpec[] = [
  {
    list: "organisations",
    selection: "id name createdAt updatedAt address { postalCode }",
    fields: {
      NAME: { value: at("name"), kind: "text" },
      CREATED_AT: instant("createdAt"),
      UPDATED_AT: instant("updatedAt"),
      POSTAL_CODE: { value: (row) => (row.address as { postalCode: string | null }).postalCode, kind: "text", nulls: "database" },
    },
    fallback: { field: "NAME", direction: "ASC" },
  },
  {
    list: "contacts",
    selection: "id lastName updatedAt",
    fields: { LAST_NAME: { value: at("lastName"), kind: "text" }, UPDATED_AT: instant("updatedAt") },
    fallback: { field: "LAST_NAME", direction: "ASC" },
  },
  {
    list: "opportunities",
    selection: "id name amount expectedCloseDate createdAt updatedAt",
    fields: {
      EXPECTED_CLOSE_DATE: { value: at("expectedCloseDate"), kind: "instant", nulls: "database" },
      AMOUNT: { value: at("amount"), kind: "number" },
      CREATED_AT: instant("createdAt"),
      UPDATED_AT: instant("updatedAt"),
      NAME: { value: at("name"), kind: "text" },
    },
    fallback: { field: "EXPECTED_CLOSE_DATE", direction: "ASC" },
  },
  {
    list: "visits",
    selection: "id plannedAt createdAt updatedAt",
    fields: { PLANNED_AT: instant("plannedAt"), CREATED_AT: instant("createdAt"), UPDATED_AT: instant("updatedAt") },
    fallback: { field: "PLANNED_AT", direction: "ASC" },
  },
  {
    list: "tasks",
    selection: "id dueDate createdAt updatedAt",
    fields: { DUE_DATE: { value: at("dueDate"), kind: "instant", nulls: "LAST" }, CREATED_AT: instant("createdAt"), UPDATED_AT: instant("updatedAt") },
    fallback: { field: "DUE_DATE", direction: "ASC" },
  },
];

const PRINCIPALS = ["rep", "manager", "head office"] as const;

let t: TestServer;
let tokens: Map<string, string | undefined>;

interface ListData {
  [list: string]: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Row }[] };
}

const query = (spec: ListSpec) => `query($orderBy: [${spec.list === "opportunities" ? "Opportunity" : spec.list.slice(0, 1).toUpperCase() + spec.list.slice(1, -1)}Order!], $first: Int, $after: String) {
  ${spec.list}(first: $first, after: $after, orderBy: $orderBy) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${spec.selection} } } } }`;

/** Every row, page after page, in the order `orderBy`. */
async function pages(spec: ListSpec, principal: string, orderBy: Key[] | Key | null, first: number) {
  const rows: Row[] = [];
  let after: string | null = null;
  let totalCount = 0;
  do {
    const response: { data?: ListData | null; errors?: unknown[] } = await t.gql<ListData, Record<string, unknown>>(query(spec), { orderBy, first, after }, tokens.get(principal));
    expect(response.errors, `${spec.list} for ${principal} by ${JSON.stringify(orderBy)}: ${JSON.stringify(response.errors)}`).toBeUndefined();
    const page: ListData[string] = response.data![spec.list]!;
    rows.push(...page.edges.map((edge) => edge.node));
    totalCount = page.totalCount;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  expect(rows.length).toBe(totalCount);
  return rows;
}

/** list → principal → the whole list (any order) */
const full = new Map<string, Map<string, Row[]>>();
/** list → text field → rank of each value in the database's collation (read from the API's one-key order) */
const collation = new Map<string, Map<string, Map<string, number>>>();


beforeAll(async () => {
  t = await startTestServer({ env: { RATE_LIMIT_POINTS: "1000000000" } });
  const db = t.database.prisma;
  // the demo data has no tasks: some with a due date, some without, several sharing one
  const random = seededRandom(3);
  const users = await db.user.findMany({ where: { role: { in: ["REP", "MANAGER"] } }, select: { id: true } });
  await db.task.createMany({
    data: Array.from({ length: 150 }, (_, i) => ({
      kind: "CALL" as const,
      title: `Task ${i}`,
      dueDate: random() < 0.3 ? null : new Date(Date.UTC(2026, 10, 1 + Math.floor(random() * 20))),
      assigneeId: users[i % users.length]!.id,
    })),
  });
  tokens = await principalTokens(t, { rep: { login: "rep.lyon@demo.test" }, manager: { login: "manager.north@demo.test" }, "head office": { login: "head.office@demo.test" } });
  for (const spec of LISTS) {
    const byPrincipal = new Map<string, Row[]>();
    for (const principal of PRINCIPALS) byPrincipal.set(principal, await pages(spec, principal, null, 200));
    full.set(spec.list, byPrincipal);
    const ranks = new Map<string, Map<string, number>>();
    for (const [name, field] of Object.entries(spec.fields)) {
      if (field.kind !== "text") continue;
      const rank = new Map<string, number>();
      for (const row of await pages(spec, "head office", { field: name, direction: "ASC", nulls: "LAST" }, 200)) {
        const value = field.value(row);
        if (value !== null && !rank.has(value)) rank.set(value, rank.size);
      }
      ranks.set(name, rank);
    }
    collation.set(spec.list, ranks);
  }
});
afterAll(() => t?.close());

describe.each(LISTS)("$list ordered by several keys", (spec) => {
  const sortable = (name: string, row: Row): Value => {
    const field = spec.fields[name]!;
    const value = field.value(row);
    if (value === null) return null;
    if (field.kind === "text") return collation.get(spec.list)!.get(name)!.get(value)!;
    return field.kind === "number" ? Number(value) : Date.parse(value);
  };
  const uuid = (row: Row) => parseGlobalId(row.id)!.id;
  /** the order the API promises: each key in turn, its nulls where the key (or the field) says, then the id */
  const sorted = (rows: Row[], keys: Key[]) =>
    [...rows].sort((a, b) => {
      for (const key of keys) {
        const field = spec.fields[key.field]!;
        const [x, y] = [sortable(key.field, a), sortable(key.field, b)];
        if (x === y) continue;
        const nullsFirst = (key.nulls ?? (field.nulls === "LAST" ? "LAST" : key.direction === "ASC" ? "LAST" : "FIRST")) === "FIRST";
        if (x === null) return nullsFirst ? -1 : 1;
        if (y === null) return nullsFirst ? 1 : -1;
        return (x < y ? -1 : 1) * (key.direction === "ASC" ? 1 : -1);
      }
      return (uuid(a) < uuid(b) ? -1 : 1) * (keys.at(-1)!.direction === "ASC" ? 1 : -1);
    });
  const ids = (rows: Row[]) => rows.map((row) => row.id);

  it("random orders of up to three keys, paged with cursors, give the sorted JavaScript array (every principal)", async () => {
    const random = seededRandom(spec.list.length * 104729);
    const names = Object.keys(spec.fields);
    for (let i = 0; i < 8; i += 1) {
      const chosen = [...names].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * Math.min(3, names.length)));
      const keys: Key[] = chosen.map((field) => {
        const nulls = random();
        return { field, direction: random() < 0.5 ? "ASC" : "DESC", ...(nulls < 0.33 ? { nulls: "FIRST" as const } : nulls < 0.66 ? { nulls: "LAST" as const } : {}) };
      });
      for (const principal of PRINCIPALS) {
        const first = 5 + Math.floor(random() * 60);
        const actual = await pages(spec, principal, keys, first);
        expect(ids(actual), `${principal} by ${JSON.stringify(keys)}, ${first} a page`).toEqual(ids(sorted(full.get(spec.list)!.get(principal)!, keys)));
      }
    }
  });

  it("without orderBy the list is in its default order; a single key is accepted without the list", async () => {
    const all = full.get(spec.list)!.get("head office")!;
    expect(ids(await pages(spec, "head office", null, 37))).toEqual(ids(sorted(all, [spec.fallback])));
    const single = { ...spec.fallback, direction: "DESC" as const };
    expect(ids(await pages(spec, "head office", single, 37))).toEqual(ids(sorted(all, [single])));
    const literal = await t.gql<ListData, Record<string, unknown>>(
      `{ ${spec.list}(first: 3, orderBy: { field: ${single.field}, direction: DESC }) { edges { node { id } } } }`,
      {},
      tokens.get("head office"),
    );
    expect(literal.errors).toBeUndefined();
    expect(literal.data![spec.list]!.edges.map((edge) => edge.node.id)).toEqual(ids(sorted(all, [single])).slice(0, 3));
  });

  it("a cursor pages on only in the order it was built for: another order is BAD_USER_INPUT, the default named explicitly is the same order", async () => {
    const firstPage = await t.gql<ListData, Record<string, unknown>>(query(spec), { orderBy: null, first: 2 }, tokens.get("head office"));
    const cursor = firstPage.data![spec.list]!.pageInfo.endCursor!;
    const other = { ...spec.fallback, direction: "DESC" as const };
    const refused = await t.gql<ListData, Record<string, unknown>>(query(spec), { orderBy: [other], first: 2, after: cursor }, tokens.get("head office"));
    expect(errorCodes(refused)).toEqual(["BAD_USER_INPUT"]);
    expect(refused.errors![0]!.message).toContain("another order");
    const twoKeys = [spec.fallback, { field: Object.keys(spec.fields).find((name) => name !== spec.fallback.field)!, direction: "ASC" as const }];
    expect(errorCodes(await t.gql(query(spec), { orderBy: twoKeys, first: 2, after: cursor }, tokens.get("head office")))).toEqual(["BAD_USER_INPUT"]);
    const same = await t.gql<ListData, Record<string, unknown>>(query(spec), { orderBy: [spec.fallback], first: 2, after: cursor }, tokens.get("head office"));
    expect(same.errors).toBeUndefined();
    expect(same.data![spec.list]!.edges.map((edge) => edge.node.id)).toEqual(ids(sorted(full.get(spec.list)!.get("head office")!, [spec.fallback])).slice(2, 4));
  });
});

describe("orderBy input", () => {
  const organisations = LISTS[0]!;
  it("a field named twice, or more than 4 keys, is BAD_USER_INPUT; an operation declaring the single type is refused by validation", async () => {
    const twice = await t.gql(query(organisations), { orderBy: [{ field: "NAME" }, { field: "NAME", direction: "DESC" }], first: 2 }, tokens.get("rep"));
    expect(errorCodes(twice)).toEqual(["BAD_USER_INPUT"]);
    const keys = ["NAME", "CREATED_AT", "UPDATED_AT", "POSTAL_CODE"].map((field) => ({ field }));
    expect((await t.gql(query(organisations), { orderBy: keys, first: 2 }, tokens.get("rep"))).errors).toBeUndefined();
    // five keys need a field twice: the count is checked first
    const five = await t.gql(query(organisations), { orderBy: [...keys, { field: "NAME" }], first: 2 }, tokens.get("rep"));
    expect(errorCodes(five)).toEqual(["BAD_USER_INPUT"]);
    expect(five.errors![0]!.message).toContain("at most 4 keys");
    // a variable of the single input type no longer fits the list argument: such operations declare the list type
    const single = await t.gql(`query($o: OrganisationOrder) { organisations(first: 1, orderBy: $o) { totalCount } }`, { o: { field: "NAME" } }, tokens.get("rep"));
    expect(errorCodes(single)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });
});
