// Demo pipeline: the SPEC's stages, opportunities in every stage with histories over 18 months, quotes,
// orders and invoices credited to the rep in charge on their date, leads, and monthly objectives per rep.
import type { Db } from "../db/client.js";
import { Prisma } from "../db/generated/client.js";
import type { ObjectiveMetric, OpportunitySource } from "../db/generated/enums.js";
import { recordAllOrderingCycles } from "../modules/orders/ordering-cycle.js";
import { recordClosedForecasts } from "../modules/pipeline/forecast.js";
import { DEFAULT_STAGES } from "../modules/pipeline/stage.service.js";
import type { DemoCompany } from "./demo-company.types.js";
import { FAMILY_NAMES, FIRST_NAMES, TOWNS, TRADES } from "./french-referential.js";
import { SeededRandom } from "./random.js";
import { chargeHistory } from "./seed-territories.js";

const DAY_MS = 86_400_000;
const SOURCES: OpportunitySource[] = ["REP", "REP", "MARKETING", "PARTNER", "CUSTOMER", "REFERRAL"];
const NEEDS = ["Renouvellement de gamme", "Ouverture d'un nouveau magasin", "Équipement du rayon jardin", "Référencement centrale", "Remplacement fournisseur"];
const COMPETITORS = ["Leroy Pro", "Brico Distribution", "NégoBat", "Point M"];

const addDays = (day: Date, days: number) => new Date(day.getTime() + days * DAY_MS);
const utcDay = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
const money = (cents: number) => new Prisma.Decimal(cents).div(100);

