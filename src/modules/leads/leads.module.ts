// What the leads module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { LeadResolver } from "./lead.resolver.js";
import { leadColumns, leadRules } from "./lead.rules.js";
import { getLead } from "./lead.service.js";

export const leadsModule: DomainModule = {
  resolvers: [LeadResolver],
  rules: [leadRules],
  nodes: { Lead: getLead },
  columns: [leadColumns],
};
