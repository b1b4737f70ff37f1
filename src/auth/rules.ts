// graphql-shield rules: *who may call* an operation or read a field. Which rows they see is the
// row-level scope's job (row-scope.ts). Deny is the fallback: a field without a rule is closed.
import { GraphQLError } from "graphql";
import { allow, chain, or, rule } from "graphql-shield";
import type { Role } from "../db/generated/enums.js";
import { ErrorCode } from "../errors/api-errors.js";
import type { Scope } from "./scopes.js";
import { hasScope, type Viewer } from "./viewer.js";

export interface RuleContext {
  viewer: Viewer | null;
}

const UNAUTHENTICATED = () => new GraphQLError("Authentication required", { extensions: { code: ErrorCode.UNAUTHENTICATED } });
export const FORBIDDEN = () => new GraphQLError("You are not allowed to do this", { extensions: { code: ErrorCode.FORBIDDEN } });

export const isAuthenticated = rule({ cache: "contextual" })((_parent, _args, ctx: RuleContext) =>
  ctx.viewer ? true : UNAUTHENTICATED(),
);

// graphql-shield wants one rule per name: rules are built once per name and shared.
const ruleCache = new Map<string, ReturnType<typeof chain>>();
function named(name: string, build: () => ReturnType<typeof chain>) {
  let built = ruleCache.get(name);
  if (!built) ruleCache.set(name, (built = build()));
  return built;
}

/** Users with one of these roles. */
export function role(...roles: Role[]) {
  const name = `role:${[...roles].sort().join(",")}`;
  return named(name, () =>
    chain(
      isAuthenticated,
      rule(name, { cache: "contextual" })((_p, _a, ctx: RuleContext) =>
        ctx.viewer && (roles as string[]).includes(ctx.viewer.kind) ? true : FORBIDDEN(),
      ),
    ),
  );
}

/** A partner or service token granted this scope. */
export function scope(scopeName: Scope) {
  const name = `scope:${scopeName}`;
  return named(name, () =>
    chain(
      isAuthenticated,
      rule(name, { cache: "contextual" })((_p, _a, ctx: RuleContext) => (hasScope(ctx.viewer, scopeName) ? true : FORBIDDEN())),
    ),
  );
}

export const partner = chain(
  isAuthenticated,
  rule("partner", { cache: "contextual" })((_p, _a, ctx: RuleContext) => (ctx.viewer?.kind === "PARTNER" ? true : FORBIDDEN())),
);

/** Any of the given rules (roles, scopes) opens the field. */
export const anyOf = (...rules: Parameters<typeof or>) => or(...rules);

export const everyone = allow;

export const ALL_ROLES: Role[] = ["REP", "MANAGER", "HEAD_OFFICE", "DATA_STEWARD"];
export const COMMERCIAL_ROLES: Role[] = ["REP", "MANAGER", "HEAD_OFFICE"];

/** A module's rules: type name → field name → rule. */
export type RuleMap = Record<string, Record<string, unknown>>;
