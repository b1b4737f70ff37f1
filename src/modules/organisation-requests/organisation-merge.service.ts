// Merging a duplicate (source) into the organisation that stays (target): every dependent record moves,
// the source keeps a `mergedInto` pointer (its ids resolve to the target), all in the caller's transaction.
import { assignmentInForce } from "../../auth/row-scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { recordAudit } from "../audit/audit.service.js";
import { refreshOrderingCycles } from "../orders/ordering-cycle.js";
import type { OrganisationRow } from "../organisations/organisation.type.js";

type Tx = Prisma.TransactionClient;

export async function mergeInTransaction(tx: Tx, viewer: Viewer, today: Date, sourceId: string, targetId: string): Promise<OrganisationRow> {
  if (sourceId === targetId) throw badInput("An organisation cannot be merged into itself", { fields: [{ field: "targetId" }] });
  const [source, target] = await Promise.all([
    tx.organisation.findFirst({ where: { id: sourceId, mergedIntoId: null } }),
    tx.organisation.findFirst({ where: { id: targetId, mergedIntoId: null } }),
  ]);
  if (!source) throw notFound("Source organisation");
  if (!target) throw notFound("Target organisation");

  const from = { organisationId: sourceId };
  const to = { organisationId: targetId };
  const targetHasRep = (await tx.organisationAssignment.count({ where: { organisationId: targetId, ...assignmentInForce(today) } })) > 0;
  const targetInTerritory = (await tx.territoryMembership.count({ where: { organisationId: targetId, ...assignmentInForce(today) } })) > 0;
  // When the target already has its own rep/territory, the source's current ones end today (history kept).
  if (targetHasRep) await tx.organisationAssignment.updateMany({ where: { ...from, validTo: null }, data: { validTo: today } });
  if (targetInTerritory) await tx.territoryMembership.updateMany({ where: { ...from, validTo: null }, data: { validTo: today } });
  // Candidates are keyed (request, organisation): drop the source's where the target is already listed.
  const targetCandidates = await tx.requestDuplicateCandidate.findMany({ where: to, select: { requestId: true } });
  await tx.requestDuplicateCandidate.deleteMany({ where: { ...from, requestId: { in: targetCandidates.map((c) => c.requestId) } } });

  const moved: Record<string, number> = {
    contacts: (await tx.contact.updateMany({ where: from, data: to })).count,
    opportunities: (await tx.opportunity.updateMany({ where: from, data: to })).count,
    visits: (await tx.visit.updateMany({ where: from, data: to })).count,
    orders: (await tx.order.updateMany({ where: from, data: to })).count,
    invoices: (await tx.invoice.updateMany({ where: from, data: to })).count,
    tasks: (await tx.task.updateMany({ where: from, data: to })).count,
    notes: (await tx.note.updateMany({ where: from, data: to })).count,
    incidents: (await tx.incident.updateMany({ where: from, data: to })).count,
    materialRequests: (await tx.materialRequest.updateMany({ where: from, data: to })).count,
    actionPlans: (await tx.actionPlan.updateMany({ where: from, data: to })).count,
    leads: (await tx.lead.updateMany({ where: from, data: to })).count,
    requests: (await tx.organisationRequest.updateMany({ where: from, data: to })).count,
    mergeSuggestions: (await tx.organisationRequest.updateMany({ where: { otherOrganisationId: sourceId }, data: { otherOrganisationId: targetId } })).count,
    duplicateCandidates: (await tx.requestDuplicateCandidate.updateMany({ where: from, data: to })).count,
    assignments: (await tx.organisationAssignment.updateMany({ where: from, data: to })).count,
    memberships: (await tx.territoryMembership.updateMany({ where: from, data: to })).count,
    territoryExceptions: (await tx.territoryException.updateMany({ where: from, data: to })).count,
    territoryRules: (await tx.territoryRule.updateMany({ where: { ancestorOrganisationId: sourceId }, data: { ancestorOrganisationId: targetId } })).count,
    children: (await tx.organisation.updateMany({ where: { parentId: sourceId, id: { not: targetId } }, data: { parentId: targetId } })).count,
    // a partner restricted to the source keeps the organisation it now is (once, if it had both)
    tokenRestrictions: await tx.$executeRaw`
      UPDATE "ApiToken" SET "restrictOrganisationIds" = ARRAY(
        SELECT DISTINCT unnest(array_replace("restrictOrganisationIds", ${sourceId}::uuid, ${targetId}::uuid)))
      WHERE ${sourceId}::uuid = ANY("restrictOrganisationIds")`,
  };
  if (moved.orders) await refreshOrderingCycles(tx, [sourceId, targetId]);
  // A target that sat under the source takes the source's place in the hierarchy.
  if (target.parentId === sourceId) await tx.organisation.update({ where: { id: targetId }, data: { parentId: source.parentId } });
  // Only one primary contact per organisation: the target's own stays primary.
  const targetPrimary = await tx.contact.findFirst({ where: { ...to, isPrimary: true }, orderBy: { createdAt: "asc" }, select: { id: true } });
  if (targetPrimary) await tx.contact.updateMany({ where: { ...to, isPrimary: true, id: { not: targetPrimary.id } }, data: { isPrimary: false } });

  const sourceAfter = await tx.organisation.update({ where: { id: sourceId }, data: { mergedIntoId: targetId, version: { increment: 1 } } });
  const targetAfter = await tx.organisation.update({ where: { id: targetId }, data: { version: { increment: 1 } } });
  await recordAudit(tx, viewer, { entity: "Organisation", entityId: sourceId, action: "mergeInto", before: source, after: { ...sourceAfter, moved } });
  await recordAudit(tx, viewer, { entity: "Organisation", entityId: targetId, action: "mergeFrom", before: target, after: { ...targetAfter, mergedFromId: sourceId } });
  return targetAfter;
}
