-- CreateEnum
CREATE TYPE "ForecastCategory" AS ENUM ('PIPELINE', 'BEST_CASE', 'COMMIT', 'CLOSED', 'OMITTED');

-- AlterTable
ALTER TABLE "Announcement" ADD COLUMN     "endedAt" TIMESTAMP(3),
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Opportunity" ADD COLUMN     "forecastCategoryOverride" "ForecastCategory";

-- AlterTable
ALTER TABLE "PipelineStage" ADD COLUMN     "forecastCategory" "ForecastCategory" NOT NULL DEFAULT 'PIPELINE';

-- CreateTable
CREATE TABLE "RequestDuplicateRequest" (
    "requestId" UUID NOT NULL,
    "candidateId" UUID NOT NULL,
    "reasons" TEXT[],
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "RequestDuplicateRequest_pkey" PRIMARY KEY ("requestId","candidateId")
);

-- CreateIndex
CREATE INDEX "RequestDuplicateRequest_candidateId_idx" ON "RequestDuplicateRequest"("candidateId");

-- AddForeignKey
ALTER TABLE "RequestDuplicateRequest" ADD CONSTRAINT "RequestDuplicateRequest_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "OrganisationRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestDuplicateRequest" ADD CONSTRAINT "RequestDuplicateRequest_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "OrganisationRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: each configured stage's forecast category, by the rule createPipelineStage applies when none is
-- given (src/modules/pipeline/stage.service.ts, defaultForecastCategory): won → CLOSED, lost → OMITTED,
-- probability ≥ 75 → COMMIT, ≥ 50 → BEST_CASE, else PIPELINE.
UPDATE "PipelineStage" SET "forecastCategory" = (CASE
  WHEN "isWon" THEN 'CLOSED' WHEN "isLost" THEN 'OMITTED'
  WHEN "defaultProbability" >= 75 THEN 'COMMIT' WHEN "defaultProbability" >= 50 THEN 'BEST_CASE'
  ELSE 'PIPELINE' END)::"ForecastCategory";
