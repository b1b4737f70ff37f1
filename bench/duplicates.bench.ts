// Duplicate candidates on the generated data set (issue 3): the organisation request's duplicate search
// (folded-name trigrams, legal id, postal code) against 100 000 organisations, for names taken from the
// referential with a typo, with a legal form added, and for names that match nothing. Read only.
//   npm run generate -- --organisations 100000 && npm run bench:modules -- bench/duplicates.bench.ts
import { it } from "vitest";
import { openDatabase } from "../src/db/client.js";
import { findDuplicateCandidates, type DuplicateProbe } from "../src/modules/organisation-requests/duplicates.js";
import { foldSearchText } from "../src/modules/organisations/organisation.search.js";
import { DEFAULT_BENCH_DATABASE_URL } from "../scripts/generate/load.js";

const PROBES_PER_KIND = 30;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

it("finds candidates among the generated organisations", async () => {
  const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const database = await openDatabase({ kind: "server", url, poolSize: 2, statementTimeoutMs: 30_000 });
  try {
    const db = database.prisma;
    const organisations = await db.organisation.count();
    const sample = await db.$queryRaw<{ name: string; postalCode: string | null; legalId: string | null }[]>`
      SELECT name, "postalCode", "legalId" FROM "Organisation" WHERE "mergedIntoId" IS NULL ORDER BY md5(id::text) LIMIT ${PROBES_PER_KIND}`;
    const typo = (name: string) => name.slice(0, Math.floor(name.length / 2)) + name.slice(Math.floor(name.length / 2) + 1);
    const kinds: Record<string, DuplicateProbe[]> = {
      "same name with a typo, same postal code": sample.map((o) => ({ searchName: foldSearchText(typo(o.name)), postalCode: o.postalCode })),
      "legal form added, other postal code": sample.map((o) => ({ searchName: foldSearchText(`SAS ${o.name}`), postalCode: "99999" })),
      "same legal id, unrelated name": sample.map((o, i) => ({ searchName: foldSearchText(`Zyxw Qlmn ${i}`), legalId: o.legalId })),
      "nothing alike": sample.map((_, i) => ({ searchName: foldSearchText(`Xqzv Wkjh Plomb ${i}`), postalCode: "00000" })),
    };
    const report: Record<string, unknown> = { organisations };
    for (const [kind, probes] of Object.entries(kinds)) {
      await findDuplicateCandidates(db, probes[0]!); // warm-up
      const times: number[] = [];
      let found = 0;
      for (const probe of probes) {
        const started = performance.now();
        const candidates = await findDuplicateCandidates(db, probe);
        times.push(performance.now() - started);
        if (candidates.length) found += 1;
      }
      times.sort((a, b) => a - b);
      report[kind] = { probes: probes.length, withCandidates: found, medianMs: +percentile(times, 0.5).toFixed(1), p95Ms: +percentile(times, 0.95).toFixed(1) };
    }
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await database.close();
  }
});
