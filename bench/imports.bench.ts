// Import throughput (issue 4): 10 000 orders sent by a service token as the ERP would, in 10 batches of
// 1 000, then the same batches again (all UNCHANGED), over HTTP into a fresh database with the demo company.
//   npm run bench:modules -- bench/imports.bench.ts     (PostgreSQL from TEST_DATABASE_URL, else the local one)
import { expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/relay.js";
import { startTestServer } from "../test/support/server.js";

const IMPORT_ORDERS = `mutation($input: ImportOrdersInput!) { importOrders(input: $input) { created unchanged rejected } }`;
const BATCHES = 10;
const BATCH_SIZE = 1_000;

it("imports 10 000 orders in batches of 1 000, then re-sends them", async () => {
  const t = await startTestServer();
  try {
    const issued = await t.gql<{ issueApiToken: { token: string } }, Record<string, unknown>>(
      `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
      { input: { kind: "SERVICE", name: "erp bench", scopes: ["orders:import"] } },
      await t.login("head.office@demo.test"),
    );
    const token = issued.data!.issueApiToken.token;
    const organisations = (await t.database.prisma.organisation.findMany({ where: { mergedIntoId: null }, select: { id: true } })).map((o) =>
      toGlobalId("Organisation", o.id),
    );
    const batch = (b: number) =>
      Array.from({ length: BATCH_SIZE }, (_, i) => ({
        externalId: `BENCH-${b}-${i}`,
        organisationId: organisations[(b * BATCH_SIZE + i) % organisations.length],
        orderedAt: `2026-${String((i % 10) + 1).padStart(2, "0")}-${String((i % 27) + 1).padStart(2, "0")}`,
        amount: `${100 + (i % 5000)}.${String(i % 100).padStart(2, "0")}`,
      }));
    const send = async (field: "created" | "unchanged") => {
      const times: number[] = [];
      for (let b = 0; b < BATCHES; b += 1) {
        const started = performance.now();
        const response = await t.gql<{ importOrders: Record<string, number> }, Record<string, unknown>>(IMPORT_ORDERS, { input: { rows: batch(b) } }, token);
        times.push(performance.now() - started);
        expect(response.data!.importOrders[field]).toBe(BATCH_SIZE);
      }
      return { totalMs: Math.round(times.reduce((a, b) => a + b, 0)), slowestBatchMs: Math.round(Math.max(...times)) };
    };
    const created = await send("created");
    const resent = await send("unchanged");
    console.log(JSON.stringify({ database: t.database.target.kind, orders: BATCHES * BATCH_SIZE, batchSize: BATCH_SIZE, created, resent }, null, 2));
  } finally {
    await t.close();
  }
});
