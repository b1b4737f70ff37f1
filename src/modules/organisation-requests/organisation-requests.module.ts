// What the organisation-requests module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { OrganisationRequestResolver } from "./organisation-request.resolver.js";
import { organisationRequestColumns, organisationRequestRules } from "./organisation-request.rules.js";
import { getOrganisationRequest } from "./organisation-request.service.js";

export const organisationRequestsModule: DomainModule = {
  resolvers: [OrganisationRequestResolver],
  rules: [organisationRequestRules],
  nodes: { OrganisationRequest: getOrganisationRequest },
  columns: [organisationRequestColumns],
};
