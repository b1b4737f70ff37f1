// The composition of the domain: every module, listed explicitly (no globs). Each module hands over its
// resolvers, rules, node fetchers and column maps in one registry (<module>/<module>.module.ts); the lists
// below are built from them, and buildAppSchema refuses to start when a Node type has no fetcher or a field
// no rule.
import type { NonEmptyArray } from "type-graphql";
import type { ColumnFieldMap, EntityTypeAliases } from "../auth/read-policy.js";
import type { RuleMap } from "../auth/rules.js";
import type { ColumnCuts } from "../graphql/context.js";
import type { DomainModule, NodeFetcher } from "../graphql/domain-module.js";
import { createNodeResolver } from "./node/node.resolver.js";
import { nodeRules } from "./node/node.rules.js";
import { sessionModule } from "./session/session.module.js";
import { usersModule } from "./users/users.module.js";
import { organisationsModule } from "./organisations/organisations.module.js";
import { contactsModule } from "./contacts/contacts.module.js";
import { territoriesModule } from "./territories/territories.module.js";
import { portfolioModule } from "./portfolio/portfolio.module.js";
import { apiTokensModule } from "./api-tokens/api-tokens.module.js";
import { organisationRequestsModule } from "./organisation-requests/organisation-requests.module.js";
import { referentialModule } from "./referential/referential.module.js";
import { auditModule } from "./audit/audit.module.js";
import { timelineModule } from "./timeline/timeline.module.js";
import { dashboardsModule } from "./dashboards/dashboards.module.js";
import { pipelineModule } from "./pipeline/pipeline.module.js";
import { ordersModule } from "./orders/orders.module.js";
import { incidentsModule } from "./incidents/incidents.module.js";
import { announcementsModule } from "./announcements/announcements.module.js";
import { leadsModule } from "./leads/leads.module.js";
import { objectivesModule } from "./objectives/objectives.module.js";
import { visitsModule } from "./visits/visits.module.js";
import { tasksModule } from "./tasks/tasks.module.js";
import { materialRequestsModule } from "./material-requests/material-requests.module.js";
import { createChangesModule } from "./changes/changes.module.js";
import { dataExchangeModule } from "./data-exchange/data-exchange.module.js";
import { webhooksModule } from "./webhooks/webhooks.module.js";
import { trashModule } from "./trash/trash.module.js";
import { privacyModule } from "./privacy/privacy.module.js";
import { customFieldsModule } from "./custom-fields/custom-fields.module.js";
import { aggregatesModule } from "./aggregates/aggregates.module.js";
import { WebhookWorker, type WebhookWorkerDeps } from "./webhooks/webhook-worker.js";

const MODULES: readonly DomainModule[] = [
  sessionModule,
  usersModule,
  organisationsModule,
  contactsModule,
  territoriesModule,
  portfolioModule,
  apiTokensModule,
  organisationRequestsModule,
  referentialModule,
  auditModule,
  timelineModule,
  dashboardsModule,
  pipelineModule,
  ordersModule,
  incidentsModule,
  announcementsModule,
  leadsModule,
  objectivesModule,
  visitsModule,
  tasksModule,
  materialRequestsModule,
  dataExchangeModule,
  webhooksModule,
  trashModule,
  privacyModule,
  customFieldsModule,
  aggregatesModule,
];

function nodeFetchersOf(modules: readonly DomainModule[]): Record<string, NodeFetcher> {
  const fetchers: Record<string, NodeFetcher> = {};
  for (const module of modules) {
    for (const [typeName, fetch] of Object.entries(module.nodes ?? {})) {
      if (fetchers[typeName]) throw new Error(`Two modules fetch ${typeName} nodes`);
      fetchers[typeName] = fetch;
    }
  }
  return fetchers;
}

const nodeFetchers = nodeFetchersOf(MODULES);

/** Modules built from the others' node fetchers: they show any record as node(id) does. */
const COMPOSED: readonly DomainModule[] = [createChangesModule(nodeFetchers)];

/** The webhook delivery worker: it reads each subscription's feed through the same node fetchers. */
export const createWebhookWorker = (deps: Omit<WebhookWorkerDeps, "fetchers">): WebhookWorker => new WebhookWorker({ ...deps, fetchers: nodeFetchers });
export type { WebhookWorker, PassResult } from "./webhooks/webhook-worker.js";
export { TrashPurger, type PurgeResult } from "./trash/trash.purge.js";

/** The types node(id) fetches: every object type implementing Node must be one (checked at start-up). */
export const nodeTypeNames: ReadonlySet<string> = new Set(Object.keys(nodeFetchers));

export const resolvers: NonEmptyArray<Function> = [createNodeResolver(nodeFetchers), ...[...MODULES, ...COMPOSED].flatMap((module) => module.resolvers)];

export const ruleMaps: RuleMap[] = [nodeRules, ...[...MODULES, ...COMPOSED].flatMap((module) => module.rules)];

/** How each module's stored columns appear on its types (for the side paths: audit before/after). */
export const columnMaps: ColumnFieldMap[] = MODULES.flatMap((module) => module.columns ?? []);

/** The columns side paths show cut per reader, entity by entity (custom values). */
export const columnCuts: ColumnCuts = Object.assign({}, ...MODULES.flatMap((module) => module.columnCuts ?? []));

/** Audit entity names that differ from their GraphQL type. */
export const entityTypeAliases: EntityTypeAliases[] = MODULES.flatMap((module) => module.entityAliases ?? []);
