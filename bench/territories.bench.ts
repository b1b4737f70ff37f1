// Rule evaluation at scale: 100 000 organisations, 200 territories — 95 by postal-code prefix (every
// organisation matches one), 45 key-account territories (region + buying group), 40 by banner, 20 by
// ancestor (a group and everything below it), so ~30 % of organisations are in an overlap — 200 reps
// holding one territory each and 20 temporary covers, on a scratch PostgreSQL database.
// Measures a full materialisation, then one rule change recomputed for what it touches only.
//   npm run bench:modules -- bench/territories.bench.ts   (PostgreSQL from TEST_DATABASE_URL, else the local one)
import { it } from "vitest";
import { applyMigrations } from "../src/db/schema-engine.js";
import { recomputeTerritories } from "../src/modules/territories/territory.materialise.js";
import { openTestDatabase } from "../test/support/database.js";

const ORGANISATIONS = 100_000;
const TODAY = new Date("2026-11-15T00:00:00Z");

it("materialises 100k organisations × 200 territories", async () => {
  const database = await openTestDatabase();
  try {
    await applyMigrations(database.migrationAdapterFactory);
    const db = database.prisma;
    const sql = (text: string) => db.$executeRawUnsafe(text);
    const t0 = performance.now();
    await sql(`INSERT INTO "User" (id, email, name, role, "passwordHash")
               SELECT gen_random_uuid(), 'rep' || i || '@bench.test', 'Rep ' || i, 'REP', 'x' FROM generate_series(1, 200) i`);
    await sql(`INSERT INTO "Territory" (id, name, priority) SELECT gen_random_uuid(), 'T' || lpad(i::text, 3, '0'), 100 + (i % 7) FROM generate_series(1, 200) i`);
    // hierarchy: 1 000 groups, 9 000 banners under them, the rest stores under banners
    await sql(`INSERT INTO "Organisation" (id, name, "postalCode", region, banner, "buyingGroup", "updatedAt")
               SELECT gen_random_uuid(), 'Org ' || i, lpad(((i * 7919) % 95 + 1)::text, 2, '0') || lpad((i % 1000)::text, 3, '0'),
                      'R' || (i % 13), 'B' || (i % 400), 'G' || (i % 20), now()
                 FROM generate_series(1, ${ORGANISATIONS}) i`);
    await sql(`WITH numbered AS (SELECT id, row_number() OVER (ORDER BY id) n FROM "Organisation")
               UPDATE "Organisation" o SET "parentId" = p.id
                 FROM numbered c JOIN numbered p ON p.n = CASE WHEN c.n <= 10000 THEN (c.n % 1000) + 1 ELSE (c.n % 9000) + 1001 END
                WHERE o.id = c.id AND c.n > 1000`);
    await sql(`WITH t AS (SELECT id, row_number() OVER (ORDER BY name) n FROM "Territory"),
                    heads AS (SELECT id, row_number() OVER (ORDER BY id) n FROM "Organisation" WHERE "parentId" IS NULL)
               INSERT INTO "TerritoryRule" (id, "territoryId", region, "buyingGroup", "postalCodePrefixes", banner, "ancestorOrganisationId", "validFrom")
               SELECT gen_random_uuid(), t.id,
                      CASE WHEN t.n BETWEEN 96 AND 140 THEN 'R' || (t.n % 13) END,
                      CASE WHEN t.n BETWEEN 96 AND 140 THEN 'G' || (t.n % 20) END,
                      CASE WHEN t.n <= 95 THEN ARRAY[lpad(t.n::text, 2, '0')] ELSE ARRAY[]::text[] END,
                      CASE WHEN t.n BETWEEN 141 AND 180 THEN 'B' || (t.n % 50) END,
                      CASE WHEN t.n > 180 THEN (SELECT h.id FROM heads h WHERE h.n = t.n) END,
                      DATE '2025-05-15'
                 FROM t`);
    await sql(`WITH t AS (SELECT id, row_number() OVER (ORDER BY name) n FROM "Territory"),
                    r AS (SELECT id, row_number() OVER (ORDER BY email) n FROM "User")
               INSERT INTO "TerritoryAssignment" (id, "territoryId", "repId", kind, "validFrom", "validTo")
               SELECT gen_random_uuid(), t.id, r.id, 'PERMANENT'::"AssignmentKind", DATE '2025-05-15', NULL FROM t JOIN r ON r.n = t.n
               UNION ALL
               SELECT gen_random_uuid(), t.id, r.id, 'TEMPORARY'::"AssignmentKind", DATE '2026-12-01', DATE '2026-12-15' FROM t JOIN r ON r.n = (t.n % 200) + 1 WHERE t.n % 10 = 0`);
    await sql(`ANALYZE`);
    const seeded = performance.now() - t0;

    const t1 = performance.now();
    const fullProfile: Record<string, number> = {};
    const full = await recomputeTerritories(db, { all: true }, new Date("2025-05-15T00:00:00Z"), fullProfile);
    const fullMs = performance.now() - t1;
    const memberships = await db.territoryMembership.count();
    const assignments = await db.organisationAssignment.count();

    // One rule change: a postal-code territory ends its rule on the 1st of next month.
    const territory = await db.territory.findFirstOrThrow({ where: { name: "T042" } });
    await db.territoryRule.updateMany({ where: { territoryId: territory.id }, data: { validTo: new Date("2026-12-01T00:00:00Z") } });
    const t2 = performance.now();
    const partialProfile: Record<string, number> = {};
    const partial = await recomputeTerritories(db, { territoryIds: [territory.id] }, TODAY, partialProfile);
    const partialMs = performance.now() - t2;

    const t3 = performance.now();
    const again = await recomputeTerritories(db, { all: true }, TODAY);
    const fullFromTodayMs = performance.now() - t3;

    console.log(
      JSON.stringify(
        {
          organisations: ORGANISATIONS,
          territories: 200,
          seedMs: Math.round(seeded),
          fullMaterialisationMs: Math.round(fullMs),
          full,
          fullProfile,
          memberships,
          assignments,
          singleRuleChange: { ms: Math.round(partialMs), ...partial, profile: partialProfile },
          fullRecomputeFromTodayMs: Math.round(fullFromTodayMs),
          fullRecomputeFromToday: again,
        },
        null,
        2,
      ),
    );
  } finally {
    await database.drop();
  }
});
