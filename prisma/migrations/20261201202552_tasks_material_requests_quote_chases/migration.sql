-- AlterTable
ALTER TABLE "ActionPlan" ADD COLUMN     "createdById" UUID,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable (hand-kept: the note of a decision keeps its data under its own name)
ALTER TABLE "MaterialRequest" RENAME COLUMN "statusNote" TO "decisionReason";
ALTER TABLE "MaterialRequest" ADD COLUMN     "decidedAt" TIMESTAMP(3),
ADD COLUMN     "decidedById" UUID,
ADD COLUMN     "deliveredAt" TIMESTAMP(3),
ADD COLUMN     "repId" UUID,
ADD COLUMN     "requestedByTokenJti" TEXT,
ADD COLUMN     "shippedAt" TIMESTAMP(3);

-- Hand-kept: requests made before this migration are for the rep of their visit (else whoever asked)
UPDATE "MaterialRequest" m SET "repId" = COALESCE((SELECT v."repId" FROM "Visit" v WHERE v."id" = m."visitId"), m."requestedById");

-- CreateTable
CREATE TABLE "QuoteChase" (
    "id" UUID NOT NULL,
    "quoteId" UUID NOT NULL,
    "chasedOn" DATE NOT NULL,
    "note" TEXT,
    "previousFollowUpDate" DATE,
    "nextFollowUpDate" DATE NOT NULL,
    "byId" UUID,
    "tokenJti" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuoteChase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "QuoteChase_quoteId_chasedOn_idx" ON "QuoteChase"("quoteId", "chasedOn");

-- CreateIndex
CREATE INDEX "MaterialRequest_repId_status_idx" ON "MaterialRequest"("repId", "status");

-- CreateIndex
CREATE INDEX "MaterialRequest_requestedById_idx" ON "MaterialRequest"("requestedById");

-- CreateIndex
CREATE INDEX "Task_opportunityId_idx" ON "Task"("opportunityId");

-- AddForeignKey
ALTER TABLE "QuoteChase" ADD CONSTRAINT "QuoteChase_quoteId_fkey" FOREIGN KEY ("quoteId") REFERENCES "Quote"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
