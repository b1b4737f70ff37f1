// Orders and invoices read back: lists with totals, filters and orders, Organisation.orders/invoices,
// node(id), Invoice.order, for every kind of principal. The ERP's service token reads back what it imported;
// the credited rep sees it; stewards and partners never do. "Today" is 2026-11-15.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { buildCustomer, day } from "../fixtures/visits.js";
import { expectGate, type GateCase } from "../support/gates.js";
import { principalTokens } from "../support/principals.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
let tokens: Map<string, string | undefined>;
const gql = (query: string, variables: Record<string, unknown>, principal: string) => t.gql<Data, Record<string, unknown>>(query, variables, tokens.get(principal));

const IMPORT_ORDERS = `mutation($input: ImportOrdersInput!) { importOrders(input: $input) { created results { externalId status id } } }`;
const IMPORT_INVOICES = `mutation($input: ImportInvoicesInput!) { importInvoices(input: $input) { created results { id } } }`;
const ORDERS = `query($filter: OrderFilter, $orderBy: OrderOrder, $first: Int) { orders(first: $first, filter: $filter, orderBy: $orderBy) {
  totalCount totalAmount edges { node { id externalId orderedAt amount deliveredAt creditedRep { email } organisation { id } } } } }`;

const PRINCIPALS = [
  "rep", "other rep", "manager", "other manager", "head office", "data steward", "anonymous",
  "partner opportunities:read", "service orders:import", "service invoices:import", "service referential:read",
];
const COMMERCIAL = ["rep", "other rep", "manager", "other manager", "head office"];

/** rep Lyon's customer since 2025 (team South); another one that moved from rep Lyon to rep Lille on 1 Oct 2026 */
let customer: { id: string; global: string };
let moved: { id: string; global: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestServer();
  const db = t.database.prisma;
  const user = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;
  const lyon = await user("rep.lyon@demo.test");
  const lille = await user("rep.lille@demo.test");
  const a = (await buildCustomer(db, "Commandes Client", { charges: [[lyon, day("2025-01-01")]], contacts: 0 })).organisation;
  const b = (await buildCustomer(db, "Commandes Déménagé", { charges: [[lyon, day("2025-01-01"), day("2026-10-01")], [lille, day("2026-10-01")]], contacts: 0 })).organisation;
  customer = { id: a.id, global: toGlobalId("Organisation", a.id) };
  moved = { id: b.id, global: toGlobalId("Organisation", b.id) };
  tokens = await principalTokens(t, {
    rep: { login: "rep.lyon@demo.test" },
    "other rep": { login: "rep.lille@demo.test" },
    manager: { login: "manager.south@demo.test" },
    "other manager": { login: "manager.north@demo.test" },
    "head office": { login: "head.office@demo.test" },
    "data steward": { login: "data.steward@demo.test" },
    anonymous: "anonymous",
    "partner opportunities:read": { partner: ["opportunities:read"], organisationIds: [customer.global] },
    "service orders:import": { service: ["orders:import"] },
    "service orders:import organisations:read": { service: ["orders:import", "organisations:read"] },
    "service invoices:import": { service: ["invoices:import"] },
    "service referential:read": { service: ["referential:read"] },
  });
  const orders = [
    { externalId: "RB-1", organisationId: customer.global, orderedAt: "2026-09-10", amount: "1000.00", deliveredAt: "2026-09-20" },
    { externalId: "RB-2", organisationId: customer.global, orderedAt: "2026-10-15", amount: "250.50" },
    { externalId: "RB-3", organisationId: customer.global, orderedAt: "2026-11-02", amount: "99.99" },
    // credited to rep Lyon (in charge on 5 Sep), in rep Lille's portfolio today
    { externalId: "RB-4", organisationId: moved.global, orderedAt: "2026-09-05", amount: "400.00", deliveredAt: "2026-09-08" },
    // credited to rep Lille
    { externalId: "RB-5", organisationId: moved.global, orderedAt: "2026-10-20", amount: "600.00" },
  ];
  const imported = await gql(IMPORT_ORDERS, { input: { rows: orders } }, "service orders:import");
  for (const result of imported.data!.importOrders.results) ids[result.externalId] = result.id;
  const invoices = [
    { externalId: "RBF-1", organisationId: customer.global, invoicedAt: "2026-09-30", amount: "1000.00", orderExternalId: "RB-1" },
    { externalId: "RBF-2", organisationId: customer.global, invoicedAt: "2026-10-31", amount: "-100.00" },
    { externalId: "RBF-3", organisationId: moved.global, invoicedAt: "2026-10-31", amount: "600.00", orderExternalId: "RB-5" },
  ];
  const invoiced = await gql(IMPORT_INVOICES, { input: { rows: invoices } }, "service invoices:import");
  invoices.forEach((row, i) => (ids[row.externalId] = invoiced.data!.importInvoices.results[i].id));
});
afterAll(() => t?.close());

