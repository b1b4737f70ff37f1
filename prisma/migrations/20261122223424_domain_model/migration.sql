-- CreateEnum
CREATE TYPE "ExceptionMode" AS ENUM ('INCLUDE', 'EXCLUDE');

-- CreateEnum
CREATE TYPE "RequestKind" AS ENUM ('CREATE', 'UPDATE', 'MERGE_SUGGESTION');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'MERGED');

-- CreateEnum
CREATE TYPE "OpportunitySource" AS ENUM ('MARKETING', 'REP', 'PARTNER', 'CUSTOMER', 'REFERRAL');

-- CreateEnum
CREATE TYPE "OpportunityStatus" AS ENUM ('OPEN', 'WON', 'LOST');

-- CreateEnum
CREATE TYPE "QuoteStatus" AS ENUM ('DRAFT', 'SENT', 'ACCEPTED', 'DECLINED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "LeadStatus" AS ENUM ('NEW', 'QUALIFIED', 'CONVERTED', 'DISQUALIFIED');

-- CreateEnum
CREATE TYPE "ObjectiveMetric" AS ENUM ('INVOICED_REVENUE', 'ORDER_AMOUNT', 'ORDER_COUNT', 'VISIT_COUNT', 'NEW_PROSPECTS', 'QUALIFIED_LEADS');

-- CreateEnum
CREATE TYPE "VisitChannel" AS ENUM ('ON_SITE', 'PHONE', 'VIDEO');

-- CreateEnum
CREATE TYPE "VisitStatus" AS ENUM ('PLANNED', 'PREPARED', 'DONE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "TaskKind" AS ENUM ('PRESENTATION', 'TRAINING', 'PROJECT_REVIEW', 'FOLLOW_UP', 'CALL', 'EMAIL', 'DEMO', 'OTHER');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('OPEN', 'DONE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ActionPlanStatus" AS ENUM ('ACTIVE', 'CLOSED');

-- CreateEnum
CREATE TYPE "MaterialRequestStatus" AS ENUM ('REQUESTED', 'APPROVED', 'SHIPPED', 'DELIVERED', 'REFUSED');

-- CreateEnum
CREATE TYPE "IncidentKind" AS ENUM ('DELIVERY_DELAY', 'AFTER_SALES', 'BILLING', 'QUALITY', 'OTHER');

-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('OPEN', 'RESOLVED');

-- CreateEnum
CREATE TYPE "AnnouncementKind" AS ENUM ('PRODUCT_LAUNCH', 'PROMOTION', 'INFO');

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "plannedVisitsPerYear" INTEGER;

-- AlterTable
ALTER TABLE "Territory" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 100;

-- CreateTable
CREATE TABLE "TerritoryMembership" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "territoryId" UUID NOT NULL,
    "validFrom" DATE NOT NULL,
    "validTo" DATE,

    CONSTRAINT "TerritoryMembership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TerritoryRule" (
    "id" UUID NOT NULL,
    "territoryId" UUID NOT NULL,
    "country" TEXT,
    "region" TEXT,
    "postalCodePrefixes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "banner" TEXT,
    "buyingGroup" TEXT,
    "ancestorOrganisationId" UUID,
    "validFrom" DATE NOT NULL,
    "validTo" DATE,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TerritoryRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TerritoryException" (
    "id" UUID NOT NULL,
    "territoryId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "mode" "ExceptionMode" NOT NULL,
    "validFrom" DATE NOT NULL,
    "validTo" DATE,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TerritoryException_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrganisationRequest" (
    "id" UUID NOT NULL,
    "kind" "RequestKind" NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'PENDING',
    "requestedById" UUID NOT NULL,
    "requestedByTokenJti" TEXT,
    "organisationId" UUID,
    "otherOrganisationId" UUID,
    "proposed" JSONB NOT NULL DEFAULT '{}',
    "name" TEXT,
    "searchName" TEXT NOT NULL DEFAULT '',
    "legalId" TEXT,
    "postalCode" TEXT,
    "city" TEXT,
    "region" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "note" TEXT,
    "resolverId" UUID,
    "resolvedAt" TIMESTAMP(3),
    "resolutionNote" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrganisationRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestDuplicateCandidate" (
    "requestId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "reasons" TEXT[],
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "RequestDuplicateCandidate_pkey" PRIMARY KEY ("requestId","organisationId")
);

-- CreateTable
CREATE TABLE "Note" (
    "id" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "organisationId" UUID,
    "requestId" UUID,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineStage" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "defaultProbability" INTEGER NOT NULL,
    "maxDaysInStage" INTEGER,
    "isWon" BOOLEAN NOT NULL DEFAULT false,
    "isLost" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PipelineStage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Opportunity" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "stageId" UUID NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "probability" INTEGER NOT NULL,
    "expectedCloseDate" DATE,
    "initialCloseDate" DATE,
    "desiredDeliveryDate" DATE,
    "needs" TEXT,
    "budget" DECIMAL(14,2),
    "competitors" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "source" "OpportunitySource" NOT NULL DEFAULT 'REP',
    "status" "OpportunityStatus" NOT NULL DEFAULT 'OPEN',
    "lostReason" TEXT,
    "decisionMakersKnown" BOOLEAN NOT NULL DEFAULT false,
    "budgetKnown" BOOLEAN NOT NULL DEFAULT false,
    "stakesKnown" BOOLEAN NOT NULL DEFAULT false,
    "timingKnown" BOOLEAN NOT NULL DEFAULT false,
    "stageEnteredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),
    "createdByTokenJti" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Opportunity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OpportunityContact" (
    "opportunityId" UUID NOT NULL,
    "contactId" UUID NOT NULL,
    "roles" "ContactRole"[],

    CONSTRAINT "OpportunityContact_pkey" PRIMARY KEY ("opportunityId","contactId")
);

-- CreateTable
CREATE TABLE "OpportunityStageChange" (
    "id" UUID NOT NULL,
    "opportunityId" UUID NOT NULL,
    "fromStageId" UUID,
    "toStageId" UUID NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "probability" INTEGER NOT NULL,
    "changedById" UUID,
    "tokenJti" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OpportunityStageChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Quote" (
    "id" UUID NOT NULL,
    "opportunityId" UUID NOT NULL,
    "reference" TEXT,
    "amount" DECIMAL(14,2) NOT NULL,
    "status" "QuoteStatus" NOT NULL DEFAULT 'DRAFT',
    "sentAt" DATE,
    "validUntil" DATE,
    "followUpDate" DATE,
    "decidedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Quote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "organisationId" UUID NOT NULL,
    "orderedAt" DATE NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "deliveryDate" DATE,
    "deliveredAt" DATE,
    "repId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invoice" (
    "id" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "organisationId" UUID NOT NULL,
    "invoicedAt" DATE NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "orderExternalId" TEXT,
    "repId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lead" (
    "id" UUID NOT NULL,
    "source" "OpportunitySource" NOT NULL,
    "status" "LeadStatus" NOT NULL DEFAULT 'NEW',
    "score" INTEGER NOT NULL DEFAULT 0,
    "companyName" TEXT NOT NULL,
    "contactName" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "city" TEXT,
    "postalCode" TEXT,
    "notes" TEXT,
    "organisationId" UUID,
    "ownerId" UUID,
    "createdByTokenJti" TEXT,
    "partnerTokenId" UUID,
    "opportunityId" UUID,
    "organisationRequestId" UUID,
    "qualifiedAt" TIMESTAMP(3),
    "disqualifiedReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Objective" (
    "id" UUID NOT NULL,
    "userId" UUID,
    "teamId" UUID,
    "metric" "ObjectiveMetric" NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "target" DECIMAL(14,2) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Objective_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VisitPolicy" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "segment" "Segment",
    "category" "PortfolioCategory",
    "intervalMonths" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VisitPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Visit" (
    "id" UUID NOT NULL,
    "organisationId" UUID,
    "requestId" UUID,
    "repId" UUID NOT NULL,
    "plannedAt" TIMESTAMP(3) NOT NULL,
    "channel" "VisitChannel" NOT NULL DEFAULT 'ON_SITE',
    "status" "VisitStatus" NOT NULL DEFAULT 'PLANNED',
    "contactIdsToMeet" UUID[] DEFAULT ARRAY[]::UUID[],
    "objectives" TEXT,
    "agenda" TEXT,
    "preparationNotes" TEXT,
    "outcome" TEXT,
    "reportNotes" TEXT,
    "nextSteps" TEXT,
    "contactIdsMet" UUID[] DEFAULT ARRAY[]::UUID[],
    "durationMinutes" INTEGER,
    "preparedAt" TIMESTAMP(3),
    "reportedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "createdByTokenJti" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" UUID NOT NULL,
    "kind" "TaskKind" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "dueDate" DATE,
    "status" "TaskStatus" NOT NULL DEFAULT 'OPEN',
    "assigneeId" UUID,
    "organisationId" UUID,
    "requestId" UUID,
    "opportunityId" UUID,
    "visitId" UUID,
    "actionPlanId" UUID,
    "completedAt" TIMESTAMP(3),
    "createdById" UUID,
    "tokenJti" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionPlan" (
    "id" UUID NOT NULL,
    "objective" TEXT NOT NULL,
    "organisationId" UUID,
    "repId" UUID,
    "startDate" DATE,
    "endDate" DATE,
    "status" "ActionPlanStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActionPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaterialRequest" (
    "id" UUID NOT NULL,
    "visitId" UUID,
    "organisationId" UUID NOT NULL,
    "requestedById" UUID,
    "items" JSONB NOT NULL,
    "status" "MaterialRequestStatus" NOT NULL DEFAULT 'REQUESTED',
    "statusNote" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MaterialRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "organisationId" UUID NOT NULL,
    "kind" "IncidentKind" NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'OPEN',
    "openedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "summary" TEXT NOT NULL,
    "department" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Announcement" (
    "id" UUID NOT NULL,
    "kind" "AnnouncementKind" NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "validFrom" DATE NOT NULL,
    "validTo" DATE,
    "segments" "Segment"[] DEFAULT ARRAY[]::"Segment"[],
    "categories" "PortfolioCategory"[] DEFAULT ARRAY[]::"PortfolioCategory"[],
    "regions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "banners" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Announcement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TerritoryMembership_territoryId_validFrom_idx" ON "TerritoryMembership"("territoryId", "validFrom");

-- CreateIndex
CREATE INDEX "TerritoryMembership_organisationId_validFrom_idx" ON "TerritoryMembership"("organisationId", "validFrom");

-- CreateIndex
CREATE INDEX "TerritoryRule_territoryId_idx" ON "TerritoryRule"("territoryId");

-- CreateIndex
CREATE INDEX "TerritoryException_territoryId_idx" ON "TerritoryException"("territoryId");

-- CreateIndex
CREATE INDEX "TerritoryException_organisationId_idx" ON "TerritoryException"("organisationId");

-- CreateIndex
CREATE INDEX "OrganisationRequest_status_createdAt_idx" ON "OrganisationRequest"("status", "createdAt");

-- CreateIndex
CREATE INDEX "OrganisationRequest_requestedById_status_idx" ON "OrganisationRequest"("requestedById", "status");

-- CreateIndex
CREATE INDEX "OrganisationRequest_searchName_idx" ON "OrganisationRequest" USING GIN ("searchName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Note_organisationId_createdAt_idx" ON "Note"("organisationId", "createdAt");

-- CreateIndex
CREATE INDEX "Note_requestId_idx" ON "Note"("requestId");

-- CreateIndex
CREATE UNIQUE INDEX "PipelineStage_name_key" ON "PipelineStage"("name");

-- CreateIndex
CREATE INDEX "Opportunity_organisationId_status_idx" ON "Opportunity"("organisationId", "status");

-- CreateIndex
CREATE INDEX "Opportunity_ownerId_status_idx" ON "Opportunity"("ownerId", "status");

-- CreateIndex
CREATE INDEX "Opportunity_status_expectedCloseDate_idx" ON "Opportunity"("status", "expectedCloseDate");

-- CreateIndex
CREATE INDEX "Opportunity_stageId_idx" ON "Opportunity"("stageId");

-- CreateIndex
CREATE INDEX "OpportunityStageChange_opportunityId_at_idx" ON "OpportunityStageChange"("opportunityId", "at");

-- CreateIndex
CREATE INDEX "OpportunityStageChange_at_idx" ON "OpportunityStageChange"("at");

-- CreateIndex
CREATE INDEX "Quote_opportunityId_idx" ON "Quote"("opportunityId");

-- CreateIndex
CREATE INDEX "Quote_status_followUpDate_idx" ON "Quote"("status", "followUpDate");

-- CreateIndex
CREATE UNIQUE INDEX "Order_externalId_key" ON "Order"("externalId");

-- CreateIndex
CREATE INDEX "Order_organisationId_orderedAt_idx" ON "Order"("organisationId", "orderedAt");

-- CreateIndex
CREATE INDEX "Order_repId_orderedAt_idx" ON "Order"("repId", "orderedAt");

-- CreateIndex
CREATE INDEX "Order_orderedAt_idx" ON "Order"("orderedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_externalId_key" ON "Invoice"("externalId");

-- CreateIndex
CREATE INDEX "Invoice_organisationId_invoicedAt_idx" ON "Invoice"("organisationId", "invoicedAt");

-- CreateIndex
CREATE INDEX "Invoice_repId_invoicedAt_idx" ON "Invoice"("repId", "invoicedAt");

-- CreateIndex
CREATE INDEX "Invoice_invoicedAt_idx" ON "Invoice"("invoicedAt");

-- CreateIndex
CREATE INDEX "Lead_status_createdAt_idx" ON "Lead"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Lead_ownerId_status_idx" ON "Lead"("ownerId", "status");

-- CreateIndex
CREATE INDEX "Objective_userId_metric_periodStart_idx" ON "Objective"("userId", "metric", "periodStart");

-- CreateIndex
CREATE INDEX "Objective_teamId_metric_periodStart_idx" ON "Objective"("teamId", "metric", "periodStart");

-- CreateIndex
CREATE INDEX "Visit_repId_plannedAt_idx" ON "Visit"("repId", "plannedAt");

-- CreateIndex
CREATE INDEX "Visit_organisationId_plannedAt_idx" ON "Visit"("organisationId", "plannedAt");

-- CreateIndex
CREATE INDEX "Visit_status_plannedAt_idx" ON "Visit"("status", "plannedAt");

-- CreateIndex
CREATE INDEX "Visit_requestId_idx" ON "Visit"("requestId");

-- CreateIndex
CREATE INDEX "Task_assigneeId_status_dueDate_idx" ON "Task"("assigneeId", "status", "dueDate");

-- CreateIndex
CREATE INDEX "Task_organisationId_status_idx" ON "Task"("organisationId", "status");

-- CreateIndex
CREATE INDEX "Task_visitId_idx" ON "Task"("visitId");

-- CreateIndex
CREATE INDEX "Task_actionPlanId_idx" ON "Task"("actionPlanId");

-- CreateIndex
CREATE INDEX "Task_requestId_idx" ON "Task"("requestId");

-- CreateIndex
CREATE INDEX "ActionPlan_repId_status_idx" ON "ActionPlan"("repId", "status");

-- CreateIndex
CREATE INDEX "ActionPlan_organisationId_idx" ON "ActionPlan"("organisationId");

-- CreateIndex
CREATE INDEX "MaterialRequest_organisationId_status_idx" ON "MaterialRequest"("organisationId", "status");

-- CreateIndex
CREATE INDEX "MaterialRequest_visitId_idx" ON "MaterialRequest"("visitId");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_externalId_key" ON "Incident"("externalId");

-- CreateIndex
CREATE INDEX "Incident_organisationId_status_openedAt_idx" ON "Incident"("organisationId", "status", "openedAt");

-- CreateIndex
CREATE INDEX "Announcement_validFrom_idx" ON "Announcement"("validFrom");

-- AddForeignKey
ALTER TABLE "TerritoryMembership" ADD CONSTRAINT "TerritoryMembership_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TerritoryMembership" ADD CONSTRAINT "TerritoryMembership_territoryId_fkey" FOREIGN KEY ("territoryId") REFERENCES "Territory"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TerritoryRule" ADD CONSTRAINT "TerritoryRule_territoryId_fkey" FOREIGN KEY ("territoryId") REFERENCES "Territory"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TerritoryRule" ADD CONSTRAINT "TerritoryRule_ancestorOrganisationId_fkey" FOREIGN KEY ("ancestorOrganisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TerritoryException" ADD CONSTRAINT "TerritoryException_territoryId_fkey" FOREIGN KEY ("territoryId") REFERENCES "Territory"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TerritoryException" ADD CONSTRAINT "TerritoryException_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrganisationRequest" ADD CONSTRAINT "OrganisationRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrganisationRequest" ADD CONSTRAINT "OrganisationRequest_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrganisationRequest" ADD CONSTRAINT "OrganisationRequest_otherOrganisationId_fkey" FOREIGN KEY ("otherOrganisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrganisationRequest" ADD CONSTRAINT "OrganisationRequest_resolverId_fkey" FOREIGN KEY ("resolverId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestDuplicateCandidate" ADD CONSTRAINT "RequestDuplicateCandidate_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "OrganisationRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestDuplicateCandidate" ADD CONSTRAINT "RequestDuplicateCandidate_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "OrganisationRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Opportunity" ADD CONSTRAINT "Opportunity_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Opportunity" ADD CONSTRAINT "Opportunity_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Opportunity" ADD CONSTRAINT "Opportunity_stageId_fkey" FOREIGN KEY ("stageId") REFERENCES "PipelineStage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OpportunityContact" ADD CONSTRAINT "OpportunityContact_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OpportunityStageChange" ADD CONSTRAINT "OpportunityStageChange_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quote" ADD CONSTRAINT "Quote_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_organisationRequestId_fkey" FOREIGN KEY ("organisationRequestId") REFERENCES "OrganisationRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objective" ADD CONSTRAINT "Objective_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "OrganisationRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_repId_fkey" FOREIGN KEY ("repId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "OrganisationRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_opportunityId_fkey" FOREIGN KEY ("opportunityId") REFERENCES "Opportunity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_actionPlanId_fkey" FOREIGN KEY ("actionPlanId") REFERENCES "ActionPlan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionPlan" ADD CONSTRAINT "ActionPlan_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionPlan" ADD CONSTRAINT "ActionPlan_repId_fkey" FOREIGN KEY ("repId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaterialRequest" ADD CONSTRAINT "MaterialRequest_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaterialRequest" ADD CONSTRAINT "MaterialRequest_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
