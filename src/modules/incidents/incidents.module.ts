// What the incidents module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { IncidentResolver, OrganisationIncidentsResolver } from "./incident.resolver.js";
import { incidentRules } from "./incident.rules.js";
import { getIncident } from "./incident.service.js";

export const incidentsModule: DomainModule = {
  resolvers: [IncidentResolver, OrganisationIncidentsResolver],
  rules: [incidentRules],
  nodes: { Incident: getIncident },
};
