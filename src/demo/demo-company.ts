// The deterministic demo company of SPEC §7 (French B2B, EUR), loaded when the database is empty.
import { hashPassword } from "../auth/passwords.js";
import type { Db } from "../db/client.js";
import type { Prisma } from "../db/generated/client.js";
import type { ContactRole, OrganisationStatus, PortfolioCategory, Role, Segment } from "../db/generated/enums.js";
import { foldName } from "../modules/organisations/organisation.search.js";
import { FAMILY_NAMES, FIRST_NAMES, JOB_TITLES, LEGAL_FORMS, STREETS, TOWNS, TRADES, siret, type Town } from "./french-referential.js";
import { SeededRandom } from "./random.js";
import { seedPipeline } from "./seed-pipeline.js";
import { seedTerritories } from "./seed-territories.js";
import { seedReferentialRequests } from "./seed-referential-requests.js";
import { seedField } from "./seed-field.js";
import { seedFeeds } from "./seed-feeds.js";
import type { AreaSeed, DemoCompany } from "./demo-company.types.js";

export const DEMO_PASSWORD = "demo";

interface DemoUser {
  email: string;
  name: string;
  role: Role;
  team?: "North" | "South";
  /** the region this rep's territory covers */
  region?: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { email: "head.office@demo.test", name: "Hélène Office", role: "HEAD_OFFICE" },
  { email: "data.steward@demo.test", name: "Denis Steward", role: "DATA_STEWARD" },
  { email: "manager.north@demo.test", name: "Marc Nord", role: "MANAGER", team: "North" },
  { email: "manager.south@demo.test", name: "Sylvie Sud", role: "MANAGER", team: "South" },
  { email: "rep.lille@demo.test", name: "Lucie Lille", role: "REP", team: "North", region: "Hauts-de-France" },
  { email: "rep.rouen@demo.test", name: "Romain Rouen", role: "REP", team: "North", region: "Normandie" },
  { email: "rep.paris@demo.test", name: "Pauline Paris", role: "REP", team: "North", region: "Île-de-France" },
  { email: "rep.lyon@demo.test", name: "Léo Lyon", role: "REP", team: "South", region: "Auvergne-Rhône-Alpes" },
  { email: "rep.marseille@demo.test", name: "Manon Marseille", role: "REP", team: "South", region: "Provence-Alpes-Côte d'Azur" },
  { email: "rep.bordeaux@demo.test", name: "Bruno Bordeaux", role: "REP", team: "South", region: "Nouvelle-Aquitaine" },
];

/** Grand Est has a territory but no rep: the demo's deliberate gap. */
export const UNCOVERED_REGION = "Grand Est";

const STATUSES: OrganisationStatus[] = ["CLIENT", "CLIENT", "CLIENT", "PROSPECT", "PROSPECT", "INACTIVE", "LOST", "ARCHIVED"];
const CATEGORIES_BY_STATUS: Record<OrganisationStatus, PortfolioCategory[]> = {
  CLIENT: ["MAINTAIN", "MAINTAIN", "DEVELOP"],
  PROSPECT: ["CONQUER"],
  INACTIVE: ["DEVELOP", "CONQUER"],
  LOST: ["CONQUER"],
  ARCHIVED: ["MAINTAIN"],
};
const SEGMENTS: Segment[] = ["GOLD", "SILVER", "SILVER", "BRONZE", "BRONZE", "BRONZE"];

const monthsBefore = (day: Date, months: number) => new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - months, day.getUTCDate()));

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

/** What the referential seed built, for the seeds of the other areas (pipeline, visits, territories…). */
const AREA_SEEDS: AreaSeed[] = [seedPipeline, seedReferentialRequests, seedField, seedFeeds];

export async function seedDemoCompany(db: Db, today: Date): Promise<void> {
  const demo = await seedReferential(db, today);
  for (const seed of AREA_SEEDS) await seed(db, demo);
}

