// Demo territories defined by rules, holders and scheduled changes; the materialisation then computes
// who matched and who was in charge of every organisation, when (past and future).
//
// - one region rule per rep's territory; Grand Est has a rule but no rep until the 1st of next month
//   (today's gap, removed by a scheduled PERMANENT assignment to the Rouen rep);
// - Beauvais (postal code 60…): the Paris territory also has a "60" prefix rule (the deliberate overlap);
//   Hauts-de-France used to be defined by postal-code prefixes without 60 (a rule that ended six months
//   ago) and by its region since, with a better priority: the Paris rep held Beauvais until six months
//   ago, the Lille rep since;
// - a TEMPORARY cover in the past (Marseille covered Bordeaux) and one scheduled (Lyon will cover Marseille).
import { isInForce } from "../auth/scope/condition.js";
import type { Db } from "../db/client.js";
import { recomputeTerritories } from "../modules/territories/territory.materialise.js";
import type { DemoCompany } from "./demo-company.types.js";

const DAY_MS = 86_400_000;
const monthsBefore = (day: Date, months: number) => new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - months, day.getUTCDate()));
const addDays = (day: Date, days: number) => new Date(day.getTime() + days * DAY_MS);
const startOfDay = (day: Date) => new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));

export const DEMO_OVERLAP_PREFIX = "60";
export const firstOfNextMonth = (today: Date) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1));

/** Who was in charge of what, when: the assignment history the materialisation wrote, for the later seeds. */
export async function chargeHistory(db: Db): Promise<{ repOn(organisationId: string, day: Date): string | null; has(organisationId: string): boolean }> {
  const assignments = await db.organisationAssignment.findMany({ select: { organisationId: true, repId: true, validFrom: true, validTo: true } });
  const byOrganisation = new Map<string, typeof assignments>();
  for (const a of assignments) byOrganisation.set(a.organisationId, [...(byOrganisation.get(a.organisationId) ?? []), a]);
  return {
    repOn: (organisationId, day) =>
      (byOrganisation.get(organisationId) ?? [])
        .filter((a) => isInForce(a, day))
        .sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime())[0]?.repId ?? null,
    has: (organisationId) => byOrganisation.has(organisationId),
  };
}

export async function seedTerritories(db: Db, demo: DemoCompany): Promise<void> {
  const today = startOfDay(demo.today);
  const since = startOfDay(demo.since);
  const beauvaisMoved = monthsBefore(today, 6);
  const territory = (region: string) => demo.territoryByRegion.get(region)!;
  const rep = (email: string) => demo.userIds.get(email)!;

  // Lille's territory wins the Beauvais overlap (lower number = higher priority).
  await db.territory.update({ where: { id: territory("Hauts-de-France") }, data: { priority: 50 } });

  const rules = [...demo.territoryByRegion.entries()]
    .filter(([region]) => region !== "Hauts-de-France")
    .map(([region, territoryId]) => ({ territoryId, country: "FR", region, validFrom: since }));
  rules.push(
    { territoryId: demo.gapTerritoryId, country: "FR", region: "Grand Est", validFrom: since },
    { territoryId: territory("Hauts-de-France"), country: "FR", region: "Hauts-de-France", validFrom: beauvaisMoved },
  );
  await db.territoryRule.createMany({
    data: [
      ...rules,
      { territoryId: territory("Hauts-de-France"), country: "FR", postalCodePrefixes: ["59", "62", "80", "02"], validFrom: since, validTo: beauvaisMoved },
      { territoryId: territory("Île-de-France"), country: "FR", postalCodePrefixes: [DEMO_OVERLAP_PREFIX], validFrom: since },
    ],
  });

  const holders = [...demo.repByRegion.entries()].map(([region, repId]) => ({
    territoryId: territory(region),
    repId,
    kind: "PERMANENT" as const,
    validFrom: since,
  }));
  const pastCover = monthsBefore(today, 4);
  const futureCover = addDays(today, 20);
  await db.territoryAssignment.createMany({
    data: [
      ...holders,
      { territoryId: demo.gapTerritoryId, repId: rep("rep.rouen@demo.test"), kind: "PERMANENT", validFrom: firstOfNextMonth(today) },
      { territoryId: territory("Nouvelle-Aquitaine"), repId: rep("rep.marseille@demo.test"), kind: "TEMPORARY", validFrom: pastCover, validTo: addDays(pastCover, 14) },
      { territoryId: territory("Provence-Alpes-Côte d'Azur"), repId: rep("rep.lyon@demo.test"), kind: "TEMPORARY", validFrom: futureCover, validTo: addDays(futureCover, 14) },
    ],
  });

  // First load: nothing is frozen yet, the whole history is computed.
  await recomputeTerritories(db, { all: true }, since);
}
