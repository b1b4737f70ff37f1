import { anyOf, COMMERCIAL_ROLES, everyone, role, scope, type RuleMap } from "../../auth/rules.js";

/** Who reads incidents (which ones: incident.scope.ts): the field, as in visit briefs, and the importing systems. */
export const readIncidents = anyOf(role(...COMMERCIAL_ROLES), scope("visits:write"), scope("incidents:import"));

export const incidentRules: RuleMap = {
  Query: { incidents: readIncidents },
  Mutation: { importIncidents: scope("incidents:import") },
  Incident: { "*": readIncidents },
  Organisation: { incidents: readIncidents },
  IncidentConnection: { "*": everyone },
  IncidentEdge: { "*": everyone },
};
