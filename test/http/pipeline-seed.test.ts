// The demo pipeline: every stage populated with histories, quotes, orders and invoices credited to the rep
// in charge on their date, leads, objectives per rep per month.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

describe("demo pipeline", () => {
  it("has opportunities in every stage, each with a history starting at its creation", async () => {
    const prisma = t.database.prisma;
    for (const stage of await prisma.pipelineStage.findMany()) {
      expect(await prisma.opportunity.count({ where: { stageId: stage.id } }), stage.name).toBeGreaterThan(0);
    }
    const withoutHistory = await prisma.opportunity.count({ where: { stageHistory: { none: {} } } });
    expect(withoutHistory).toBe(0);
    const rows = await prisma.opportunityStageChange.count();
    expect(rows).toBeGreaterThan(await prisma.opportunity.count());
    expect(await prisma.quote.count()).toBeGreaterThan(20);
    expect(await prisma.lead.count()).toBeGreaterThan(10);
  });

  it("credits every order and invoice to the rep in charge of its organisation on its date (Beauvais moved)", async () => {
    const prisma = t.database.prisma;
    const assignments = await prisma.organisationAssignment.findMany();
    const repOn = (organisationId: string, day: Date) =>
      assignments
        .filter((a) => a.organisationId === organisationId && a.validFrom <= day && (!a.validTo || a.validTo > day))
        .sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime())[0]?.repId ?? null;
    const orders = await prisma.order.findMany();
    expect(orders.length).toBeGreaterThan(500);
    for (const order of orders) expect(order.repId).toBe(repOn(order.organisationId, order.orderedAt));
    const beauvais = await prisma.order.findMany({ where: { organisation: { city: "Beauvais" } }, select: { repId: true } });
    expect(new Set(beauvais.map((o) => o.repId)).size).toBeGreaterThan(1);
    for (const invoice of await prisma.invoice.findMany()) expect(invoice.repId).toBe(repOn(invoice.organisationId, invoice.invoicedAt));
  });

  it("has objectives for every rep for every month of the history", async () => {
    const reps = await t.database.prisma.user.count({ where: { role: "REP" } });
    const months = await t.database.prisma.objective.groupBy({ by: ["periodStart"], where: { metric: "INVOICED_REVENUE" }, _count: true });
    expect(months.length).toBeGreaterThanOrEqual(18);
    expect(months.every((m) => m._count === reps)).toBe(true);
  });
});
