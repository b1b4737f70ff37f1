// The composition of the domain: every resolver and node type, listed explicitly (no globs).
import type { NonEmptyArray } from "type-graphql";
import { ApiTokenResolver } from "./api-tokens/api-token.resolver.js";
import { getApiToken } from "./api-tokens/api-token.service.js";
import { apiTokenColumns, apiTokenRules } from "./api-tokens/api-token.rules.js";
import { ContactHygieneResolver } from "./contacts/contact-hygiene.resolver.js";
import { ContactResolver, OrganisationContactsResolver } from "./contacts/contact.resolver.js";
import { getContact } from "./contacts/contact.service.js";
import { contactRules } from "./contacts/contact.rules.js";
import { DashboardResolver } from "./dashboards/dashboard.resolver.js";
import { dashboardRules } from "./dashboards/dashboard.rules.js";
import { createNodeResolver, type NodeFetcher } from "./node/node.resolver.js";
import { nodeRules } from "./node/node.rules.js";
import { OrganisationResolver } from "./organisations/organisation.resolver.js";
import { getOrganisation } from "./organisations/organisation.service.js";
import { organisationColumns, organisationRules } from "./organisations/organisation.rules.js";
import { SessionResolver } from "./session/session.resolver.js";
import { sessionRules } from "./session/session.rules.js";
import {
  AssignmentPeriodResolver,
  CoverageOverlapResolver,
  ObjectiveConcernedResolver,
  OrganisationAssignmentHistoryResolver,
  OrganisationMoveResolver,
  TerritoryCoverageResolver,
  TerritoryExceptionResolver,
  TerritoryHolderResolver,
  TerritoryResolver,
  TerritoryRuleResolver,
  UserAssignmentHistoryResolver,
} from "./territories/territory.resolver.js";
import { PortfolioResolver } from "./portfolio/portfolio.resolver.js";
import { portfolioRules } from "./portfolio/portfolio.rules.js";
import { getTerritory } from "./territories/territory.service.js";
import { territoryColumns, territoryEntities, territoryRules } from "./territories/territory.rules.js";
import { AuditEventActorResolver, TeamResolver, UserResolver } from "./users/user.resolver.js";
import { getTeam, getUser } from "./users/user.service.js";
import { userColumns, userRules } from "./users/user.rules.js";
import {
  OpportunityContactRoleResolver,
  OpportunityResolver,
  OpportunityStageChangeResolver,
  OrganisationOpportunitiesResolver,
  PipelineStageResolver,
  QuoteResolver,
} from "./pipeline/pipeline.resolver.js";
import { pipelineColumns, pipelineRules } from "./pipeline/pipeline.rules.js";
import {
  InvoiceConnectionResolver,
  InvoiceResolver,
  OrderConnectionResolver,
  OrderImportResolver,
  OrderResolver,
  OrganisationOrdersResolver,
} from "./orders/order.resolver.js";
import { getInvoice, getOrder } from "./orders/order.service.js";
import { orderColumns, orderRules } from "./orders/order.rules.js";
import { IncidentResolver, OrganisationIncidentsResolver } from "./incidents/incident.resolver.js";
import { getIncident } from "./incidents/incident.service.js";
import { incidentRules } from "./incidents/incident.rules.js";
import { AnnouncementResolver } from "./announcements/announcement.resolver.js";
import { getAnnouncement } from "./announcements/announcement.service.js";
import { announcementColumns, announcementRules } from "./announcements/announcement.rules.js";
import { LeadResolver } from "./leads/lead.resolver.js";
import { getLead } from "./leads/lead.service.js";
import { leadColumns, leadRules } from "./leads/lead.rules.js";
import { ObjectiveResolver } from "./objectives/objective.resolver.js";
import { getObjective } from "./objectives/objective.service.js";
import { objectiveRules } from "./objectives/objective.rules.js";
import {
  MaterialRequestVisitResolver,
  OrganisationVisitsResolver,
  TaskVisitResolver,
  VisitPlanResolver,
  VisitPolicyResolver,
  VisitReportResolver,
  VisitResolver,
} from "./visits/visit.resolver.js";
import { ActionPlanResolver, TaskResolver } from "./tasks/task.resolver.js";
import { getTask } from "./tasks/task.service.js";
import { getActionPlan } from "./tasks/action-plan.service.js";
import { taskColumns, taskRules } from "./tasks/task.rules.js";
import { MaterialRequestResolver } from "./material-requests/material-request.resolver.js";
import { getMaterialRequest } from "./material-requests/material-request.service.js";
import { materialRequestColumns, materialRequestRules } from "./material-requests/material-request.rules.js";
import { getVisit } from "./visits/visit.service.js";
import { visitColumns, visitRules } from "./visits/visit.rules.js";
import { getOpportunity } from "./pipeline/opportunity.service.js";
import { getQuote } from "./pipeline/quote.service.js";
import { getStage } from "./pipeline/stage.service.js";
import { getAuditEvent } from "./audit/audit.query.js";
import { AuditEventResolver } from "./audit/audit.resolver.js";
import { auditColumns, auditRules } from "./audit/audit.rules.js";
import { OrganisationRequestResolver } from "./organisation-requests/organisation-request.resolver.js";
import { getOrganisationRequest } from "./organisation-requests/organisation-request.service.js";
import { organisationRequestColumns, organisationRequestRules } from "./organisation-requests/organisation-request.rules.js";
import { OrganisationAdminResolver } from "./referential/organisation-admin.resolver.js";
import { organisationAdminRules } from "./referential/organisation-admin.rules.js";
import { OrganisationTimelineResolver, TimelineItemResolver } from "./timeline/timeline.resolver.js";
import { timelineRules } from "./timeline/timeline.rules.js";
import type { RuleMap } from "../auth/rules.js";
import type { ColumnFieldMap, EntityTypeAliases } from "../auth/read-policy.js";

