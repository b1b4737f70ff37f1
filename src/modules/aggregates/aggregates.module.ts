// What the aggregates module hands the composition root (src/modules/index.ts).
import type { DomainModule } from "../../graphql/domain-module.js";
import { AggregateResolver } from "./aggregate.resolver.js";
import { aggregateRules } from "./aggregate.rules.js";

export const aggregatesModule: DomainModule = {
  resolvers: [AggregateResolver],
  rules: [aggregateRules],
};
