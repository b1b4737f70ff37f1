// What the territories module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { AssignmentPeriodResolver, CoverageOverlapResolver, ObjectiveConcernedResolver, OrganisationAssignmentHistoryResolver, OrganisationMoveResolver, TerritoryCoverageResolver, TerritoryExceptionResolver, TerritoryHolderResolver, TerritoryResolver, TerritoryRuleResolver, UserAssignmentHistoryResolver } from "./territory.resolver.js";
import { territoryColumns, territoryEntities, territoryRules } from "./territory.rules.js";
import { getTerritory } from "./territory.service.js";

export const territoriesModule: DomainModule = {
  resolvers: [TerritoryResolver, TerritoryRuleResolver, TerritoryHolderResolver, TerritoryExceptionResolver, AssignmentPeriodResolver, CoverageOverlapResolver, TerritoryCoverageResolver, OrganisationMoveResolver, ObjectiveConcernedResolver, UserAssignmentHistoryResolver, OrganisationAssignmentHistoryResolver],
  rules: [territoryRules],
  nodes: { Territory: getTerritory },
  columns: [territoryColumns],
  entityAliases: [territoryEntities],
};
