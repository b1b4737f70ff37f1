-- CreateEnum
CREATE TYPE "CustomFieldEntity" AS ENUM ('ORGANISATION', 'CONTACT', 'OPPORTUNITY', 'VISIT');

-- CreateEnum
CREATE TYPE "CustomFieldType" AS ENUM ('TEXT', 'NUMBER', 'MONEY', 'DATE', 'BOOLEAN', 'ENUM', 'MULTI_ENUM');

-- CreateEnum
CREATE TYPE "CustomFieldPrincipal" AS ENUM ('REP', 'MANAGER', 'HEAD_OFFICE', 'DATA_STEWARD', 'PARTNER', 'SERVICE');

-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "customFields" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Opportunity" ADD COLUMN     "customFields" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "customFields" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Visit" ADD COLUMN     "customFields" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "CustomFieldDefinition" (
    "id" UUID NOT NULL,
    "entity" "CustomFieldEntity" NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "type" "CustomFieldType" NOT NULL,
    "options" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "required" BOOLEAN NOT NULL DEFAULT false,
    "readers" "CustomFieldPrincipal"[],
    "writers" "CustomFieldPrincipal"[],
    "helpText" TEXT,
    "archivedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomFieldDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CustomFieldDefinition_entity_key_key" ON "CustomFieldDefinition"("entity", "key");

-- CreateIndex
CREATE INDEX "Contact_customFields_idx" ON "Contact" USING GIN ("customFields" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "Opportunity_customFields_idx" ON "Opportunity" USING GIN ("customFields" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "Organisation_customFields_idx" ON "Organisation" USING GIN ("customFields" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "Visit_customFields_idx" ON "Visit" USING GIN ("customFields" jsonb_path_ops);
