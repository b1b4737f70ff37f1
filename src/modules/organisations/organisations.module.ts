// What the organisations module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { OrganisationResolver } from "./organisation.resolver.js";
import { organisationColumns, organisationRules } from "./organisation.rules.js";
import { getOrganisation } from "./organisation.service.js";
import { Organisation } from "./organisation.type.js";
import { customFieldsResolverOf } from "../custom-fields/custom-field.resolver.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";

export const organisationsModule: DomainModule = {
  resolvers: [OrganisationResolver, customFieldsResolverOf(Organisation, CustomFieldEntity.ORGANISATION)],
  rules: [organisationRules],
  nodes: { Organisation: getOrganisation },
  columns: [organisationColumns],
};