export async function seedPipeline(db: Db, demo: DemoCompany): Promise<void> {
  const random = new SeededRandom(40404);
  const { today, since } = demo;

  const stages = DEFAULT_STAGES.map((stage) => ({ id: random.uuid(), ...stage }));
  await db.pipelineStage.createMany({ data: stages.map((s) => ({ ...s, maxDaysInStage: s.maxDaysInStage ?? null })) });
  const open = stages.filter((s) => !("isWon" in s) && !("isLost" in s));
  const won = stages.find((s) => "isWon" in s)!;
  const lost = stages.find((s) => "isLost" in s)!;

  const { repOn } = await chargeHistory(db);
  const covered = demo.organisations.filter((o) => repOn(o.id!, today) && o.status !== "ARCHIVED");

  // Opportunities: walk each deal through the stages from its identification date.
  const opportunities: Prisma.OpportunityCreateManyInput[] = [];
  const history: Prisma.OpportunityStageChangeCreateManyInput[] = [];
  const quotes: Prisma.QuoteCreateManyInput[] = [];
  for (let i = 0; i < 160; i += 1) {
    const organisation = random.pick(covered);
    const created = addDays(since, random.int(0, 520));
    const ownerId = repOn(organisation.id!, created) ?? repOn(organisation.id!, today)!;
    const id = random.uuid();
    const amountCents = random.int(2_000, 250_000) * 100 + random.pick([0, 50, 90]);
    // Where it ends today: every stage is represented, closed deals are the older ones.
    const target = i < 14 * open.length ? open[i % open.length]! : random.chance(0.6) ? won : lost;
    let stageIndex = 0;
    let at = created;
    let probability: number = open[0]!.defaultProbability;
    history.push({ opportunityId: id, fromStageId: null, toStageId: open[0]!.id, amount: money(amountCents), probability, changedById: ownerId, at });
    const targetIndex = target === won || target === lost ? random.int(1, open.length - 1) : open.indexOf(target);
    let from = open[0]!.id;
    while (stageIndex < targetIndex) {
      const next = addDays(at, random.int(5, 40));
      if (next >= today) break;
      stageIndex += 1;
      at = next;
      // Now and then a rep lowers the probability while moving forward: the regression alert.
      probability = random.chance(0.08) ? Math.max(0, open[stageIndex]!.defaultProbability - 30) : open[stageIndex]!.defaultProbability;
      history.push({ opportunityId: id, fromStageId: from, toStageId: open[stageIndex]!.id, amount: money(amountCents), probability, changedById: ownerId, at });
      from = open[stageIndex]!.id;
    }
    let stage = open[stageIndex]!;
    let status: "OPEN" | "WON" | "LOST" = "OPEN";
    let closedAt: Date | null = null;
    if (target === won || target === lost) {
      const closing = addDays(at, random.int(3, 30));
      if (closing < today) {
        stage = target;
        status = target === won ? "WON" : "LOST";
        closedAt = closing;
        at = closing;
        probability = target.defaultProbability;
        history.push({ opportunityId: id, fromStageId: from, toStageId: stage.id, amount: money(amountCents), probability, changedById: ownerId, at });
      }
    }
    const initialClose = utcDay(addDays(created, random.int(30, 150)));
    const slipped = random.chance(0.25);
    opportunities.push({
      id,
      organisationId: organisation.id!,
      ownerId,
      name: `${random.pick(NEEDS)} — ${organisation.name}`,
      stageId: stage.id,
      amount: money(amountCents),
      probability,
      expectedCloseDate: slipped ? addDays(initialClose, random.int(14, 60)) : initialClose,
      initialCloseDate: initialClose,
      desiredDeliveryDate: random.chance(0.5) ? addDays(initialClose, random.int(15, 60)) : null,
      needs: random.pick(NEEDS),
      budget: random.chance(0.5) ? money(amountCents + random.int(-5_000, 20_000) * 100) : null,
      competitors: random.chance(0.5) ? [random.pick(COMPETITORS)] : [],
      source: random.pick(SOURCES),
      status,
      lostReason: status === "LOST" ? random.pick(["Prix", "Concurrent retenu", "Projet abandonné"]) : null,
      decisionMakersKnown: stageIndex >= 1,
      budgetKnown: stageIndex >= 2,
      stakesKnown: stageIndex >= 1,
      timingKnown: stageIndex >= 3,
      stageEnteredAt: at,
      closedAt,
      createdAt: created,
      updatedAt: at,
    });
    // Quotes from the proposal stage on: drafts, sent (some to chase, some expired), decided.
    if (stageIndex >= 2) {
      const sentAt = utcDay(addDays(created, random.int(10, 40)));
      const decided = status !== "OPEN";
      quotes.push({
        id: random.uuid(),
        opportunityId: id,
        reference: `DEV-${String(1000 + i)}`,
        amount: money(amountCents - random.int(0, 50) * 100),
        status: decided ? (status === "WON" ? "ACCEPTED" : "DECLINED") : random.chance(0.15) ? "DRAFT" : "SENT",
        sentAt,
        validUntil: addDays(sentAt, random.int(30, 120)),
        followUpDate: addDays(sentAt, random.int(7, 21)),
        decidedAt: closedAt,
        createdAt: sentAt,
      });
    }
  }
  await db.opportunity.createMany({ data: opportunities });
  await db.opportunityStageChange.createMany({ data: history });
  await recordClosedForecasts(db); // the deals closed in the seed did not close through the API
  await db.quote.createMany({ data: quotes });

  // Orders and invoices over 18 months for customers, credited to the rep in charge on their date.
  const orders: Prisma.OrderCreateManyInput[] = [];
  const invoices: Prisma.InvoiceCreateManyInput[] = [];
  const customers = demo.organisations.filter((o) => o.status === "CLIENT" || o.status === "INACTIVE");
  for (const customer of customers) {
    const cycle = random.int(20, 75);
    // inactive customers stopped ordering a while ago
    const stop = customer.status === "INACTIVE" ? addDays(today, -random.int(120, 300)) : today;
    for (let day = addDays(since, random.int(0, cycle)); day < stop; day = addDays(day, cycle + random.int(-7, 7))) {
      const orderedAt = utcDay(day);
      const amount = money(random.int(300, 40_000) * 100 + random.int(0, 99));
      const externalId = `ERP-O-${orders.length + 100000}`;
      const repId = repOn(customer.id!, orderedAt);
      const delivery = addDays(orderedAt, random.int(3, 20));
      orders.push({
        id: random.uuid(),
        externalId,
        organisationId: customer.id!,
        orderedAt,
        amount,
        deliveryDate: delivery,
        deliveredAt: delivery < today ? addDays(delivery, random.int(-1, 4)) : null,
        repId,
      });
      const invoicedAt = addDays(orderedAt, random.int(1, 10));
      if (invoicedAt < today) {
        invoices.push({ id: random.uuid(), externalId: `ERP-F-${invoices.length + 100000}`, organisationId: customer.id!, invoicedAt, amount, orderExternalId: externalId, repId: repOn(customer.id!, invoicedAt) });
      }
    }
  }
  await db.order.createMany({ data: orders });
  await recordAllOrderingCycles(db);
  await db.invoice.createMany({ data: invoices });

  // Leads: from marketing, partners and reps; some qualified, converted or disqualified.
  const reps = [...demo.repByRegion.values()];
  const leads: Prisma.LeadCreateManyInput[] = [];
  for (let i = 0; i < 40; i += 1) {
    const town = random.pick(TOWNS);
    const status = random.pick(["NEW", "NEW", "QUALIFIED", "DISQUALIFIED"] as const);
    const createdAt = addDays(today, -random.int(1, 180));
    const knownOrganisation = random.chance(0.4) ? random.pick(covered) : null;
    leads.push({
      id: random.uuid(),
      source: random.pick(["MARKETING", "MARKETING", "PARTNER", "REP"] as const),
      status,
      score: random.int(5, 95),
      companyName: knownOrganisation?.name ?? `${random.pick(TRADES)} ${random.pick(FAMILY_NAMES)}`,
      contactName: `${random.pick(FIRST_NAMES)} ${random.pick(FAMILY_NAMES)}`,
      city: knownOrganisation?.city ?? town.city,
      postalCode: knownOrganisation?.postalCode ?? town.postalCode,
      organisationId: knownOrganisation?.id ?? null,
      ownerId: knownOrganisation ? repOn(knownOrganisation.id!, today) : random.chance(0.5) ? random.pick(reps) : null,
      qualifiedAt: status === "QUALIFIED" ? addDays(createdAt, random.int(1, 10)) : null,
      disqualifiedReason: status === "DISQUALIFIED" ? "Hors cible" : null,
      createdAt,
    });
  }
  await db.lead.createMany({ data: leads });

  // Objectives per rep per month over the demo history and the coming quarter.
  const objectives: Prisma.ObjectiveCreateManyInput[] = [];
  const targets: [ObjectiveMetric, () => number][] = [
    ["INVOICED_REVENUE", () => random.int(40, 90) * 1000],
    ["ORDER_COUNT", () => random.int(15, 40)],
    ["VISIT_COUNT", () => random.int(20, 45)],
  ];
  for (let m = -18; m <= 2; m += 1) {
    const periodStart = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + m, 1));
    const periodEnd = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + m + 1, 1));
    for (const userId of reps) {
      for (const [metric, target] of targets) objectives.push({ userId, metric, periodStart, periodEnd, target: new Prisma.Decimal(target()) });
    }
  }
  await db.objective.createMany({ data: objectives });
}
