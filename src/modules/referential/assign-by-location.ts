// Places an organisation in a portfolio by its location: the territories module evaluates its rules for it
// (and for its descendants, whose ancestor rules may now match) from today on.
import type { Prisma } from "../../db/generated/client.js";
import { assignmentInForce } from "../../auth/row-scope.js";
import type { Viewer } from "../../auth/viewer.js";
import { recordAudit } from "../audit/audit.service.js";
import { regionOf } from "../organisations/organisation.region.js";
import { recomputeTerritoriesInTx } from "../territories/territory.materialise.js";

type Tx = Prisma.TransactionClient;

/** The organisation and every organisation below it in the hierarchy. */
async function withDescendants(tx: Tx, organisationId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE tree AS (
      SELECT id FROM "Organisation" WHERE id = ${organisationId}::uuid
      UNION SELECT o.id FROM "Organisation" o JOIN tree t ON o."parentId" = t.id
    ) SELECT id::text FROM tree`;
  return rows.map((row) => row.id);
}

/**
 * Re-evaluates territory rules for an organisation whose location or hierarchy changed (or that was just
 * created) and returns the rep now in charge, or null when it falls in a gap.
 */
export async function assignByLocation(tx: Tx, viewer: Viewer, organisationId: string, today: Date): Promise<string | null> {
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { region: true, postalCode: true, city: true, country: true } });
  // Written records carry their region already; older ones may not.
  let region = organisation.region;
  if (!region) {
    region = await regionOf(tx, organisation);
    if (region) await tx.organisation.update({ where: { id: organisationId }, data: { region } });
  }
  const organisationIds = await withDescendants(tx, organisationId);
  await recomputeTerritoriesInTx(tx, { organisationIds }, today);
  const inCharge = await tx.organisationAssignment.findFirst({
    where: { organisationId, ...assignmentInForce(today) },
    orderBy: { validFrom: "desc" },
    select: { repId: true, territoryId: true },
  });
  await recordAudit(tx, viewer, {
    entity: "Organisation",
    entityId: organisationId,
    action: "assignByLocation",
    after: { region, repId: inCharge?.repId ?? null, territoryId: inCharge?.territoryId ?? null, organisationsRecomputed: organisationIds.length },
  });
  return inCharge?.repId ?? null;
}
