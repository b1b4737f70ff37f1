// Places a new organisation in a portfolio by its location. Deliberately simple: the demo territories
// are named after regions, so the territory is the one named like the organisation's region, and the rep
// is the territory's holder today. The territories module will replace this by evaluating its rules.
import type { Viewer } from "../../auth/viewer.js";
import { assignmentInForce } from "../../auth/row-scope.js";
import type { Prisma } from "../../db/generated/client.js";
import { recordAudit } from "../audit/audit.service.js";

type Tx = Prisma.TransactionClient;

/** The region of a known organisation at the same postal code (else the same town), if any. */
export async function regionOfPlace(db: Pick<Tx, "organisation">, postalCode: string | null | undefined, city: string | null | undefined): Promise<string | null> {
  if (!postalCode && !city) return null;
  const neighbour = await db.organisation.findFirst({
    where: { region: { not: null }, ...(postalCode ? { postalCode } : { city: { equals: city!, mode: "insensitive" } }) },
    select: { region: true },
  });
  return neighbour?.region ?? null;
}

/** Returns the rep now in charge, or null when no territory or no holder matches (a gap). */
export async function assignByLocation(tx: Tx, viewer: Viewer, organisationId: string, today: Date): Promise<string | null> {
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { region: true, postalCode: true, city: true } });
  // A request often gives only a town: take the region of a known organisation at the same place.
  let region = organisation.region;
  if (!region) {
    region = await regionOfPlace(tx, organisation.postalCode, organisation.city);
    if (region) await tx.organisation.update({ where: { id: organisationId }, data: { region } });
  }
  if (!region) return null;
  const territory = await tx.territory.findUnique({ where: { name: region }, select: { id: true } });
  if (!territory) return null;
  const membership = await tx.territoryMembership.create({ data: { organisationId, territoryId: territory.id, validFrom: today } });
  const holder = await tx.territoryAssignment.findFirst({
    where: { territoryId: territory.id, ...assignmentInForce(today) },
    orderBy: [{ kind: "asc" }, { validFrom: "desc" }],
    select: { repId: true },
  });
  const assignment = holder
    ? await tx.organisationAssignment.create({ data: { organisationId, repId: holder.repId, territoryId: territory.id, validFrom: today } })
    : null;
  await recordAudit(tx, viewer, { entity: "Organisation", entityId: organisationId, action: "assignByLocation", after: { region, membership, assignment } });
  return holder?.repId ?? null;
}
