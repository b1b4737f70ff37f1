// What other departments feed the field with (SPEC §9): incidents and alerts from support, logistics and
// accounting on customers in someone's charge (open ones, and resolved ones over the last three months),
// and head-office announcements — a few in force today (one for everyone, one for GOLD customers, one for a
// region, one for a banner), one ended and one scheduled. The visit briefs and dashboards read them.
import type { Db } from "../db/client.js";
import type { Prisma } from "../db/generated/client.js";
import type { IncidentKind } from "../db/generated/enums.js";
import type { DemoCompany } from "./demo-company.types.js";
import { SeededRandom } from "./random.js";
import { chargeHistory } from "./seed-territories.js";

const DAY_MS = 86_400_000;
const addDays = (day: Date, days: number) => new Date(day.getTime() + days * DAY_MS);
const startOfDay = (day: Date) => new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));

const INCIDENTS: { kind: IncidentKind; department: string; summaries: string[] }[] = [
  { kind: "DELIVERY_DELAY", department: "Logistique", summaries: ["Livraison de la commande reportée d'une semaine", "Palette bloquée au quai de Lyon", "Rupture fournisseur sur la gamme jardin"] },
  { kind: "AFTER_SALES", department: "Service après-vente", summaries: ["Tondeuse en panne sous garantie", "Réclamation sur un lot de perceuses", "Pièce détachée introuvable"] },
  { kind: "BILLING", department: "Comptabilité", summaries: ["Facture contestée : remise non appliquée", "Relance de paiement à 60 jours", "Avoir en attente de validation"] },
  { kind: "QUALITY", department: "Qualité", summaries: ["Emballages abîmés à la réception", "Non-conformité sur un lot de peinture"] },
  { kind: "OTHER", department: "Support", summaries: ["Demande de changement d'adresse de livraison", "Accès au portail client perdu"] },
];

export async function seedFeeds(db: Db, demo: DemoCompany): Promise<void> {
  const random = new SeededRandom(70707);
  const today = startOfDay(demo.today);
  const { repOn } = await chargeHistory(db);

  // Incidents on customers someone is in charge of: a third still open, the others resolved within days.
  const customers = demo.organisations.filter((o) => o.status === "CLIENT" && repOn(o.id!, today));
  const incidents: Prisma.IncidentCreateManyInput[] = [];
  for (let i = 0; i < 60; i += 1) {
    const organisation = random.pick(customers);
    const family = random.pick(INCIDENTS);
    const daysAgo = random.int(1, 90);
    const openedAt = new Date(addDays(today, -daysAgo).getTime() + random.int(8, 17) * 3_600_000);
    // resolved within ten days, and before today
    const open = daysAgo < 2 || random.chance(0.35);
    incidents.push({
      id: random.uuid(),
      externalId: `SUP-${String(1001 + i)}`,
      organisationId: organisation.id!,
      kind: family.kind,
      status: open ? "OPEN" : "RESOLVED",
      openedAt,
      resolvedAt: open ? null : addDays(openedAt, random.int(1, Math.min(10, daysAgo - 1))),
      summary: random.pick(family.summaries),
      department: family.department,
    });
  }
  await db.incident.createMany({ data: incidents });

  const headOffice = demo.userIds.get("head.office@demo.test")!;
  const banner = demo.organisations.find((o) => o.banner)?.banner ?? null;
  const announcements: Prisma.AnnouncementCreateManyInput[] = [
    {
      kind: "PRODUCT_LAUNCH",
      title: "Nouvelle gamme jardin connectée",
      body: "Arrosage programmable et capteurs d'humidité : présentez la gamme et proposez la démonstration en magasin.",
      validFrom: addDays(today, -20),
      validTo: addDays(today, 40),
    },
    {
      kind: "PROMOTION",
      title: "Clients GOLD : remise de fin d'année",
      body: "5 % supplémentaires sur toute commande passée avant le 31 décembre, pour les clients GOLD.",
      validFrom: addDays(today, -10),
      validTo: addDays(today, 45),
      segments: ["GOLD"],
    },
    {
      kind: "INFO",
      title: "Salon professionnel de Lyon",
      body: "Invitez vos clients au salon du 12 au 14 du mois prochain ; des badges sont disponibles au siège.",
      validFrom: addDays(today, -5),
      validTo: addDays(today, 30),
      regions: ["Auvergne-Rhône-Alpes"],
    },
    ...(banner
      ? [
          {
            kind: "PROMOTION" as const,
            title: `Opération ${banner}`,
            body: "Mise en avant de l'outillage électroportatif en tête de gondole, PLV fournie.",
            validFrom: addDays(today, -3),
            validTo: addDays(today, 25),
            banners: [banner],
          },
        ]
      : []),
    {
      kind: "PROMOTION",
      title: "Offre de rentrée",
      body: "Terminée : remplacée par la remise de fin d'année.",
      validFrom: addDays(today, -90),
      validTo: addDays(today, -30),
    },
    {
      kind: "PRODUCT_LAUNCH",
      title: "Catalogue printemps",
      body: "Le nouveau catalogue sera disponible en janvier.",
      validFrom: addDays(today, 50),
      categories: ["DEVELOP", "MAINTAIN"],
    },
  ];
  await db.announcement.createMany({ data: announcements.map((a) => ({ ...a, id: random.uuid(), createdById: headOffice })) });
}
