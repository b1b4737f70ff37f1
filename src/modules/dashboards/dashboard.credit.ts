// Which figures a dashboard adds up, and whether the viewer may ask for them. Revenue, orders and visits
// are credited to the rep in charge *on their date* (Order.repId, Invoice.repId, Visit.repId, and the
// assignment history for territories) — never to whoever holds the organisation today. The conditions are
// the row scope's own (src/auth/scope): a rep's portfolio, a territory's charge, a partner's restriction,
// each "in force" on the date of the fact.
import { Prisma } from "../../db/generated/client.js";
import { ALL, idIn, idIs, toSql, type Condition, type Day } from "../../auth/scope/condition.js";
import { partnerRestriction, portfolioOf, territoryCharge, tokenRestriction, type Restriction } from "../../auth/scope/entities.js";
import { isUserViewer, type Viewer } from "../../auth/viewer.js";
import type { AuthedContext } from "../../graphql/context.js";
import { forbidden, notFound } from "../../errors/api-errors.js";
import { expectGlobalId, toGlobalId } from "../../graphql/relay.js";
import { DashboardScopeKind, type DashboardScopeInput } from "./dashboard.inputs.js";

export interface ResolvedScope {
  kind: DashboardScopeKind;
  id: string | null;
  label: string;
  /** reps whose work counts; null = everyone */
  repIds: string[] | null;
  /** a territory scope credits what the territory was in charge of on each date */
  territoryId: string | null;
  /** a partner's restriction (territories and organisations it may see) */
  partner: Restriction | null;
  /** may the viewer see amounts (revenue, orders, pipeline)? */
  commercial: boolean;
}

const NONE_ID = "00000000-0000-0000-0000-000000000000";

async function teamReps(ctx: AuthedContext, teamId: string): Promise<string[]> {
  const reps = await ctx.db.user.findMany({ where: { teamId, role: "REP" }, select: { id: true } });
  return reps.map((rep) => rep.id);
}

function defaultScope(viewer: Viewer): DashboardScopeInput {
  switch (viewer.kind) {
    case "REP":
      return { kind: DashboardScopeKind.REP, id: toGlobalId("User", viewer.userId) };
    case "MANAGER":
      return { kind: DashboardScopeKind.TEAM, id: viewer.teamId ? toGlobalId("Team", viewer.teamId) : null };
    default:
      return { kind: DashboardScopeKind.COMPANY };
  }
}

/** The scope a dashboard is asked for, if the viewer may see it (NOT_FOUND otherwise, like a missing one). */
export async function resolveScope(ctx: AuthedContext, input: DashboardScopeInput | null | undefined): Promise<ResolvedScope> {
  const viewer = ctx.viewer;
  if (viewer.kind === "PARTNER") {
    if (input && input.kind !== DashboardScopeKind.TERRITORY) throw forbidden("A partner sees its own restriction only");
    const own = tokenRestriction(viewer);
    const territoryIds = input?.id ? [expectGlobalId(input.id, "Territory")] : [...own.territoryIds];
    if (territoryIds.some((id) => !own.territoryIds.includes(id))) throw notFound("Territory");
    const organisationIds = input?.id ? [] : [...own.organisationIds];
    return { kind: DashboardScopeKind.TERRITORY, id: input?.id ?? null, label: "Partner restriction", repIds: null, territoryId: null, partner: { territoryIds, organisationIds }, commercial: false };
  }
  if (!isUserViewer(viewer)) throw forbidden();
  const requested = input ?? defaultScope(viewer);
  // data stewards see every scope's data-health figures (never amounts: `commercial` is false for them)
  const steward = viewer.kind === "DATA_STEWARD";
  const base = { kind: requested.kind, id: requested.id ?? null, territoryId: null, partner: null, commercial: !steward };
  switch (requested.kind) {
    case DashboardScopeKind.COMPANY:
      if (viewer.kind !== "HEAD_OFFICE" && !steward) throw forbidden("Only head office sees company figures");
      return { ...base, label: "Company", repIds: null };
    case DashboardScopeKind.REP: {
      const repId = expectGlobalId(requested.id ?? "", "User");
      const visible = steward || ctx.scope.mayActFor(repId);
      const rep = visible ? await ctx.db.user.findFirst({ where: { id: repId, role: "REP" }, select: { name: true } }) : null;
      if (!rep) throw notFound("User");
      return { ...base, label: rep.name, repIds: [repId] };
    }
    case DashboardScopeKind.TEAM: {
      const teamId = requested.id ? expectGlobalId(requested.id, "Team") : NONE_ID;
      const team = steward || ctx.scope.maySeeTeam(teamId) ? await ctx.db.team.findUnique({ where: { id: teamId }, select: { name: true } }) : null;
      if (!team) throw notFound("Team");
      return { ...base, label: `Team ${team.name}`, repIds: await teamReps(ctx, teamId) };
    }
    case DashboardScopeKind.TERRITORY: {
      const territoryId = expectGlobalId(requested.id ?? "", "Territory");
      const territory = await ctx.db.territory.findUnique({ where: { id: territoryId }, select: { name: true, teamId: true } });
      const visible = territory && (steward || viewer.kind === "HEAD_OFFICE" || (territory.teamId !== null && ctx.scope.maySeeTeam(territory.teamId)));
      if (!visible) throw notFound("Territory");
      return { ...base, label: territory.name, repIds: null, territoryId };
    }
  }
}

/** The whole company: every row counts, no condition to check (and no join needed to check one). */
export const isWholeCompany = (scope: ResolvedScope): boolean => scope.repIds === null && !scope.territoryId && !scope.partner;

/**
 * SQL condition crediting a fact row (alias with "organisationId", an optional rep column, and a date
 * expression) to the scope: by the rep credited on the date, or by the territory in charge on the date.
 */
export function creditedTo(scope: ResolvedScope, alias: string, repColumn: string | null, date: Prisma.Sql): Prisma.Sql {
  return toSql(creditCondition(scope, repColumn, date), alias);
}

function creditCondition(scope: ResolvedScope, repColumn: string | null, date: Day): Condition {
  if (scope.partner) return partnerRestriction(scope.partner, date, "organisationId");
  if (scope.territoryId) return territoryCharge([scope.territoryId], date, "organisationId");
  if (scope.repIds === null) return ALL;
  return repColumn ? idIn(repColumn, scope.repIds) : portfolioOf(scope.repIds, date, "organisationId");
}

/** Organisations in the scope's charge on `day` (the portfolio a dashboard's "today" figures look at). */
export function portfolioOn(scope: ResolvedScope, alias: string, day: Date): Prisma.Sql {
  return toSql(portfolioCondition(scope, day), alias);
}

function portfolioCondition(scope: ResolvedScope, day: Date): Condition {
  if (scope.partner) return partnerRestriction(scope.partner, day);
  if (scope.territoryId) return territoryCharge([scope.territoryId], day);
  if (scope.repIds === null) return idIs("mergedIntoId", null);
  return portfolioOf(scope.repIds, day);
}

/** Objectives of a scope: the sum of its reps' own targets (company: every rep's); territories have none. */
export function objectiveOwners(scope: ResolvedScope): Prisma.Sql {
  if (scope.territoryId || scope.partner) return Prisma.sql`FALSE`;
  if (scope.repIds === null) return Prisma.sql`obj."userId" IS NOT NULL`;
  return Prisma.sql`obj."userId" = ANY(${scope.repIds}::uuid[])`;
}


