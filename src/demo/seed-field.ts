// Demo visits: the visit policies of SPEC §3 (GOLD every 4 months, SILVER 6, BRONZE 12, CONQUER prospects
// every 2 months), 18 months of done visits with reports (by the rep in charge on the visit date), a few
// cancelled ones, planned and prepared visits in the coming weeks, and late ones (planned in the past, not
// done). Incidents and announcements are seeded by seed-feeds.ts.
import type { Db } from "../db/client.js";
import type { Prisma } from "../db/generated/client.js";
import type { VisitChannel } from "../db/generated/enums.js";
import type { DemoCompany } from "./demo-company.types.js";
import { SeededRandom } from "./random.js";
import { chargeHistory } from "./seed-territories.js";

const DAY_MS = 86_400_000;
const CHANNELS: VisitChannel[] = ["ON_SITE", "ON_SITE", "ON_SITE", "PHONE", "VIDEO"];
const OBJECTIVES = [
  "Présenter la nouvelle gamme jardin",
  "Faire le point sur les commandes en retard",
  "Préparer le référencement de printemps",
  "Former l'équipe magasin au nouveau rayon",
  "Revoir le projet d'agencement",
  "Découvrir les besoins et les interlocuteurs",
];
const AGENDAS = ["Tour du magasin, point stocks, présentation catalogue", "Revue des commandes, litiges, promotions du mois", "Démonstration produit, conditions commerciales"];
const OUTCOMES = [
  "Intérêt confirmé pour la gamme, devis à envoyer",
  "Litige livraison réglé, client rassuré",
  "Référencement validé pour deux familles",
  "Pas de besoin à court terme, rappeler dans trois mois",
  "Formation réalisée, équipe autonome",
];
const NEXT_STEPS = ["Envoyer le devis", "Relancer l'acheteur", "Planifier une démonstration", "Transmettre au service après-vente", "Aucune"];

/** Visit policies: segment frequencies, and prospects to conquer more often (the most specific wins). */
export const DEMO_POLICIES = [
  { name: "Conquête", segment: null, category: "CONQUER", intervalMonths: 2 },
  { name: "Gold", segment: "GOLD", category: null, intervalMonths: 4 },
  { name: "Silver", segment: "SILVER", category: null, intervalMonths: 6 },
  { name: "Bronze", segment: "BRONZE", category: null, intervalMonths: 12 },
] as const;

const INTERVAL_DAYS: Record<string, number> = { GOLD: 122, SILVER: 183, BRONZE: 365 };

const addDays = (day: Date, days: number) => new Date(day.getTime() + days * DAY_MS);
const atHour = (day: Date, hour: number) => new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour));
const startOfDay = (day: Date) => new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));

export async function seedField(db: Db, demo: DemoCompany): Promise<void> {
  const random = new SeededRandom(60606);
  const today = startOfDay(demo.today);
  const since = startOfDay(demo.since);

  await db.visitPolicy.createMany({ data: DEMO_POLICIES.map((p) => ({ id: random.uuid(), ...p })) });

  const { repOn, has: hasCharge } = await chargeHistory(db);
  const contacts = demo.contacts.filter((c) => !c.leftCompanyAt).map((c) => ({ id: c.id!, organisationId: c.organisationId }));
  const contactsOf = new Map<string, string[]>();
  for (const c of contacts) contactsOf.set(c.organisationId, [...(contactsOf.get(c.organisationId) ?? []), c.id]);

  const visits: Prisma.VisitCreateManyInput[] = [];
  const live = demo.organisations.filter((o) => o.status !== "ARCHIVED" && o.status !== "LOST" && hasCharge(o.id!));
  for (const organisation of live) {
    const id = organisation.id!;
    const people = contactsOf.get(id) ?? [];
    const met = people.slice(0, random.int(1, Math.max(1, Math.min(2, people.length))));
    // Roughly the policy's rhythm, with noise; some organisations are neglected (overdue in the plan).
    const interval = organisation.category === "CONQUER" ? 61 : INTERVAL_DAYS[organisation.segment ?? "BRONZE"]!;
    const neglected = random.chance(0.2);
    let day = addDays(since, random.int(0, interval));
    while (day < addDays(today, -3) && !neglected) {
      const repId = repOn(id, day);
      if (repId) {
        const cancelled = random.chance(0.05);
        const objectives = random.pick(OBJECTIVES);
        visits.push({
          id: random.uuid(),
          organisationId: id,
          repId,
          plannedAt: atHour(day, random.int(8, 16)),
          channel: random.pick(CHANNELS),
          status: cancelled ? "CANCELLED" : "DONE",
          contactIdsToMeet: met,
          objectives,
          agenda: random.pick(AGENDAS),
          preparedAt: atHour(addDays(day, -2), 18),
          ...(cancelled
            ? { cancelledAt: atHour(addDays(day, -1), 9), cancelReason: "Client indisponible" }
            : {
                outcome: random.pick(OUTCOMES),
                reportNotes: `${objectives}. ${random.pick(AGENDAS)}.`,
                nextSteps: random.pick(NEXT_STEPS),
                contactIdsMet: met,
                durationMinutes: random.pick([30, 45, 60, 90]),
                reportedAt: atHour(day, 19),
              }),
          createdAt: atHour(addDays(day, -random.int(7, 20)), 9),
        });
      }
      day = addDays(day, Math.round(interval * (0.7 + random.next() * 0.6)));
    }
    // What comes next: planned (some prepared) in the next six weeks, or late (planned in the past, not done).
    const repNow = repOn(id, today);
    if (!repNow) continue;
    const roll = random.next();
    if (roll < 0.35) {
      const prepared = random.chance(0.3);
      visits.push({
        id: random.uuid(),
        organisationId: id,
        repId: repNow,
        plannedAt: atHour(addDays(today, random.int(1, 42)), random.int(8, 16)),
        channel: random.pick(CHANNELS),
        status: prepared ? "PREPARED" : "PLANNED",
        contactIdsToMeet: met,
        ...(prepared ? { objectives: random.pick(OBJECTIVES), agenda: random.pick(AGENDAS), preparedAt: atHour(addDays(today, -1), 18) } : {}),
        createdAt: atHour(addDays(today, -random.int(1, 10)), 9),
      });
    } else if (roll < 0.42) {
      visits.push({
        id: random.uuid(),
        organisationId: id,
        repId: repNow,
        plannedAt: atHour(addDays(today, -random.int(2, 20)), random.int(8, 16)),
        channel: random.pick(CHANNELS),
        status: "PLANNED",
        contactIdsToMeet: met,
        createdAt: atHour(addDays(today, -random.int(25, 40)), 9),
      });
    }
  }
  await db.visit.createMany({ data: visits });
}
