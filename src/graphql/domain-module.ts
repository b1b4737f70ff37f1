// What each domain module hands the composition root (src/modules/index.ts), in one registry per module
// (<module>/<module>.module.ts): leaving a part out is then a start-up failure (a field without a rule, a
// Node type without a fetcher), not a silent gap.
import type { ColumnFieldMap, EntityTypeAliases } from "../auth/read-policy.js";
import type { RuleMap } from "../auth/rules.js";
import type { AuthedContext, ColumnCuts } from "./context.js";

/** Fetches one object of a type by global id, through the module's own scoped read (throws NOT_FOUND). */
export type NodeFetcher = (ctx: AuthedContext, globalId: string) => Promise<object>;

export interface DomainModule {
  /** resolver classes: the module's types, queries and mutations, and the fields it adds to other modules' types */
  resolvers: Function[];
  /** shield rules of every field the resolvers declare */
  rules: RuleMap[];
  /** node(id) fetchers of the module's Node types */
  nodes?: Record<string, NodeFetcher>;
  /** how stored columns appear on the module's types (audit before/after) */
  columns?: ColumnFieldMap[];
  /** audit entity names that differ from their GraphQL type */
  entityAliases?: EntityTypeAliases[];
  /** columns the module cuts per reader on the side paths (its column map hides them from the plain column rules) */
  columnCuts?: ColumnCuts[];
}
