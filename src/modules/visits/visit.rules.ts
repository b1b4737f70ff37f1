import { CUSTOM_VALUES_COLUMN } from "../custom-fields/custom-field.rules.js";
import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { anyOf, COMMERCIAL_ROLES, everyone, role, scope, type RuleMap } from "../../auth/rules.js";

/** Commercial users, and partners granted visits:write (stewards and service tokens never). */
export const readVisits = anyOf(role(...COMMERCIAL_ROLES), scope("visits:write"));
/** Head office reads visits but does not write them: reps, managers and partners with visits:write do. */
export const writeVisits = anyOf(role("REP", "MANAGER"), scope("visits:write"));

export const visitRules: RuleMap = {
  Query: {
    visits: readVisits,
    visit: readVisits,
    lateVisits: readVisits,
    visitPlan: readVisits,
    visitPolicies: role(...COMMERCIAL_ROLES),
  },
  Mutation: {
    planVisit: writeVisits,
    prepareVisit: writeVisits,
    reportVisit: writeVisits,
    cancelVisit: writeVisits,
    rescheduleVisit: writeVisits,
    createVisitPolicy: role("HEAD_OFFICE"),
    updateVisitPolicy: role("HEAD_OFFICE"),
    deleteVisitPolicy: role("HEAD_OFFICE"),
  },
  // Nested paths: closed (FORBIDDEN) for whoever may not read visits.
  Organisation: { visits: readVisits },
  Visit: { "*": readVisits },
  VisitConnection: { "*": everyone },
  VisitEdge: { "*": everyone },
  VisitPayload: { "*": everyone },
  PrepareVisitPayload: { "*": everyone },
  ReportVisitPayload: { "*": everyone },
  VisitPreparation: { "*": everyone },
  VisitReport: { "*": everyone },
  // The brief was authorised on Visit.brief; amounts are withheld from partners by the service.
  VisitBrief: { "*": everyone },
  BriefIncident: { "*": everyone },
  BriefAnnouncement: { "*": everyone },
  BriefOpportunity: { "*": everyone },
  BriefQuote: { "*": everyone },
  BriefTask: { "*": everyone },
  BriefOrder: { "*": everyone },
  BriefLastReport: { "*": everyone },
  VisitPolicy: { "*": everyone },
  VisitPolicyPayload: { "*": everyone },
  DeleteVisitPolicyPayload: { "*": everyone },
  VisitPlanConnection: { "*": everyone },
  VisitPlanEdge: { "*": everyone },
  VisitPlanEntry: { "*": everyone },
};

/** The preparation and the report are stored flat on the visit and shown as their own objects. */
export const visitColumns: ColumnFieldMap = {
  Visit: {
    ...CUSTOM_VALUES_COLUMN,
    contactIdsToMeet: "contactsToMeet",
    objectives: "preparation",
    agenda: "preparation",
    preparationNotes: "preparation",
    outcome: "report",
    reportNotes: "report",
    nextSteps: "report",
    contactIdsMet: "report",
    durationMinutes: "report",
    createdByTokenJti: "id",
  },
};
