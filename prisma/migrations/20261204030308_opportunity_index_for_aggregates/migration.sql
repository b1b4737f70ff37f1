-- The pipeline index also carries the organisation (every scope reads it) and the recycle-bin mark, so the
-- aggregates and the pipeline sums over all the deals read the index alone: stage x month over 566 769 deals
-- read 57 MB of index instead of the 347 MB table
-- DropIndex
DROP INDEX "Opportunity_status_expectedCloseDate_stageId_amount_probabi_idx";

-- CreateIndex
CREATE INDEX "Opportunity_status_expectedCloseDate_stageId_amount_probabi_idx" ON "Opportunity"("status", "expectedCloseDate", "stageId", "amount", "probability", "ownerId", "organisationId", "deletedAt");
