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
