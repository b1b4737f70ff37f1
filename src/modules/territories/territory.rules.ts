import type { ColumnFieldMap, EntityTypeAliases } from "../../auth/read-policy.js";
import { ALL_ROLES, everyone, isAuthenticated, role, type RuleMap } from "../../auth/rules.js";

/** Territories are changed by head office (any) and managers (their team's; the service checks which). */
const steerTerritories = role("HEAD_OFFICE", "MANAGER");
const commercial = role("REP", "MANAGER", "HEAD_OFFICE");

export const territoryRules: RuleMap = {
  Query: { territories: isAuthenticated, territoryCoverage: steerTerritories, territoryChangeImpact: steerTerritories },
  Mutation: {
    createTerritory: steerTerritories,
    addTerritoryRule: steerTerritories,
    endTerritoryRule: steerTerritories,
    setTerritoryException: steerTerritories,
    assignTerritory: steerTerritories,
    applyObjectiveRealignment: steerTerritories,
  },
  Territory: { "*": isAuthenticated, rules: role(...ALL_ROLES), holders: role(...ALL_ROLES), exceptions: role(...ALL_ROLES) },
  TerritoryConnection: { "*": everyone },
  TerritoryEdge: { "*": everyone },
  TerritoryRule: { "*": everyone },
  TerritoryHolder: { "*": everyone },
  TerritoryException: { "*": everyone },
  AssignmentPeriod: { "*": everyone },
  AssignmentPeriodConnection: { "*": everyone },
  AssignmentPeriodEdge: { "*": everyone },
  TerritoryCoverage: { "*": everyone },
  CoverageOverlap: { "*": everyone },
  TerritoryChangeImpact: { "*": everyone },
  OrganisationMove: { "*": everyone },
  ObjectiveConcerned: { "*": everyone },
  TerritoryPayload: { "*": everyone },
  ApplyObjectiveRealignmentPayload: { "*": everyone },
  User: { assignmentHistory: commercial },
  Organisation: { assignmentHistory: commercial },
};

/** Rules, exceptions and holders belong to their territory: whoever reads one reads which territory it is. */
export const territoryColumns: ColumnFieldMap = {
  TerritoryRule: { territoryId: "id" },
  TerritoryException: { territoryId: "id" },
  TerritoryHolder: { territoryId: "id" },
};

/** A territory assignment (a rep holding a territory for a window) is shown as a TerritoryHolder. */
export const territoryEntities: EntityTypeAliases = { TerritoryAssignment: "TerritoryHolder" };