async function seedReferential(db: Db, today: Date): Promise<DemoCompany> {
  const random = new SeededRandom(20261122);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  // Teams and people
  const teamIds = { North: random.uuid(), South: random.uuid() };
  const userIds = new Map(DEMO_USERS.map((u) => [u.email, random.uuid()]));
  await db.team.createMany({ data: Object.entries(teamIds).map(([name, id]) => ({ id, name })) });
  await db.user.createMany({
    data: DEMO_USERS.map((u) => ({
      id: userIds.get(u.email)!,
      email: u.email,
      name: u.name,
      role: u.role,
      passwordHash,
      teamId: u.team ? teamIds[u.team] : null,
    })),
  });
  for (const [team, managerEmail] of [["North", "manager.north@demo.test"], ["South", "manager.south@demo.test"]] as const) {
    await db.team.update({ where: { id: teamIds[team] }, data: { managerId: userIds.get(managerEmail)! } });
  }

  // Territories: one per rep region, plus Grand Est with nobody (gap)
  const reps = DEMO_USERS.filter((u) => u.role === "REP");
  const territoryByRegion = new Map<string, string>();
  const territories: Prisma.TerritoryCreateManyInput[] = [];
  for (const rep of reps) {
    const id = random.uuid();
    territoryByRegion.set(rep.region!, id);
    territories.push({ id, name: rep.region!, teamId: teamIds[rep.team!] });
  }
  const gapTerritoryId = random.uuid();
  territories.push({ id: gapTerritoryId, name: UNCOVERED_REGION, teamId: teamIds.North });
  await db.territory.createMany({ data: territories });
  const since = monthsBefore(today, 18);

  // Organisations: groups → banners → stores, then independents
  const organisations: Prisma.OrganisationCreateManyInput[] = [];
  let serial = 0;
  const makeOrganisation = (name: string, town: Town, extra: Partial<Prisma.OrganisationCreateManyInput> = {}) => {
    serial += 1;
    const status = random.pick(STATUSES);
    const organisation: Prisma.OrganisationCreateManyInput = {
      id: random.uuid(),
      name,
      searchName: foldName(name),
      legalId: random.chance(0.9) ? siret(serial) : null,
      status,
      category: random.pick(CATEGORIES_BY_STATUS[status]),
      segment: random.pick(SEGMENTS),
      tags: random.chance(0.3) ? [random.pick(["export", "salon-2026", "showroom", "grand-compte", "saisonnier"])] : [],
      street: `${random.int(1, 180)} ${random.pick(STREETS)}`,
      postalCode: town.postalCode,
      city: town.city,
      region: town.region,
      latitude: town.latitude + (random.next() - 0.5) / 20,
      longitude: town.longitude + (random.next() - 0.5) / 20,
      phone: random.chance(0.85) ? `+33 ${random.int(1, 5)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)}` : null,
      email: random.chance(0.6) ? `contact@${foldName(name).replace(/ /g, "-").slice(0, 24)}.fr` : null,
      createdAt: monthsBefore(today, random.int(6, 40)),
      ...extra,
    };
    organisations.push(organisation);
    return organisation;
  };

  const groups = [
    { name: "Groupe Distrimax", banners: ["Maxi Brico", "Proxi Jardin"] },
    { name: "Coopérative Agrinord", banners: ["Agrinord Services", "Terres & Jardins"] },
    { name: "Union Négoce Sud", banners: ["Sud Matériaux", "Bâti Sud"] },
  ];
  for (const group of groups) {
    const head = makeOrganisation(group.name, TOWNS[7]!, { status: "CLIENT", category: "DEVELOP", segment: "GOLD", buyingGroup: group.name });
    for (const banner of group.banners) {
      const bannerOrg = makeOrganisation(banner, TOWNS[7]!, { parentId: head.id, status: "CLIENT", category: "MAINTAIN", segment: "GOLD", banner, buyingGroup: group.name });
      for (let i = 0; i < 10; i += 1) {
        const town = random.pick(TOWNS);
        makeOrganisation(`${banner} ${town.city}${i > 5 ? ` ${i - 4}` : ""}`, town, { parentId: bannerOrg.id, banner, buyingGroup: group.name });
      }
    }
  }
  while (organisations.length < 296) {
    const town = random.pick(TOWNS);
    const name = `${random.pick(TRADES)} ${random.pick(FAMILY_NAMES)}${random.chance(0.5) ? ` ${random.pick(LEGAL_FORMS)}` : ""}`;
    makeOrganisation(name, town);
  }
  // Near-duplicates on purpose, for the data stewards' duplicate detection
  const lille = TOWNS[0]!;
  makeOrganisation("SAS Dupont & Fils", lille, { legalId: "55210055400013", status: "CLIENT", category: "MAINTAIN" });
  makeOrganisation("Dupont et Fils", lille, { legalId: null, status: "PROSPECT", category: "CONQUER" });
  makeOrganisation("Quincaillerie Martin SARL", TOWNS[4]!, { legalId: "43210987600021" });
  makeOrganisation("Quincaillerie Martin", TOWNS[4]!, { legalId: "43210987600021" });
  await db.organisation.createMany({ data: organisations });

  // Who is in charge, when: territory rules and holders, materialised (seed-territories.ts).
  const repByRegion = new Map(reps.map((rep) => [rep.region!, userIds.get(rep.email)!]));
  await seedTerritories(db, { today, since, userIds, teamIds, territoryByRegion, gapTerritoryId, organisations, contacts: [], repByRegion });

  // Contacts with roles; some left, some never verified
  const contacts: Prisma.ContactCreateManyInput[] = [];
  for (const organisation of organisations) {
    const count = random.int(1, 4);
    for (let i = 0; i < count; i += 1) {
      const [jobTitle, mainRole] = random.pick(JOB_TITLES);
      const roles = new Set<ContactRole>([mainRole]);
      if (random.chance(0.25)) roles.add(random.pick(["INFLUENCER", "USER", "TECHNICAL"] as const));
      const firstName = random.pick(FIRST_NAMES);
      const lastName = random.pick(FAMILY_NAMES);
      const left = random.chance(0.07);
      contacts.push({
        id: random.uuid(),
        organisationId: organisation.id!,
        firstName,
        lastName,
        jobTitle,
        email: random.chance(0.8) ? `${foldName(firstName)}.${foldName(lastName)}@${random.chance(0.95) ? "exemple.fr" : "invalid"}`.replace(/ /g, "") : null,
        phone: random.chance(0.7) ? `+33 6 ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)}` : null,
        roles: [...roles],
        isPrimary: i === 0,
        leftCompanyAt: left ? monthsBefore(today, random.int(1, 12)) : null,
        lastVerifiedAt: random.chance(0.7) ? monthsBefore(today, random.int(0, 24)) : null,
      });
    }
  }
  await db.contact.createMany({ data: contacts });
  return { today, since, userIds, teamIds, territoryByRegion, gapTerritoryId, organisations, contacts, repByRegion };
}
