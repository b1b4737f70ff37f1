// The benchmark company, at any size: users in teams, territories by postal-code prefix, organisations
// with a group → banner → store hierarchy, contacts, three years of pipeline, orders, invoices, visits
// and tasks. Deterministic for a given seed, size and day; rows go straight into COPY streams.
import { FAMILY_NAMES, FIRST_NAMES, JOB_TITLES, LEGAL_FORMS, STREETS, TOWNS, TRADES, siret, type Town } from "../../src/demo/french-referential.js";
import { SeededRandom } from "../../src/demo/random.js";
import { DEFAULT_STAGES } from "../../src/modules/pipeline/stage.service.js";
import { foldName } from "../../src/modules/organisations/organisation.search.js";
import type { Cell } from "./copy-writer.js";

export const BENCH_PASSWORD = "bench";
export const BENCH_EMAIL_DOMAIN = "bench.test";

export interface GenerateOptions {
  organisations: number;
  seed: number;
  today: Date;
  /** scrypt hash of BENCH_PASSWORD, computed once and shared by every user */
  passwordHash: string;
}

/** Where rows go: one sink per table, awaited only when the stream applies backpressure. */
export type Sink = (table: string, cells: readonly Cell[]) => Promise<void> | undefined;

export const TABLE_COLUMNS: Record<string, readonly string[]> = {
  Team: ["id", "name", "managerId"],
  User: ["id", "email", "name", "role", "passwordHash", "active", "teamId"],
  PipelineStage: ["id", "name", "position", "defaultProbability", "maxDaysInStage", "isWon", "isLost"],
  Territory: ["id", "name", "teamId", "priority"],
  TerritoryRule: ["id", "territoryId", "country", "postalCodePrefixes", "validFrom"],
  TerritoryAssignment: ["id", "territoryId", "repId", "kind", "validFrom"],
  VisitPolicy: ["id", "name", "segment", "intervalMonths"],
  Objective: ["id", "userId", "metric", "periodStart", "periodEnd", "target", "updatedAt"],
  Announcement: ["id", "kind", "title", "body", "validFrom", "validTo", "segments"],
  Organisation: [
    "id", "name", "searchName", "legalId", "status", "category", "segment", "tags", "street", "postalCode", "city", "region",
    "latitude", "longitude", "banner", "buyingGroup", "phone", "email", "parentId", "createdAt", "updatedAt",
  ],
  Contact: ["id", "organisationId", "firstName", "lastName", "jobTitle", "email", "phone", "roles", "isPrimary", "leftCompanyAt", "lastVerifiedAt", "createdAt", "updatedAt"],
  TerritoryMembership: ["id", "organisationId", "territoryId", "validFrom", "validTo"],
  OrganisationAssignment: ["id", "organisationId", "repId", "territoryId", "validFrom", "validTo"],
  Opportunity: [
    "id", "organisationId", "ownerId", "name", "stageId", "amount", "probability", "expectedCloseDate", "initialCloseDate", "needs",
    "competitors", "source", "status", "lostReason", "decisionMakersKnown", "budgetKnown", "stakesKnown", "timingKnown",
    "stageEnteredAt", "closedAt", "createdAt", "updatedAt",
  ],
  OpportunityStageChange: ["id", "opportunityId", "fromStageId", "toStageId", "amount", "probability", "changedById", "at"],
  Quote: ["id", "opportunityId", "reference", "amount", "status", "sentAt", "validUntil", "followUpDate", "createdAt", "updatedAt"],
  Order: ["id", "externalId", "organisationId", "orderedAt", "amount", "deliveryDate", "deliveredAt", "repId", "createdAt"],
  Invoice: ["id", "externalId", "organisationId", "invoicedAt", "amount", "orderExternalId", "repId", "createdAt"],
  Visit: ["id", "organisationId", "repId", "plannedAt", "channel", "status", "objectives", "outcome", "reportNotes", "durationMinutes", "reportedAt", "createdAt", "updatedAt"],
  Task: ["id", "kind", "title", "dueDate", "status", "assigneeId", "organisationId", "completedAt", "createdById", "createdAt", "updatedAt"],
  Incident: ["id", "externalId", "organisationId", "kind", "status", "openedAt", "resolvedAt", "summary", "createdAt", "updatedAt"],
};

