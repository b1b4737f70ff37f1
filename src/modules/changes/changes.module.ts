// What the change-feed module hands the composition root: its resolver reads records through every other
// module's node(id) fetchers, so it is built from them (like node(id) itself).
import type { DomainModule, NodeFetcher } from "../../graphql/domain-module.js";
import { createChangeResolver } from "./change.resolver.js";
import { changeRules } from "./change.rules.js";

export function createChangesModule(fetchers: Readonly<Record<string, NodeFetcher>>): DomainModule {
  return { resolvers: [createChangeResolver(fetchers)], rules: [changeRules] };
}
