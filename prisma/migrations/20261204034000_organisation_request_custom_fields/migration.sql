-- AlterTable
ALTER TABLE "OrganisationRequest" ADD COLUMN     "customFields" JSONB NOT NULL DEFAULT '{}';