const ALL = ["RB-1", "RB-2", "RB-3", "RB-4", "RB-5"];
const listed = (response: { data?: Data | null }) => (response.data!.orders.edges as Data[]).map((e) => e.node.externalId);

describe("orders: who reads which", () => {
  it("the service token that imported them reads them all back by external id; so does head office", async () => {
    for (const principal of ["service orders:import", "head office"]) {
      const response = await gql(ORDERS, { filter: { externalIds: ALL } }, principal);
      expect(response.errors, principal).toBeUndefined();
      expect(response.data!.orders, principal).toMatchObject({ totalCount: 5, totalAmount: "2350.49" });
      // newest first by default
      expect(listed(response), principal).toEqual(["RB-3", "RB-5", "RB-2", "RB-1", "RB-4"]);
    }
    // a service token sees no organisation without organisations:read, and does with it
    const bare = await gql(ORDERS, { filter: { externalIds: ["RB-1"] } }, "service orders:import");
    expect(bare.data!.orders.edges[0].node.organisation).toBeNull();
    const withReferential = await gql(ORDERS, { filter: { externalIds: ["RB-1"] } }, "service orders:import organisations:read");
    expect(withReferential.data!.orders.edges[0].node.organisation).toEqual({ id: customer.global });
  });

  it("the credited rep reads their portfolio's orders and those credited to them; the other rep, theirs; managers their team's", async () => {
    const mine = await gql(ORDERS, { filter: { externalIds: ALL } }, "rep");
    expect(listed(mine)).toEqual(["RB-3", "RB-2", "RB-1", "RB-4"]);
    expect(mine.data!.orders.totalAmount).toBe("1750.49");
    const rb4 = mine.data!.orders.edges.find((e: Data) => e.node.externalId === "RB-4").node;
    // credited to rep Lyon, on an organisation now outside their portfolio
    expect(rb4).toMatchObject({ creditedRep: { email: "rep.lyon@demo.test" }, organisation: null });
    expect(listed(await gql(ORDERS, { filter: { externalIds: ALL } }, "other rep"))).toEqual(["RB-5", "RB-4"]);
    expect(listed(await gql(ORDERS, { filter: { externalIds: ALL } }, "manager"))).toEqual(["RB-3", "RB-2", "RB-1", "RB-4"]);
    expect(listed(await gql(ORDERS, { filter: { externalIds: ALL } }, "other manager"))).toEqual(["RB-5", "RB-4"]);
  });

  it("node(id): found in scope, NOT_FOUND outside it; stewards, partners and other services never", async () => {
    const node = `query($id: ID!) { node(id: $id) { ... on Order { externalId amount } } }`;
    for (const principal of ["rep", "manager", "head office", "service orders:import"]) {
      expect((await gql(node, { id: ids["RB-1"] }, principal)).data!.node, principal).toEqual({ externalId: "RB-1", amount: "1000.00" });
    }
    for (const principal of ["other rep", "other manager", "data steward", "partner opportunities:read", "service invoices:import", "service referential:read"]) {
      expect(errorCodes(await gql(node, { id: ids["RB-1"] }, principal)), principal).toEqual(["NOT_FOUND"]);
    }
  });

  // what each allowed principal reads of this file's documents: its scope's, exactly (the rep Lyon and the
  // South manager: the customer's, and RB-4 credited to rep Lyon; the North side: the moved customer's)
  const lyon = (count: number, amount: string) => ({ totalCount: count, totalAmount: amount });
  const OPERATIONS: Record<string, GateCase> = {
    orders: [`query($ids: [String!]) { orders(filter: { externalIds: $ids }) { totalCount totalAmount } }`, { ids: ALL }, [...COMMERCIAL, "service orders:import"], {
      rep: lyon(4, "1750.49"), manager: lyon(4, "1750.49"), "other rep": lyon(2, "1000.00"), "other manager": lyon(2, "1000.00"),
      "head office": lyon(5, "2350.49"), "service orders:import": lyon(5, "2350.49"),
    }],
    invoices: [`query($ids: [String!]) { invoices(filter: { externalIds: $ids }) { totalCount totalAmount } }`, { ids: ["RBF-1", "RBF-2", "RBF-3"] }, [...COMMERCIAL, "service invoices:import"], {
      rep: lyon(2, "900.00"), manager: lyon(2, "900.00"), "other rep": lyon(1, "600.00"), "other manager": lyon(1, "600.00"),
      "head office": lyon(3, "1500.00"), "service invoices:import": lyon(3, "1500.00"),
    }],
  };
  it.each(Object.keys(OPERATIONS))("%s: allowed principals read exactly their scope's, everyone else (stewards, partners) is refused", async (name) => {
    await expectGate(t, name, OPERATIONS[name]!, PRINCIPALS, tokens);
  });

  it("Organisation.orders and Organisation.invoices: the nested paths, with totals; refused to stewards and partners", async () => {
    const query = `query($id: ID!) { organisation(id: $id) {
      orders(filter: { from: "2026-10-01" }) { totalCount totalAmount edges { node { externalId } } }
      invoices { totalCount totalAmount edges { node { externalId order { externalId } } } } } }`;
    for (const principal of ["rep", "manager", "head office"]) {
      const response = await gql(query, { id: customer.global }, principal);
      expect(response.errors, principal).toBeUndefined();
      expect(response.data!.organisation, principal).toEqual({
        orders: { totalCount: 2, totalAmount: "350.49", edges: [{ node: { externalId: "RB-3" } }, { node: { externalId: "RB-2" } }] },
        invoices: { totalCount: 2, totalAmount: "900.00", edges: [{ node: { externalId: "RBF-2", order: null } }, { node: { externalId: "RBF-1", order: { externalId: "RB-1" } } }] },
      });
    }
    for (const principal of ["data steward", "partner opportunities:read"]) {
      const response = await gql(`query($id: ID!) { organisation(id: $id) { orders { totalCount } } }`, { id: customer.global }, principal);
      expect(errorCodes(response), principal).toEqual(["FORBIDDEN"]);
      expect(response.errors![0]!.path, principal).toEqual(["organisation", "orders"]);
    }
  });
});

