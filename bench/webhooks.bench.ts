// Webhook delivery (issue 18), on PostgreSQL, with the worker loop running as in production (woken by
// commits, WEBHOOK_POLL_MS at the latest), to a receiver on 127.0.0.1 that verifies every signature with
// the standardwebhooks package:
//   - throughput: BENCH_WEBHOOK_EVENTS (default 5 000) contacts created by bulk upserts of 250 rows while
//     the subscription is paused; deliveries per second from its resumption to the last delivery received
//     (what the worker sustains: reading the owner's feed, signing, sending);
//   - latency: BENCH_WEBHOOK_UPDATES (default 100) contact updates, one every 100 ms; from the mutation's
//     answer (its commit) to the delivery's arrival: p50, p95, max.
//   npm run bench:modules -- bench/webhooks.bench.ts
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/relay.js";
import { startTestServer } from "../test/support/server.js";

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 5_000);
const UPDATES = Number(process.env.BENCH_WEBHOOK_UPDATES ?? 100);
const BATCH = 250;

type Data = Record<string, any>;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

it(`delivers ${EVENTS} webhooks and measures commit → delivery over ${UPDATES} updates`, async () => {
  const t = await startTestServer({ env: { WEBHOOK_WORKER: "on", WEBHOOK_POLL_MS: "1000" } });
  const arrivals = new Map<string, number>(); // "<global id>@<version>" → arrival time
  let unverified = 0;
  let secret = "";
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      try {
        new Webhook(secret).verify(raw, req.headers as Record<string, string>);
      } catch {
        unverified += 1;
      }
      const { data } = JSON.parse(raw) as { data: Data };
      arrivals.set(`${data.id}@${data.version}`, performance.now());
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const until = async (done: () => boolean, timeoutMs: number) => {
    const started = performance.now();
    while (!done()) {
      if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms (${arrivals.size} deliveries)`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  try {
    const headOffice = await t.login("head.office@demo.test");
    const steward = await t.login("data.steward@demo.test");
    const created = await t.gql<Data, Record<string, unknown>>(
      `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret webhookSubscription { id } } }`,
      { input: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, entities: ["Contact"] } },
      headOffice,
    );
    secret = created.data!.createWebhookSubscription.secret;
    const subscriptionId = created.data!.createWebhookSubscription.webhookSubscription.id;
    const pause = await t.gql<Data, Record<string, unknown>>(`mutation($id: ID!) { pauseWebhookSubscription(id: $id) { webhookSubscription { status } } }`, { id: subscriptionId }, headOffice);
    expect(pause.data?.pauseWebhookSubscription.webhookSubscription.status).toBe("PAUSED");
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({ where: { mergedIntoId: null }, orderBy: { id: "asc" } });
    const organisationId = toGlobalId("Organisation", organisation.id);

    // throughput
    for (let start = 0; start < EVENTS; start += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, EVENTS - start) }, (_, i) => ({ externalId: `WH-${start + i}`, organisationId, firstName: "Bench", lastName: `Webhook ${start + i}` }));
      const response = await t.gql<Data, Record<string, unknown>>(`mutation($input: UpsertContactsInput!) { upsertContacts(input: $input) { created } }`, { input: { rows } }, steward);
      expect(response.data?.upsertContacts.created, JSON.stringify(response.errors)).toBe(rows.length);
    }
    const resume = await t.gql<Data, Record<string, unknown>>(`mutation($id: ID!) { resumeWebhookSubscription(id: $id) { webhookSubscription { status } } }`, { id: subscriptionId }, headOffice);
    expect(resume.data?.resumeWebhookSubscription.webhookSubscription.status).toBe("ACTIVE");
    const resumed = performance.now();
    await until(() => arrivals.size >= EVENTS, 600_000);
    const lastArrival = Math.max(...arrivals.values());
    const deliveriesPerSecond = Math.round((EVENTS * 1000) / (lastArrival - resumed));

    // latency, one change at a time
    const contact = await t.database.prisma.contact.findFirstOrThrow({ where: { externalId: "WH-0" } });
    const contactId = toGlobalId("Contact", contact.id);
    let version = contact.version;
    const latencies: number[] = [];
    for (let i = 0; i < UPDATES; i += 1) {
      const response = await t.gql<Data, Record<string, unknown>>(`mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { version } } }`, { input: { id: contactId, version, jobTitle: `Update ${i}` } }, steward);
      const committed = performance.now();
      version = response.data!.updateContact.contact.version;
      const key = `${contactId}@${version}`;
      await until(() => arrivals.has(key), 30_000);
      latencies.push(arrivals.get(key)! - committed);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    latencies.sort((a, b) => a - b);
    expect(unverified).toBe(0);
    console.log(
      JSON.stringify(
        {
          database: t.database.target.kind,
          throughput: { deliveries: EVENTS, seconds: Math.round(lastArrival - resumed) / 1000, deliveriesPerSecond },
          latencyMs: { changes: UPDATES, p50: Math.round(percentile(latencies, 50)), p95: Math.round(percentile(latencies, 95)), max: Math.round(latencies.at(-1)!) },
        },
        null,
        2,
      ),
    );
  } finally {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await t.close();
  }
});