const DAY_MS = 86_400_000;
const addDays = (day: Date, days: number) => new Date(day.getTime() + days * DAY_MS);
const dateOnly = (day: Date) => day.toISOString().slice(0, 10);
const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

const STATUSES = ["CLIENT", "CLIENT", "CLIENT", "PROSPECT", "PROSPECT", "INACTIVE", "LOST", "ARCHIVED"] as const;
type Status = (typeof STATUSES)[number];
const CATEGORIES_BY_STATUS: Record<Status, readonly string[]> = {
  CLIENT: ["MAINTAIN", "MAINTAIN", "DEVELOP"],
  PROSPECT: ["CONQUER"],
  INACTIVE: ["DEVELOP", "CONQUER"],
  LOST: ["CONQUER"],
  ARCHIVED: ["MAINTAIN"],
};
const SEGMENTS = ["GOLD", "SILVER", "SILVER", "BRONZE", "BRONZE", "BRONZE"] as const;
const SOURCES = ["REP", "REP", "MARKETING", "PARTNER", "CUSTOMER", "REFERRAL"] as const;
const NEEDS = ["Renouvellement de gamme", "Ouverture d'un nouveau magasin", "Équipement du rayon jardin", "Référencement centrale", "Remplacement fournisseur"] as const;
const COMPETITORS = ["Leroy Pro", "Brico Distribution", "NégoBat", "Point M"] as const;
const BANNER_WORDS = ["Maxi", "Proxi", "Super", "Espace", "Point", "Planète", "Univers", "Cap"] as const;
const TASK_KINDS = ["PRESENTATION", "TRAINING", "PROJECT_REVIEW", "FOLLOW_UP", "CALL", "EMAIL", "DEMO", "OTHER"] as const;
const INCIDENT_KINDS = ["DELIVERY_DELAY", "AFTER_SALES", "BILLING", "QUALITY", "OTHER"] as const;

