import { CUSTOM_VALUES_COLUMN } from "../custom-fields/custom-field.rules.js";
import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { anyOf, COMMERCIAL_ROLES, everyone, role, scope, type RuleMap } from "../../auth/rules.js";

/** Commercial users, and partners granted opportunities (stewards and services never: no commercial figures). */
export const readOpportunities = anyOf(role(...COMMERCIAL_ROLES), scope("opportunities:read"));
export const writeOpportunities = anyOf(role(...COMMERCIAL_ROLES), scope("opportunities:write"));

export const pipelineRules: RuleMap = {
  Query: { pipelineStages: readOpportunities, opportunities: readOpportunities, opportunity: readOpportunities, quotes: readOpportunities, quotesToChase: readOpportunities },
  Mutation: {
    createPipelineStage: role("HEAD_OFFICE"),
    updatePipelineStage: role("HEAD_OFFICE"),
    createOpportunity: writeOpportunities,
    updateOpportunity: writeOpportunities,
    moveOpportunityStage: writeOpportunities,
    closeOpportunity: writeOpportunities,
    createQuote: writeOpportunities,
    sendQuote: writeOpportunities,
    updateQuote: writeOpportunities,
    chaseQuote: writeOpportunities,
    decideQuote: writeOpportunities,
  },
  // Nested path: absent (FORBIDDEN) for whoever may not read opportunities.
  Organisation: { opportunities: readOpportunities },
  PipelineStage: { "*": readOpportunities },
  PipelineStagePayload: { "*": everyone },
  Opportunity: { "*": readOpportunities },
  OpportunityConnection: { "*": everyone },
  OpportunityEdge: { "*": everyone },
  OpportunityPayload: { "*": everyone },
  OpportunityContactRole: { "*": everyone },
  OpportunityStageChange: { "*": everyone },
  Qualification: { "*": everyone },
  Quote: { "*": readOpportunities },
  QuoteChase: { "*": everyone },
  QuoteConnection: { "*": everyone },
  QuoteEdge: { "*": everyone },
  QuotePayload: { "*": everyone },
};

/** The qualification checklist is stored flat; the forecast recorded at closing is a weighted amount. */
export const pipelineColumns: ColumnFieldMap = {
  Opportunity: {
    ...CUSTOM_VALUES_COLUMN,
    decisionMakersKnown: "qualification",
    budgetKnown: "qualification",
    stakesKnown: "qualification",
    timingKnown: "qualification",
    forecastWeightedAmount: "weightedAmount",
    forecastCategoryOverride: "forecastCategory",
    createdByTokenJti: "id",
  },
  // a history row has no identity of its own: it is read through its deal's stageHistory
  OpportunityStageChange: { id: "at", opportunityId: "at", fromStageId: "from", toStageId: "to", changedById: "by", tokenJti: "by" },
  // a chase is read through its quote's `chases`; who chased is not shown there
  QuoteChase: { id: "chasedOn", quoteId: "chasedOn", byId: null, tokenJti: null },
};
