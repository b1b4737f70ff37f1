// What the data-exchange module hands the composition root: the bulk upserts. Its CSV import and export
// routes (data-exchange.routes.ts) are mounted by the HTTP server and run through the same schema.
import type { DomainModule } from "../../graphql/domain-module.js";
import { BulkUpsertResolver } from "./bulk-upsert.resolver.js";
import { dataExchangeRules } from "./data-exchange.rules.js";

export const dataExchangeModule: DomainModule = {
  resolvers: [BulkUpsertResolver],
  rules: [dataExchangeRules],
};
