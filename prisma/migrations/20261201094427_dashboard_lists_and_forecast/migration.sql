-- DropIndex
DROP INDEX "Invoice_invoicedAt_amount_idx";

-- DropIndex
DROP INDEX "Opportunity_status_expectedCloseDate_idx";

-- DropIndex
DROP INDEX "Order_orderedAt_organisationId_amount_idx";

-- DropIndex
DROP INDEX "Quote_status_followUpDate_idx";

-- AlterTable
ALTER TABLE "Opportunity" ADD COLUMN     "forecastWeightedAmount" DECIMAL(14,2);

-- CreateIndex
CREATE INDEX "Invoice_invoicedAt_amount_repId_idx" ON "Invoice"("invoicedAt", "amount", "repId");

-- CreateIndex
CREATE INDEX "Opportunity_status_expectedCloseDate_stageId_amount_probabi_idx" ON "Opportunity"("status", "expectedCloseDate", "stageId", "amount", "probability", "ownerId");

-- CreateIndex
CREATE INDEX "Opportunity_status_stageId_stageEnteredAt_id_idx" ON "Opportunity"("status", "stageId", "stageEnteredAt", "id");

-- CreateIndex
CREATE INDEX "Opportunity_createdAt_source_ownerId_idx" ON "Opportunity"("createdAt", "source", "ownerId");

-- CreateIndex
CREATE INDEX "Opportunity_closedAt_status_ownerId_amount_forecastWeighted_idx" ON "Opportunity"("closedAt", "status", "ownerId", "amount", "forecastWeightedAmount");

-- CreateIndex
CREATE INDEX "Order_deliveredAt_orderedAt_idx" ON "Order"("deliveredAt", "orderedAt");

-- CreateIndex
CREATE INDEX "Order_orderedAt_organisationId_amount_repId_idx" ON "Order"("orderedAt", "organisationId", "amount", "repId");

-- CreateIndex
CREATE INDEX "Organisation_id_segment_category_idx" ON "Organisation"("id", "segment", "category");

-- CreateIndex
CREATE INDEX "Quote_status_followUpDate_validUntil_id_idx" ON "Quote"("status", "followUpDate", "validUntil", "id");

-- CreateIndex
CREATE INDEX "Visit_status_organisationId_plannedAt_idx" ON "Visit"("status", "organisationId", "plannedAt");

-- Backfill: the forecast of every closed deal, by the rule closeOpportunity now applies when a deal closes
-- (src/modules/pipeline/forecast.ts): the latest stage-history row at or before 30 days before closing,
-- else the deal's own values.
UPDATE "Opportunity" op SET "forecastWeightedAmount" = ROUND(COALESCE(h."amount", op."amount") * COALESCE(h."probability", op."probability") / 100.0, 2)
FROM "Opportunity" closed
LEFT JOIN LATERAL (
  SELECT sc."amount", sc."probability" FROM "OpportunityStageChange" sc
  WHERE sc."opportunityId" = closed."id" AND sc."at" <= closed."closedAt" - interval '30 days'
  ORDER BY sc."at" DESC, sc."id" DESC LIMIT 1
) h ON TRUE
WHERE closed."id" = op."id" AND op."status" IN ('WON', 'LOST') AND op."closedAt" IS NOT NULL;
