// What the referential module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { OrganisationAdminResolver } from "./organisation-admin.resolver.js";
import { organisationAdminRules } from "./organisation-admin.rules.js";

export const referentialModule: DomainModule = {
  resolvers: [OrganisationAdminResolver],
  rules: [organisationAdminRules],
};
