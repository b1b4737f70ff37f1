// Demo organisation requests for the data stewards' queue: pending creations (some with near-duplicates
// of the referential on purpose), an update, a merge suggestion, one rejected and one approved request,
// and a provisional visit logged against a pending request.
import type { Db } from "../db/client.js";
import type { Prisma } from "../db/generated/client.js";
import { regionOf } from "../modules/organisations/organisation.region.js";
import { findDuplicateCandidates } from "../modules/organisation-requests/duplicates.js";
import { foldName } from "../modules/organisations/organisation.search.js";
import type { DemoCompany } from "./demo-company.types.js";
import { SeededRandom } from "./random.js";

const daysBefore = (day: Date, days: number) => new Date(day.getTime() - days * 86_400_000);

interface DemoRequest {
  rep: string;
  kind: "CREATE" | "UPDATE" | "MERGE_SUGGESTION";
  proposed: Record<string, string>;
  organisationName?: string;
  otherOrganisationName?: string;
  status?: "REJECTED" | "APPROVED";
  resolutionNote?: string;
  note?: string;
  ageDays: number;
}

const REQUESTS: DemoRequest[] = [
  { rep: "rep.lille", kind: "CREATE", proposed: { name: "Dupont & Fils", city: "Lille", postalCode: "59000" }, note: "Met the owner at the trade fair", ageDays: 3 },
  { rep: "rep.rouen", kind: "CREATE", proposed: { name: "Quincaillerie Martin", city: "Rouen", legalId: "43210987600021" }, ageDays: 9 },
  { rep: "rep.paris", kind: "CREATE", proposed: { name: "Atelier Zéphyr Céramique", city: "Paris", postalCode: "75011", phone: "+33 1 44 55 66 77" }, ageDays: 1 },
  { rep: "rep.lyon", kind: "CREATE", proposed: { name: "Jardinerie des Canuts", city: "Lyon" }, ageDays: 21 },
  { rep: "rep.lille", kind: "MERGE_SUGGESTION", proposed: {}, organisationName: "SAS Dupont & Fils", otherOrganisationName: "Dupont et Fils", note: "Same shop, two records", ageDays: 5 },
  { rep: "rep.marseille", kind: "CREATE", proposed: { name: "Test test", city: "Marseille" }, status: "REJECTED", resolutionNote: "Not a company: please file real prospects only", ageDays: 30 },
  { rep: "rep.bordeaux", kind: "CREATE", proposed: { name: "Scierie du Médoc", city: "Bordeaux", postalCode: "33000" }, status: "APPROVED", resolutionNote: "Created", ageDays: 40 },
];

export async function seedReferentialRequests(db: Db, demo: DemoCompany): Promise<void> {
  const random = new SeededRandom(3_2026_11);
  const stewardId = demo.userIds.get("data.steward@demo.test")!;
  const byName = new Map(demo.organisations.map((o) => [o.name, o]));
  for (const spec of REQUESTS) {
    const repId = demo.userIds.get(`${spec.rep}@demo.test`)!;
    const id = random.uuid();
    const createdAt = daysBefore(demo.today, spec.ageDays);
    let organisationId = spec.organisationName ? byName.get(spec.organisationName)!.id! : null;
    const otherOrganisationId = spec.otherOrganisationName ? byName.get(spec.otherOrganisationName)!.id! : null;
    if (spec.status === "APPROVED") {
      // The approved creation: its organisation exists, in the rep's portfolio.
      organisationId = random.uuid();
      const since = daysBefore(demo.today, spec.ageDays - 1);
      await db.organisation.create({
        data: { id: organisationId, name: spec.proposed.name!, searchName: foldName(spec.proposed.name!), city: spec.proposed.city, postalCode: spec.proposed.postalCode, region: "Nouvelle-Aquitaine", createdAt: since },
      });
      const territoryId = demo.territoryByRegion.get("Nouvelle-Aquitaine")!;
      await db.territoryMembership.create({ data: { organisationId, territoryId, validFrom: since } });
      await db.organisationAssignment.create({ data: { organisationId, repId, territoryId, validFrom: since } });
    }
    const source = organisationId && spec.kind !== "CREATE" ? demo.organisations.find((o) => o.id === organisationId) : null;
    const probe = source ?? spec.proposed;
    const candidates = spec.status === "APPROVED" ? [] : await findDuplicateCandidates(db, { ...probe, searchName: foldName(String(probe.name ?? "")) }, [organisationId, otherOrganisationId].filter((x): x is string => !!x));
    const data: Prisma.OrganisationRequestUncheckedCreateInput = {
      id,
      kind: spec.kind,
      status: spec.status ?? "PENDING",
      requestedById: repId,
      organisationId,
      otherOrganisationId,
      proposed: spec.proposed,
      name: spec.proposed.name ?? null,
      searchName: spec.proposed.name ? foldName(spec.proposed.name) : "",
      legalId: spec.proposed.legalId ?? null,
      postalCode: spec.proposed.postalCode ?? null,
      city: spec.proposed.city ?? null,
      phone: spec.proposed.phone ?? null,
      region: source?.region ?? (await regionOf(db, spec.proposed)),
      note: spec.note ?? null,
      createdAt,
      ...(spec.status ? { resolverId: stewardId, resolvedAt: daysBefore(demo.today, spec.ageDays - 1), resolutionNote: spec.resolutionNote ?? null, version: 2 } : {}),
    };
    await db.organisationRequest.create({ data });
    if (candidates.length) await db.requestDuplicateCandidate.createMany({ data: candidates.map((c) => ({ requestId: id, ...c })) });
    if (spec.kind === "CREATE" && !spec.status && spec.rep === "rep.lille") {
      // Provisional work: the rep already visited the prospect before it exists in the referential.
      await db.visit.create({
        data: { id: random.uuid(), requestId: id, repId, plannedAt: daysBefore(demo.today, 2), status: "DONE", reportedAt: daysBefore(demo.today, 2), outcome: "Interested in the spring range" },
      });
    }
  }
}