/** A UUID from four draws (the demo's `uuid()` draws 36 times: too slow for millions of rows). */
function fastUuid(random: SeededRandom): string {
  const word = () => ((random.next() * 4294967296) >>> 0).toString(16).padStart(8, "0");
  const hex = word() + word() + word() + word();
  const variant = "89ab"[parseInt(hex[16]!, 16) & 3]!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface GeneratedCompany {
  headOfficeEmail: string;
  managerEmails: string[];
  repEmails: string[];
}

interface OrgRef {
  id: string;
  name: string;
  banner: string | null;
  buyingGroup: string | null;
}

export async function generateCompany(sink: Sink, options: GenerateOptions): Promise<GeneratedCompany> {
  const random = new SeededRandom(options.seed);
  const uuid = () => fastUuid(random);
  const { today, organisations: total } = options;
  const since = addDays(today, -3 * 365);
  const pick = <T>(items: readonly T[]) => random.pick(items);

  // ── People: ~1 rep per 1 000 organisations, teams of up to 10 reps with a manager each
  const repCount = Math.min(200, Math.max(10, Math.round(total / 1000)));
  const teamCount = Math.max(2, Math.ceil(repCount / 10));
  const teams = Array.from({ length: teamCount }, (_, t) => ({ id: uuid(), name: `Équipe ${t + 1}`, managerId: uuid() }));
  const reps = Array.from({ length: repCount }, (_, k) => ({ id: uuid(), team: teams[k % teamCount]!, email: `rep.${k + 1}@${BENCH_EMAIL_DOMAIN}` }));
  const person = () => `${pick(FIRST_NAMES)} ${pick(FAMILY_NAMES)}`;
  const headOfficeEmail = `head.office@${BENCH_EMAIL_DOMAIN}`;
  for (const team of teams) await sink("Team", [team.id, team.name, team.managerId]);
  await sink("User", [uuid(), headOfficeEmail, person(), "HEAD_OFFICE", options.passwordHash, true, null]);
  await sink("User", [uuid(), `data.steward@${BENCH_EMAIL_DOMAIN}`, person(), "DATA_STEWARD", options.passwordHash, true, null]);
  const managerEmails = teams.map((_, t) => `manager.${t + 1}@${BENCH_EMAIL_DOMAIN}`);
  for (const [t, team] of teams.entries()) await sink("User", [team.managerId, managerEmails[t]!, person(), "MANAGER", options.passwordHash, true, team.id]);
  for (const rep of reps) await sink("User", [rep.id, rep.email, person(), "REP", options.passwordHash, true, rep.team.id]);

  // ── Pipeline stages (SPEC defaults), visit policies, announcements
  const stages = DEFAULT_STAGES.map((s) => ({ ...s, id: uuid() }));
  for (const s of stages) await sink("PipelineStage", [s.id, s.name, s.position, s.defaultProbability, s.maxDaysInStage, "isWon" in s, "isLost" in s]);
  const open = stages.filter((s) => !("isWon" in s) && !("isLost" in s));
  const won = stages.find((s) => "isWon" in s)!;
  const lost = stages.find((s) => "isLost" in s)!;
  for (const [segment, months] of [["GOLD", 4], ["SILVER", 6], ["BRONZE", 12]] as const) {
    await sink("VisitPolicy", [uuid(), `${segment} tous les ${months} mois`, segment, months]);
  }
  for (let i = 0; i < 24; i += 1) {
    const from = addDays(today, random.int(-700, 30));
    await sink("Announcement", [uuid(), pick(["PRODUCT_LAUNCH", "PROMOTION", "INFO"]), `Annonce ${i + 1}`, "Message du siège.", dateOnly(from), dateOnly(addDays(from, random.int(30, 120))), random.chance(0.5) ? [pick(SEGMENTS)] : []]);
  }

  // ── Territories by 3-digit postal prefix; the last territory has no rep (the gap)
  const prefixes = [...new Set(TOWNS.map((t) => t.postalCode.slice(0, 2)))].flatMap((d) => Array.from({ length: 10 }, (_, n) => `${d}${n}`)).sort();
  const territoryCount = repCount + 1;
  const territories = Array.from({ length: territoryCount }, (_, k) => ({ id: uuid(), name: k < repCount ? `Secteur ${k + 1}` : "Secteur non couvert", rep: reps[k] ?? null }));
  const territoryOfPrefix = new Map(prefixes.map((p, i) => [p, territories[i % territoryCount]!]));
  for (const [k, territory] of territories.entries()) {
    await sink("Territory", [territory.id, territory.name, (territory.rep?.team ?? teams[0]!).id, 100]);
    const own = prefixes.filter((_, i) => i % territoryCount === k);
    await sink("TerritoryRule", [uuid(), territory.id, "FR", own, dateOnly(since)]);
    if (territory.rep) await sink("TerritoryAssignment", [uuid(), territory.id, territory.rep.id, "PERMANENT", dateOnly(since)]);
  }

  // ── Objectives: monthly invoiced revenue per rep over the three years
  for (const rep of reps) {
    for (let m = 0; m < 36; m += 1) {
      const start = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth() + m, 1));
      const end = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth() + m + 1, 1));
      await sink("Objective", [uuid(), rep.id, "INVOICED_REVENUE", dateOnly(start), dateOnly(end), money(random.int(150_000, 400_000) * 100), today]);
    }
  }

  // ── Organisations: groups → banners → stores, then independents
  const groupCount = Math.max(3, Math.round(total * 0.002));
  const bannerCount = groupCount * 3;
  const storeCount = Math.round(total * 0.4);
  const groups: OrgRef[] = [];
  const banners: OrgRef[] = [];
  let orderSerial = 0;
  let incidentSerial = 0;
  let quoteSerial = 0;

  for (let n = 0; n < total; n += 1) {
    const town: Town = pick(TOWNS);
    const postalCode = `${town.postalCode.slice(0, 2)}${String(random.int(0, 999)).padStart(3, "0")}`;
    const territory = territoryOfPrefix.get(postalCode.slice(0, 3))!;
    let name: string;
    let parent: OrgRef | null = null;
    let banner: string | null = null;
    let buyingGroup: string | null = null;
    let status: Status = pick(STATUSES);
    if (n < groupCount) {
      name = `Groupe ${pick(FAMILY_NAMES)} ${pick(TRADES)}`;
      buyingGroup = name;
      status = "CLIENT";
    } else if (n < groupCount + bannerCount) {
      parent = groups[(n - groupCount) % groupCount]!;
      name = `${pick(BANNER_WORDS)} ${pick(TRADES)}`;
      banner = name;
      buyingGroup = parent.buyingGroup;
      status = "CLIENT";
    } else if (n < groupCount + bannerCount + storeCount) {
      parent = pick(banners);
      name = `${parent.banner} ${town.city}`;
      banner = parent.banner;
      buyingGroup = parent.buyingGroup;
    } else {
      const variant = random.int(0, 5);
      const family = pick(FAMILY_NAMES);
      name = `${pick(TRADES)} ${family}${variant === 1 ? `-${pick(FAMILY_NAMES)}` : variant === 2 ? " & Fils" : variant === 3 ? " Frères" : variant === 4 ? ` ${town.city}` : ""}${random.chance(0.4) ? ` ${pick(LEGAL_FORMS)}` : ""}`;
    }
    const id = uuid();
    const ref: OrgRef = { id, name, banner, buyingGroup };
    if (n < groupCount) groups.push(ref);
    else if (n < groupCount + bannerCount) banners.push(ref);
    const created = addDays(since, -random.int(0, 900));
    await sink("Organisation", [
      id, name, foldName(name), random.chance(0.9) ? siret(n + 1) : null, status, pick(CATEGORIES_BY_STATUS[status]), pick(SEGMENTS),
      random.chance(0.2) ? [pick(["export", "salon-2026", "showroom", "grand-compte", "saisonnier"])] : [],
      `${random.int(1, 180)} ${pick(STREETS)}`, postalCode, town.city, town.region,
      town.latitude + (random.next() - 0.5) / 5, town.longitude + (random.next() - 0.5) / 5, banner, buyingGroup,
      random.chance(0.85) ? `+33 ${random.int(1, 5)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)}` : null,
      random.chance(0.6) ? `contact@${foldName(name).replace(/ /g, "-").slice(0, 24)}.fr` : null,
      parent?.id ?? null, created, addDays(today, -random.int(0, 300)),
    ]);

    // Contacts with roles; some left, some never verified
    const contactCount = random.int(1, 5);
    for (let c = 0; c < contactCount; c += 1) {
      const [jobTitle, mainRole] = pick(JOB_TITLES);
      const roles = random.chance(0.25) ? [mainRole, pick(["INFLUENCER", "USER", "TECHNICAL"] as const)].filter((r, i, all) => all.indexOf(r) === i) : [mainRole];
      const firstName = pick(FIRST_NAMES);
      const lastName = pick(FAMILY_NAMES);
      await sink("Contact", [
        uuid(), id, firstName, lastName, jobTitle,
        random.chance(0.8) ? `${foldName(firstName)}.${foldName(lastName)}@exemple.fr`.replace(/ /g, "") : null,
        random.chance(0.7) ? `+33 6 ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)}` : null,
        roles, c === 0, random.chance(0.07) ? dateOnly(addDays(today, -random.int(30, 365))) : null,
        random.chance(0.7) ? dateOnly(addDays(today, -random.int(0, 720))) : null, created, created,
      ]);
    }

    // Who is in charge, when: the territory's rep; one in ten had another rep of the team before
    await sink("TerritoryMembership", [uuid(), id, territory.id, dateOnly(since), null]);
    const currentRep = territory.rep;
    let previousRep: (typeof reps)[number] | null = null;
    let changedOn = since;
    if (currentRep) {
      if (random.chance(0.1)) {
        previousRep = pick(reps.filter((r) => r.team === currentRep.team && r !== currentRep).concat(currentRep === reps[0] ? [reps[1]!] : [reps[0]!]));
        changedOn = addDays(since, random.int(60, 900));
        await sink("OrganisationAssignment", [uuid(), id, previousRep.id, null, dateOnly(since), dateOnly(changedOn)]);
      }
      await sink("OrganisationAssignment", [uuid(), id, currentRep.id, territory.id, dateOnly(changedOn), null]);
    }
    const repOn = (day: Date) => (previousRep && day < changedOn ? previousRep : currentRep);
    if (!currentRep || status === "ARCHIVED") continue;

    // Opportunities walked through the stages, with their history and quotes
    const opportunityCount = random.int(1, 12);
    for (let o = 0; o < opportunityCount; o += 1) {
      const created = addDays(since, random.int(0, 3 * 365 - 1));
      const owner = repOn(created)!;
      const opportunityId = uuid();
      const amountCents = random.int(2_000, 250_000) * 100 + pick([0, 50, 90]);
      const amount = money(amountCents);
      const recent = created > addDays(today, -150);
      const outcome = random.chance(recent ? 0.8 : 0.15) ? "OPEN" : random.chance(0.6) ? "WON" : "LOST";
      const targetIndex = outcome === "OPEN" ? random.int(0, open.length - 1) : random.int(1, open.length - 1);
      let at = created;
      let probability: number = open[0]!.defaultProbability;
      let stageIndex = 0;
      await sink("OpportunityStageChange", [uuid(), opportunityId, null, open[0]!.id, amount, probability, owner.id, at]);
      while (stageIndex < targetIndex) {
        const next = addDays(at, random.int(5, 40));
        if (next >= today) break;
        stageIndex += 1;
        probability = random.chance(0.08) ? Math.max(0, open[stageIndex]!.defaultProbability - 30) : open[stageIndex]!.defaultProbability;
        await sink("OpportunityStageChange", [uuid(), opportunityId, open[stageIndex - 1]!.id, open[stageIndex]!.id, amount, probability, owner.id, next]);
        at = next;
      }
      let stage = open[stageIndex]!;
      let status = "OPEN";
      let closedAt: Date | null = null;
      if (outcome !== "OPEN") {
        const closing = addDays(at, random.int(3, 30));
        if (closing < today) {
          await sink("OpportunityStageChange", [uuid(), opportunityId, stage.id, (outcome === "WON" ? won : lost).id, amount, outcome === "WON" ? 100 : 0, owner.id, closing]);
          stage = outcome === "WON" ? won : lost;
          status = outcome;
          closedAt = closing;
          at = closing;
          probability = stage.defaultProbability;
        }
      }
      const initialClose = addDays(created, random.int(30, 150));
      await sink("Opportunity", [
        opportunityId, id, owner.id, `${pick(NEEDS)} — ${name}`, stage.id, amount, probability,
        dateOnly(random.chance(0.25) ? addDays(initialClose, random.int(14, 60)) : initialClose), dateOnly(initialClose), pick(NEEDS),
        random.chance(0.5) ? [pick(COMPETITORS)] : [], pick(SOURCES), status, status === "LOST" ? pick(["Prix", "Concurrent retenu", "Projet abandonné"]) : null,
        stageIndex >= 1, stageIndex >= 2, stageIndex >= 1, stageIndex >= 3, at, closedAt, created, at,
      ]);
      if (stageIndex >= 2) {
        quoteSerial += 1;
        const sentAt = addDays(created, random.int(10, 40));
        const quoteStatus = status === "WON" ? "ACCEPTED" : status === "LOST" ? "DECLINED" : random.chance(0.15) ? "DRAFT" : "SENT";
        await sink("Quote", [uuid(), opportunityId, `DEV-${quoteSerial}`, money(amountCents - random.int(0, 50) * 100), quoteStatus, dateOnly(sentAt), dateOnly(addDays(sentAt, random.int(30, 120))), dateOnly(addDays(sentAt, random.int(7, 21))), sentAt, sentAt]);
      }
    }

    // Orders and invoices over three years, credited to the rep in charge on their date
    if (status === "CLIENT" || status === "INACTIVE" || status === "LOST") {
      const lastDay = status === "CLIENT" ? today : addDays(today, -(status === "INACTIVE" ? random.int(200, 400) : random.int(550, 900)));
      const span = Math.max(1, Math.round((lastDay.getTime() - since.getTime()) / DAY_MS));
      const orderCount = random.int(3, 15);
      for (let k = 0; k < orderCount; k += 1) {
        orderSerial += 1;
        const orderedAt = addDays(since, random.int(0, span - 1));
        const cents = random.int(300, 40_000) * 100 + random.int(0, 99);
        const deliveryDate = addDays(orderedAt, random.int(3, 20));
        const deliveredAt = deliveryDate < today ? addDays(deliveryDate, random.int(-2, 5)) : null;
        const externalId = `ERP-${orderSerial}`;
        const rep = repOn(orderedAt);
        await sink("Order", [uuid(), externalId, id, dateOnly(orderedAt), money(cents), dateOnly(deliveryDate), deliveredAt && deliveredAt < today ? dateOnly(deliveredAt) : null, rep?.id ?? null, orderedAt]);
        if (deliveredAt && deliveredAt < today) {
          await sink("Invoice", [uuid(), `FAC-${orderSerial}`, id, dateOnly(deliveredAt), money(cents), externalId, repOn(deliveredAt)?.id ?? null, deliveredAt]);
        }
      }
    }

    // Visits: past ones done (or cancelled), sometimes one planned ahead
    const pastVisits = random.int(0, 4);
    for (let v = 0; v < pastVisits; v += 1) {
      const plannedAt = new Date(addDays(today, -random.int(1, 3 * 365 - 1)).getTime() + random.int(8, 17) * 3_600_000);
      const done = random.chance(0.9);
      await sink("Visit", [uuid(), id, repOn(plannedAt)!.id, plannedAt, pick(["ON_SITE", "ON_SITE", "PHONE", "VIDEO"]), done ? "DONE" : "CANCELLED", "Point sur les commandes", done ? "Visite faite" : null, done ? "Compte rendu de visite." : null, done ? random.int(20, 120) : null, done ? plannedAt : null, addDays(plannedAt, -7), plannedAt]);
    }
    if (random.chance(0.4)) {
      const plannedAt = new Date(addDays(today, random.int(1, 60)).getTime() + random.int(8, 17) * 3_600_000);
      await sink("Visit", [uuid(), id, currentRep.id, plannedAt, "ON_SITE", "PLANNED", "Présenter les nouveautés", null, null, null, null, today, today]);
    }

    // Tasks and the odd incident
    const taskCount = random.int(0, 2);
    for (let k = 0; k < taskCount; k += 1) {
      const due = addDays(today, random.int(-60, 60));
      const done = due < today && random.chance(0.7);
      await sink("Task", [uuid(), pick(TASK_KINDS), "Relancer le client", dateOnly(due), done ? "DONE" : "OPEN", currentRep.id, id, done ? due : null, currentRep.id, addDays(due, -14), done ? due : addDays(due, -14)]);
    }
    if (random.chance(0.05)) {
      incidentSerial += 1;
      const openedAt = addDays(today, -random.int(1, 200));
      const resolved = random.chance(0.6);
      await sink("Incident", [uuid(), `INC-${incidentSerial}`, id, pick(INCIDENT_KINDS), resolved ? "RESOLVED" : "OPEN", openedAt, resolved ? addDays(openedAt, random.int(1, 20)) : null, "Retard de livraison signalé", openedAt, openedAt]);
    }
  }

  return { headOfficeEmail, managerEmails, repEmails: reps.map((r) => r.email) };
}
