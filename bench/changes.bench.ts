// Latency of a change-feed page of 500 events with 1 000 000 events in the table (issue 18): median and p95
// of 20 calls after 3 warm-up calls, for head office (every event is theirs: 500 records fetched and checked)
// and for a rep (most events concern others: skipped by the scope), from a cursor in the middle of the table.
//   npm run bench:modules -- bench/changes.bench.ts   (PostgreSQL from TEST_DATABASE_URL)
import { afterAll, describe, expect, it } from "vitest";
import { encodeCursor } from "../src/modules/changes/change-cursor.js";
import { startTestServer, type TestServer } from "../test/support/server.js";

const EVENTS = Number(process.env.BENCH_CHANGE_EVENTS ?? 1_000_000);
const BATCH = 50_000;
const PAGE = `query($after: String!) { changes(after: $after, first: 500) { cursor hasMore changes { kind entity id version changedFields
  node { id ... on Contact { firstName lastName phone email } } removal { reason } } } }`;

let t: TestServer | undefined;
afterAll(() => t?.close());

async function measure(label: string, token: string, after: string) {
  const send = async () => {
    const response = await t!.gql<Record<string, any>, Record<string, unknown>>(PAGE, { after }, token);
    expect(response.errors).toBeUndefined();
    return response.data!.changes.changes.length as number;
  };
  for (let i = 0; i < 3; i += 1) await send();
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < 20; i += 1) {
    const start = process.hrtime.bigint();
    size = await send();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`[changes-latency] ${label}: ${size} changes per page, median ${((times[9]! + times[10]!) / 2).toFixed(1)} ms, p95 ${times[18]!.toFixed(1)} ms (20 calls)`);
}

describe("change feed page latency", () => {
  it(`a page of 500 with ${EVENTS.toLocaleString("en")} events in the table`, async () => {
    t = await startTestServer();
    const db = t.database.prisma;
    // contact updates spread over every contact of the demo company, in transactions of 50 000 events
    for (let written = 0; written < EVENTS; written += BATCH) {
      await db.$executeRaw`
        INSERT INTO "AuditEvent" ("id", "entity", "entityId", "action", "before", "after", "changedFields", "version", "at")
        SELECT gen_random_uuid(), 'Contact', c."id"::text, 'update', to_jsonb(c), to_jsonb(c), '{phone}', c."version", now()
          FROM (SELECT c.*, row_number() OVER () AS n FROM "Contact" c) c, generate_series(1, ${BATCH}) g
         WHERE g % (SELECT count(*) FROM "Contact") = c.n - 1`;
    }
    await db.$executeRawUnsafe(`ANALYZE "AuditEvent"`);
    const [{ count }] = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM "AuditEvent"`;
    expect(Number(count)).toBeGreaterThanOrEqual(EVENTS);
    const [middle] = await db.$queryRaw<{ txid: string; seq: string }[]>`
      SELECT "txid"::text AS txid, "seq"::text AS seq FROM "AuditEvent" ORDER BY "txid", "seq" OFFSET ${Math.floor(Number(count) / 2)} LIMIT 1`;
    const after = encodeCursor({ txid: BigInt(middle!.txid), seq: BigInt(middle!.seq), day: t.clock.now.toISOString().slice(0, 10) });
    await measure("head office", await t.login("head.office@demo.test"), after);
    await measure("rep", await t.login("rep.lille@demo.test"), after);
  }, 1_800_000);
});