describe("orders and invoices: filters, orders, pages", () => {
  it("by organisation, period (inclusive), rep credited, delivery; by amount; pages with a cursor", async () => {
    const rep = toGlobalId("User", (await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id);
    const byOrganisation = await gql(ORDERS, { filter: { organisationId: moved.global } }, "head office");
    expect(listed(byOrganisation)).toEqual(["RB-5", "RB-4"]);
    const period = await gql(ORDERS, { filter: { externalIds: ALL, from: "2026-09-10", to: "2026-10-15" } }, "head office");
    expect(listed(period)).toEqual(["RB-2", "RB-1"]);
    const credited = await gql(ORDERS, { filter: { externalIds: ALL, creditedRepId: rep } }, "head office");
    expect(listed(credited)).toEqual(["RB-3", "RB-2", "RB-1", "RB-4"]);
    const undelivered = await gql(ORDERS, { filter: { externalIds: ALL, delivered: false } }, "head office");
    expect(listed(undelivered)).toEqual(["RB-3", "RB-5", "RB-2"]);
    const byAmount = await gql(ORDERS, { filter: { externalIds: ALL }, orderBy: { field: "AMOUNT", direction: "DESC" }, first: 2 }, "head office");
    expect(listed(byAmount)).toEqual(["RB-1", "RB-5"]);
    // the totals are the whole filtered list's, not the page's
    expect(byAmount.data!.orders).toMatchObject({ totalCount: 5, totalAmount: "2350.49" });
    const cursor = await gql(`query($after: String) { orders(first: 2, after: $after, filter: { externalIds: ${JSON.stringify(ALL)} }, orderBy: { field: AMOUNT, direction: DESC }) { pageInfo { endCursor hasNextPage } edges { node { externalId } } } }`, {}, "head office");
    const next = await gql(`query($after: String) { orders(first: 2, after: $after, filter: { externalIds: ${JSON.stringify(ALL)} }, orderBy: { field: AMOUNT, direction: DESC }) { pageInfo { hasNextPage } edges { node { externalId } } } }`, { after: cursor.data!.orders.pageInfo.endCursor }, "head office");
    expect(next.data!.orders.edges.map((e: Data) => e.node.externalId)).toEqual(["RB-4", "RB-2"]);
    expect(errorCodes(await gql(ORDERS, { first: 201 }, "head office"))).toEqual(["BAD_USER_INPUT"]);
  });

  it("invoices: credit notes count negative in the total; the invoiced order is linked when readable", async () => {
    const query = `query($filter: InvoiceFilter) { invoices(first: 50, filter: $filter) { totalCount totalAmount edges { node { externalId amount order { externalId } creditedRep { email } } } } }`;
    const all = await gql(query, { filter: { externalIds: ["RBF-1", "RBF-2", "RBF-3"] } }, "service invoices:import");
    expect(all.data!.invoices).toMatchObject({ totalCount: 3, totalAmount: "1500.00" });
    // the invoices token reads no order
    expect(all.data!.invoices.edges.every((e: Data) => e.node.order === null)).toBe(true);
    const rep = await gql(query, { filter: { externalIds: ["RBF-1", "RBF-2", "RBF-3"] } }, "other rep");
    expect(rep.data!.invoices.edges).toEqual([{ node: { externalId: "RBF-3", amount: "600.00", order: { externalId: "RB-5" }, creditedRep: { email: "rep.lille@demo.test" } } }]);
    const node = `query($id: ID!) { node(id: $id) { ... on Invoice { externalId } } }`;
    expect((await gql(node, { id: ids["RBF-1"] }, "rep")).data!.node).toEqual({ externalId: "RBF-1" });
    expect(errorCodes(await gql(node, { id: ids["RBF-1"] }, "service orders:import"))).toEqual(["NOT_FOUND"]);
  });
});
