import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { anyOf, COMMERCIAL_ROLES, everyone, role, scope, type RuleMap } from "../../auth/rules.js";
import { readOpportunities } from "../pipeline/pipeline.rules.js";

const leadUsers = anyOf(role(...COMMERCIAL_ROLES), scope("leads:write"));
const convertsLeads = role(...COMMERCIAL_ROLES);

export const leadRules: RuleMap = {
  Query: { leads: leadUsers },
  Mutation: { createLead: leadUsers, qualifyLead: leadUsers, disqualifyLead: leadUsers, convertLead: convertsLeads },
  Lead: { "*": leadUsers, opportunity: readOpportunities },
  LeadConnection: { "*": everyone },
  LeadEdge: { "*": everyone },
  LeadPayload: { "*": everyone },
};

/** Which token created a lead is part of its provenance, read with the lead itself. */
export const leadColumns: ColumnFieldMap = { Lead: { createdByTokenJti: "id", partnerTokenId: "id" } };
