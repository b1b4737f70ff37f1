// The materialisation on the demo company, read with Prisma: the seeded rules and holders give the
// expected history (Beauvais: Paris then Lille; past and future covers; Grand Est from next month), and a
// partial recompute after a rule change rewrites only the organisations the change touches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "../../src/app/bootstrap.js";
import { createLogger } from "../../src/app/logger.js";
import { recomputeTerritories } from "../../src/modules/territories/territory.materialise.js";
import { openTestDatabase, migrateTestDatabase } from "../support/database.js";
import { TODAY } from "../support/server.js";

const DAY = new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), TODAY.getUTCDate()));
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.prisma;

async function repOn(organisationId: string, on: Date): Promise<string | null> {
  const rows = await db().organisationAssignment.findMany({
    where: { organisationId, validFrom: { lte: on }, OR: [{ validTo: null }, { validTo: { gt: on } }] },
  });
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0]?.repId ?? null;
}
const userId = async (email: string) => (await db().user.findUniqueOrThrow({ where: { email } })).id;
const territoryId = async (name: string) => (await db().territory.findUniqueOrThrow({ where: { name } })).id;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrateTestDatabase(database);
  await prepareDatabase(database, { seedDemo: true, logger: createLogger("silent"), today: TODAY });
}, 120_000);
afterAll(async () => database?.drop());

describe("demo territories, materialised", () => {
  it("Beauvais went from the Paris rep to the Lille rep six months ago, and is matched by both territories today", async () => {
    const beauvais = await db().organisation.findMany({ where: { city: "Beauvais", mergedIntoId: null } });
    expect(beauvais.length).toBeGreaterThan(0);
    const [paris, lille] = [await userId("rep.paris@demo.test"), await userId("rep.lille@demo.test")];
    for (const o of beauvais) {
      expect(await repOn(o.id, day("2026-05-14"))).toBe(paris);
      expect(await repOn(o.id, day("2026-05-15"))).toBe(lille);
      expect(await repOn(o.id, DAY)).toBe(lille);
      const members = await db().territoryMembership.findMany({
        where: { organisationId: o.id, validFrom: { lte: DAY }, OR: [{ validTo: null }, { validTo: { gt: DAY } }] },
      });
      expect(members.map((m) => m.territoryId).sort()).toEqual([await territoryId("Hauts-de-France"), await territoryId("Île-de-France")].sort());
    }
  });

  it("temporary covers take over for their window and the permanent holder comes back", async () => {
    const bordeaux = await db().organisation.findFirstOrThrow({ where: { region: "Nouvelle-Aquitaine", mergedIntoId: null } });
    const marseilleOrg = await db().organisation.findFirstOrThrow({ where: { region: "Provence-Alpes-Côte d'Azur", mergedIntoId: null } });
    // past cover: 2026-07-15 .. 2026-07-29 (exclusive); future cover: 2026-12-05 .. 2026-12-19
    expect(await repOn(bordeaux.id, day("2026-07-14"))).toBe(await userId("rep.bordeaux@demo.test"));
    expect(await repOn(bordeaux.id, day("2026-07-15"))).toBe(await userId("rep.marseille@demo.test"));
    expect(await repOn(bordeaux.id, day("2026-07-28"))).toBe(await userId("rep.marseille@demo.test"));
    expect(await repOn(bordeaux.id, day("2026-07-29"))).toBe(await userId("rep.bordeaux@demo.test"));
    expect(await repOn(marseilleOrg.id, day("2026-12-04"))).toBe(await userId("rep.marseille@demo.test"));
    expect(await repOn(marseilleOrg.id, day("2026-12-05"))).toBe(await userId("rep.lyon@demo.test"));
    expect(await repOn(marseilleOrg.id, day("2026-12-19"))).toBe(await userId("rep.marseille@demo.test"));
  });

  it("Grand Est has nobody today and the Rouen rep from the 1st of next month", async () => {
    const strasbourg = await db().organisation.findFirstOrThrow({ where: { region: "Grand Est", mergedIntoId: null } });
    expect(await repOn(strasbourg.id, DAY)).toBeNull();
    expect(await repOn(strasbourg.id, day("2026-11-30"))).toBeNull();
    expect(await repOn(strasbourg.id, day("2026-12-01"))).toBe(await userId("rep.rouen@demo.test"));
  });

  it("a rule change recomputes only the territory's organisations, leaves history alone, and agrees with a full recompute", async () => {
    const normandie = await territoryId("Normandie");
    const outside = await db().organisationAssignment.findMany({ where: { territoryId: { not: normandie }, organisation: { region: { not: "Normandie" } } }, orderBy: { id: "asc" } });
    const past = await db().organisationAssignment.findMany({ where: { validTo: { lte: DAY } }, orderBy: { id: "asc" } });
    // Normandie's region rule ends on 2027-03-01: its organisations have nobody from that day.
    const rule = await db().territoryRule.findFirstOrThrow({ where: { territoryId: normandie } });
    await db().territoryRule.update({ where: { id: rule.id }, data: { validTo: day("2027-03-01") } });
    const normandieOrgs = await db().organisation.count({ where: { region: "Normandie" } });
    const result = await recomputeTerritories(db(), { territoryIds: [normandie] }, DAY);
    expect(result.organisations).toBe(normandieOrgs);
    // rows of other organisations kept their ids and dates (not rewritten); past rows untouched
    const outsideAfter = await db().organisationAssignment.findMany({ where: { id: { in: outside.map((r) => r.id) } }, orderBy: { id: "asc" } });
    expect(outsideAfter).toEqual(outside);
    const pastAfter = await db().organisationAssignment.findMany({ where: { id: { in: past.map((r) => r.id) } }, orderBy: { id: "asc" } });
    expect(pastAfter).toEqual(past);
    const rouenOrg = await db().organisation.findFirstOrThrow({ where: { region: "Normandie", mergedIntoId: null } });
    expect(await repOn(rouenOrg.id, day("2027-02-28"))).toBe(await userId("rep.rouen@demo.test"));
    expect(await repOn(rouenOrg.id, day("2027-03-01"))).toBeNull();

    const snapshot = async () =>
      (await db().organisationAssignment.findMany()).map((r) => `${r.organisationId} ${r.repId} ${r.territoryId} ${r.validFrom.toISOString()} ${r.validTo?.toISOString()}`).sort();
    const partial = await snapshot();
    const full = await recomputeTerritories(db(), { all: true }, DAY);
    expect(full.assignmentRowsWritten).toBeGreaterThan(result.assignmentRowsWritten);
    expect(await snapshot()).toEqual(partial);
  });
});