const nodeFetchers: Record<string, NodeFetcher> = {
  Organisation: getOrganisation,
  Contact: getContact,
  User: getUser,
  Team: getTeam,
  Territory: getTerritory,
  ApiToken: getApiToken,
  OrganisationRequest: getOrganisationRequest,
  PipelineStage: getStage,
  Opportunity: getOpportunity,
  Quote: getQuote,
  Lead: getLead,
  Objective: getObjective,
  Visit: getVisit,
  AuditEvent: getAuditEvent,
  Task: getTask,
  ActionPlan: getActionPlan,
  MaterialRequest: getMaterialRequest,
  Order: getOrder,
  Invoice: getInvoice,
  Incident: getIncident,
  Announcement: getAnnouncement,
};

export const resolvers: NonEmptyArray<Function> = [
  createNodeResolver(nodeFetchers),
  SessionResolver,
  UserResolver,
  AuditEventActorResolver,
  TeamResolver,
  OrganisationResolver,
  ContactResolver,
  OrganisationContactsResolver,
  TerritoryResolver,
  TerritoryRuleResolver,
  TerritoryHolderResolver,
  TerritoryExceptionResolver,
  AssignmentPeriodResolver,
  CoverageOverlapResolver,
  TerritoryCoverageResolver,
  OrganisationMoveResolver,
  ObjectiveConcernedResolver,
  UserAssignmentHistoryResolver,
  OrganisationAssignmentHistoryResolver,
  PortfolioResolver,
  ApiTokenResolver,
  OrganisationRequestResolver,
  OrganisationAdminResolver,
  ContactHygieneResolver,
  AuditEventResolver,
  OrganisationTimelineResolver,
  TimelineItemResolver,
  DashboardResolver,
  PipelineStageResolver,
  OpportunityResolver,
  OpportunityContactRoleResolver,
  OpportunityStageChangeResolver,
  QuoteResolver,
  OrganisationOpportunitiesResolver,
  OrderImportResolver,
  OrderResolver,
  InvoiceResolver,
  OrderConnectionResolver,
  InvoiceConnectionResolver,
  OrganisationOrdersResolver,
  IncidentResolver,
  OrganisationIncidentsResolver,
  AnnouncementResolver,
  LeadResolver,
  ObjectiveResolver,
  VisitResolver,
  VisitReportResolver,
  VisitPolicyResolver,
  VisitPlanResolver,
  OrganisationVisitsResolver,
  TaskVisitResolver,
  MaterialRequestVisitResolver,
  TaskResolver,
  ActionPlanResolver,
  MaterialRequestResolver,
];

export const ruleMaps: RuleMap[] = [
  nodeRules,
  sessionRules,
  userRules,
  organisationRules,
  contactRules,
  territoryRules,
  portfolioRules,
  apiTokenRules,
  organisationRequestRules,
  organisationAdminRules,
  auditRules,
  timelineRules,
  dashboardRules,
  pipelineRules,
  orderRules,
  incidentRules,
  announcementRules,
  leadRules,
  objectiveRules,
  visitRules,
  taskRules,
  materialRequestRules,
];

/** How each module's stored columns appear on its types (for the side paths: audit before/after). */
export const columnMaps: ColumnFieldMap[] = [
  auditColumns,
  userColumns,
  organisationColumns,
  territoryColumns,
  apiTokenColumns,
  organisationRequestColumns,
  pipelineColumns,
  leadColumns,
  visitColumns,
  orderColumns,
  announcementColumns,
  taskColumns,
  materialRequestColumns,
];

/** Audit entity names that differ from their GraphQL type. */
export const entityTypeAliases: EntityTypeAliases[] = [territoryEntities];
