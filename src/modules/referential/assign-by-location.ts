// Places an organisation in a portfolio by its location: the territories module evaluates its rules for it
// (and for its descendants, whose ancestor rules may now match) from today on.
import type { Prisma } from "../../db/generated/client.js";
import { assignmentInForce } from "../../auth/row-scope.js";
import type { Viewer } from "../../auth/viewer.js";
import { recordAudit } from "../audit/audit.service.js";
import { regionOf } from "../organisations/organisation.region.js";
import { recomputeTerritoriesInTx } from "../territories/territory.materialise.js";

type Tx = Prisma.TransactionClient;

/** The organisations and every organisation below them in the hierarchy. */
async function withDescendants(tx: Tx, organisationIds: string[]): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE tree AS (
      SELECT id FROM "Organisation" WHERE id = ANY(${organisationIds}::uuid[])
      UNION SELECT o.id FROM "Organisation" o JOIN tree t ON o."parentId" = t.id
    ) SELECT id::text FROM tree`;
  return rows.map((row) => row.id);
}

/**
 * Re-evaluates territory rules for an organisation whose location or hierarchy changed (or that was just
 * created) and returns the rep now in charge, or null when it falls in a gap.
 */
export async function assignByLocation(tx: Tx, viewer: Viewer, organisationId: string, today: Date): Promise<string | null> {
  return (await assignManyByLocation(tx, viewer, [organisationId], today)).get(organisationId) ?? null;
}

/**
 * The same for many organisations at once (a batch of imported ones): one evaluation of the territory
 * rules for all of them, one audit event each. Returns organisation id → the rep now in charge.
 */
export async function assignManyByLocation(tx: Tx, viewer: Viewer, organisationIds: string[], today: Date): Promise<Map<string, string | null>> {
  if (!organisationIds.length) return new Map();
  const organisations = await tx.organisation.findMany({ where: { id: { in: organisationIds } }, select: { id: true, region: true, postalCode: true, city: true, country: true } });
  // Written records carry their region already; older ones may not.
  const regions = new Map<string, string | null>();
  for (const organisation of organisations) {
    let region = organisation.region;
    if (!region) {
      region = await regionOf(tx, organisation);
      if (region) await tx.organisation.update({ where: { id: organisation.id }, data: { region } });
    }
    regions.set(organisation.id, region);
  }
  const recomputed = await withDescendants(tx, organisationIds);
  await recomputeTerritoriesInTx(tx, { organisationIds: recomputed }, today);
  const assignments = await tx.organisationAssignment.findMany({
    where: { organisationId: { in: organisationIds }, ...assignmentInForce(today) },
    orderBy: { validFrom: "desc" },
    select: { organisationId: true, repId: true, territoryId: true },
  });
  const inCharge = new Map<string, (typeof assignments)[number]>();
  for (const assignment of assignments) if (!inCharge.has(assignment.organisationId)) inCharge.set(assignment.organisationId, assignment);
  const reps = new Map<string, string | null>();
  for (const organisationId of organisationIds) {
    const assignment = inCharge.get(organisationId);
    reps.set(organisationId, assignment?.repId ?? null);
    await recordAudit(tx, viewer, {
      entity: "Organisation",
      entityId: organisationId,
      action: "assignByLocation",
      after: {
        region: regions.get(organisationId) ?? null,
        repId: assignment?.repId ?? null,
        territoryId: assignment?.territoryId ?? null,
        organisationsRecomputed: recomputed.length,
      },
    });
  }
  return reps;
}
