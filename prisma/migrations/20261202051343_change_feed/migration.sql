-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "changedFields" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "effectiveOn" DATE,
ADD COLUMN     "seq" BIGSERIAL NOT NULL,
ADD COLUMN     "txid" BIGINT NOT NULL DEFAULT (pg_current_xact_id())::text::bigint,
ADD COLUMN     "version" INTEGER;

-- CreateIndex
CREATE INDEX "AuditEvent_txid_seq_idx" ON "AuditEvent"("txid", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_effectiveOn_idx" ON "AuditEvent"("effectiveOn");
