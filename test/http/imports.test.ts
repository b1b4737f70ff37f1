// ERP imports by service tokens: idempotent by external id, per-row validation, set-based writes,
// the rep in charge on the row's date.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
let orderToken: string;
let invoiceToken: string;
let organisations: { id: string; global: string }[];
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);

const IMPORT_ORDERS = `mutation($input: ImportOrdersInput!) { importOrders(input: $input) { created unchanged conflicts rejected results { externalId status id errors { field message } } } }`;
const IMPORT_INVOICES = `mutation($input: ImportInvoicesInput!) { importInvoices(input: $input) { created unchanged conflicts rejected results { externalId status errors { field } } } }`;

async function serviceToken(scopes: string[]): Promise<string> {
  const response = await gql(
    `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
    { input: { kind: "SERVICE", name: `erp ${scopes.join(" ")}`, scopes } },
    await t.login("head.office@demo.test"),
  );
  return response.data!.issueApiToken.token;
}

const orderRow = (prefix: string, i: number) => ({
  externalId: `${prefix}-${i}`,
  organisationId: organisations[i % organisations.length]!.global,
  orderedAt: `2026-${String((i % 9) + 1).padStart(2, "0")}-${String((i % 27) + 1).padStart(2, "0")}`,
  amount: `${100 + (i % 5000)}.${String(i % 100).padStart(2, "0")}`,
});

beforeAll(async () => {
  t = await startTestServer();
  orderToken = await serviceToken(["orders:import"]);
  invoiceToken = await serviceToken(["invoices:import"]);
  organisations = (await t.database.prisma.organisation.findMany({ where: { mergedIntoId: null }, orderBy: { id: "asc" }, take: 50 })).map((o) => ({
    id: o.id,
    global: toGlobalId("Organisation", o.id),
  }));
});
afterAll(() => t?.close());

describe("importOrders / importInvoices", () => {
  it("the same batch twice: created the first time, UNCHANGED the second, nothing new written", async () => {
    const rows = Array.from({ length: 20 }, (_, i) => orderRow("TWICE", i));
    const first = await gql(IMPORT_ORDERS, { input: { rows } }, orderToken);
    expect(first.errors).toBeUndefined();
    expect(first.data!.importOrders).toMatchObject({ created: 20, unchanged: 0, rejected: 0 });
    const count = await t.database.prisma.order.count();
    const second = await gql(IMPORT_ORDERS, { input: { rows } }, orderToken);
    expect(second.data!.importOrders).toMatchObject({ created: 0, unchanged: 20, rejected: 0, conflicts: 0 });
    expect(second.data!.importOrders.results.map((r: Data) => r.id)).toEqual(first.data!.importOrders.results.map((r: Data) => r.id));
    expect(await t.database.prisma.order.count()).toBe(count);
  });

  it("a batch of 1 000 with 3 bad rows imports 997 and reports the 3, in a bounded number of statements", async () => {
    const rows: Data[] = Array.from({ length: 1000 }, (_, i) => orderRow("BIG", i));
    rows[10] = { ...rows[10], amount: "12,50" };
    rows[500] = { ...rows[500], orderedAt: "2026-02-30" };
    rows[999] = { ...rows[999], organisationId: toGlobalId("Organisation", "00000000-0000-4000-8000-00000000beef") };
    const before = await t.database.prisma.order.count();
    const response = await gql(IMPORT_ORDERS, { input: { rows } }, orderToken);
    expect(response.errors).toBeUndefined();
    const payload = response.data!.importOrders;
    expect(payload).toMatchObject({ created: 997, rejected: 3 });
    const rejected = payload.results.filter((r: Data) => r.status === "REJECTED");
    expect(rejected.map((r: Data) => [r.externalId, r.errors.map((e: Data) => e.field)])).toEqual([
      ["BIG-10", ["amount"]],
      ["BIG-500", ["orderedAt"]],
      ["BIG-999", ["organisationId"]],
    ]);
    expect(await t.database.prisma.order.count()).toBe(before + 997);
    expect(await t.database.prisma.order.count({ where: { externalId: { in: ["BIG-10", "BIG-500", "BIG-999"] } } })).toBe(0);
    // organisations, existing external ids, assignments, then BEGIN / createMany / audit / COMMIT (+ auth)
    expect(response.statements).toBeLessThanOrEqual(12);
  });

  it("each row records the rep in charge of its organisation on its date", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => orderRow("REP", i));
    await gql(IMPORT_ORDERS, { input: { rows } }, orderToken);
    const stored = await t.database.prisma.order.findMany({ where: { externalId: { startsWith: "REP-" } } });
    expect(stored).toHaveLength(30);
    for (const order of stored) {
      const inForce = await t.database.prisma.organisationAssignment.findFirst({
        where: { organisationId: order.organisationId, validFrom: { lte: order.orderedAt }, OR: [{ validTo: null }, { validTo: { gt: order.orderedAt } }] },
        orderBy: { validFrom: "desc" },
      });
      expect(order.repId).toBe(inForce?.repId ?? null);
    }
  });

  it("a known external id with other values is a CONFLICT and nothing is overwritten", async () => {
    const row = orderRow("CHANGED", 1);
    await gql(IMPORT_ORDERS, { input: { rows: [row] } }, orderToken);
    const response = await gql(IMPORT_ORDERS, { input: { rows: [{ ...row, amount: "1.00" }] } }, orderToken);
    expect(response.data!.importOrders.results[0]).toMatchObject({ status: "CONFLICT" });
    expect((await t.database.prisma.order.findUniqueOrThrow({ where: { externalId: "CHANGED-1" } })).amount.toFixed(2)).toBe(row.amount);
  });

  it("duplicates inside a batch are rejected; more than 1 000 rows is BAD_USER_INPUT and writes nothing", async () => {
    const row = orderRow("DUP", 1);
    const response = await gql(IMPORT_ORDERS, { input: { rows: [row, row] } }, orderToken);
    expect(response.data!.importOrders.results.map((r: Data) => r.status)).toEqual(["CREATED", "REJECTED"]);
    const before = await t.database.prisma.order.count();
    const tooMany = await gql(IMPORT_ORDERS, { input: { rows: Array.from({ length: 1001 }, (_, i) => orderRow("TOO-MANY", i)) } }, orderToken);
    expect(errorCodes(tooMany)).toEqual(["BAD_USER_INPUT"]);
    expect(await t.database.prisma.order.count()).toBe(before);
  });

  it("invoices: credit notes may be negative, re-sent rows are UNCHANGED", async () => {
    const rows = [
      { externalId: "INV-1", organisationId: organisations[0]!.global, invoicedAt: "2026-10-01", amount: "1500.00", orderExternalId: "TWICE-0" },
      { externalId: "INV-2", organisationId: organisations[0]!.global, invoicedAt: "2026-10-05", amount: "-150.00" },
    ];
    const first = await gql(IMPORT_INVOICES, { input: { rows } }, invoiceToken);
    expect(first.errors).toBeUndefined();
    expect(first.data!.importInvoices).toMatchObject({ created: 2, rejected: 0 });
    const again = await gql(IMPORT_INVOICES, { input: { rows } }, invoiceToken);
    expect(again.data!.importInvoices).toMatchObject({ created: 0, unchanged: 2 });
  });

  it("scopes are not interchangeable: an orders token cannot import invoices and vice versa", async () => {
    const invoices = await gql(IMPORT_INVOICES, { input: { rows: [] } }, orderToken);
    expect(errorCodes(invoices)).toEqual(["FORBIDDEN"]);
    const orders = await gql(IMPORT_ORDERS, { input: { rows: [] } }, invoiceToken);
    expect(errorCodes(orders)).toEqual(["FORBIDDEN"]);
  });

  it("keeps each organisation's ordering cycle: orders, last order, median interval (data health's quiet customers)", async () => {
    const db = t.database.prisma;
    const fresh = await db.organisation.create({ data: { name: "Rythme de commande", searchName: "rythme de commande", status: "CLIENT" } });
    const id = toGlobalId("Organisation", fresh.id);
    const order = (externalId: string, orderedAt: string) => ({ externalId, organisationId: id, orderedAt, amount: "10.00" });
    const imported = await gql(IMPORT_ORDERS, { input: { rows: [order("CYC-1", "2026-01-01"), order("CYC-2", "2026-01-11"), order("CYC-3", "2026-01-31")] } }, orderToken);
    expect(imported.data!.importOrders.created).toBe(3);
    const cycle = () => db.orderingCycle.findUniqueOrThrow({ where: { organisationId: fresh.id } });
    // gaps of 10 and 20 days: median 15
    expect(await cycle()).toMatchObject({ orders: 3, lastOrderedAt: new Date("2026-01-31T00:00:00Z"), intervals: 2, medianIntervalDays: 15 });
    await gql(IMPORT_ORDERS, { input: { rows: [order("CYC-4", "2026-02-10")] } }, orderToken);
    // gaps 10, 20, 10: median 10
    expect(await cycle()).toMatchObject({ orders: 4, lastOrderedAt: new Date("2026-02-10T00:00:00Z"), intervals: 3, medianIntervalDays: 10 });
  });

  it("concurrent imports for the same organisation all count in its cycle", async () => {
    const db = t.database.prisma;
    const fresh = await db.organisation.create({ data: { name: "Commandes simultanées", searchName: "commandes simultanees", status: "CLIENT" } });
    const id = toGlobalId("Organisation", fresh.id);
    const batches = Array.from({ length: 6 }, (_, i) => ({ rows: [{ externalId: `PAR-${i}`, organisationId: id, orderedAt: `2026-03-${String(i * 5 + 1).padStart(2, "0")}`, amount: "5.00" }] }));
    const answers = await Promise.all(batches.map((input) => gql(IMPORT_ORDERS, { input }, orderToken)));
    expect(answers.map((a) => a.data!.importOrders.created)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(await db.orderingCycle.findUniqueOrThrow({ where: { organisationId: fresh.id } })).toMatchObject({
      orders: 6,
      lastOrderedAt: new Date("2026-03-26T00:00:00Z"),
      intervals: 5,
      medianIntervalDays: 5,
    });
  });
});
