// The composition of the domain: every resolver and node type, listed explicitly (no globs).
import type { NonEmptyArray } from "type-graphql";
import { ApiTokenResolver } from "./api-tokens/api-token.resolver.js";
import { getApiToken } from "./api-tokens/api-token.service.js";
import { apiTokenRules } from "./api-tokens/api-token.rules.js";
import { ContactResolver } from "./contacts/contact.resolver.js";
import { getContact } from "./contacts/contact.service.js";
import { contactRules } from "./contacts/contact.rules.js";
import { DashboardResolver } from "./dashboards/dashboard.resolver.js";
import { dashboardRules } from "./dashboards/dashboard.rules.js";
import { createNodeResolver, type NodeFetcher } from "./node/node.resolver.js";
import { nodeRules } from "./node/node.rules.js";
import { OrganisationResolver } from "./organisations/organisation.resolver.js";
import { getOrganisation } from "./organisations/organisation.service.js";
import { organisationRules } from "./organisations/organisation.rules.js";
import { SessionResolver } from "./session/session.resolver.js";
import { sessionRules } from "./session/session.rules.js";
import { TerritoryResolver } from "./territories/territory.resolver.js";
import { getTerritory } from "./territories/territory.service.js";
import { territoryRules } from "./territories/territory.rules.js";
import { TeamResolver, UserResolver } from "./users/user.resolver.js";
import { getTeam, getUser } from "./users/user.service.js";
import { userRules } from "./users/user.rules.js";
import type { RuleMap } from "../auth/rules.js";

const nodeFetchers: Record<string, NodeFetcher> = {
  Organisation: getOrganisation,
  Contact: getContact,
  User: getUser,
  Team: getTeam,
  Territory: getTerritory,
  ApiToken: getApiToken,
};

export const resolvers: NonEmptyArray<Function> = [
  createNodeResolver(nodeFetchers),
  SessionResolver,
  UserResolver,
  TeamResolver,
  OrganisationResolver,
  ContactResolver,
  TerritoryResolver,
  ApiTokenResolver,
  DashboardResolver,
];

export const ruleMaps: RuleMap[] = [
  nodeRules,
  sessionRules,
  userRules,
  organisationRules,
  contactRules,
  territoryRules,
  apiTokenRules,
  dashboardRules,
];
