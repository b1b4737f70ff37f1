// Which figures a dashboard adds up, and whether the viewer may ask for them. Revenue, orders and visits
// are credited to the rep in charge *on their date* (Order.repId, Invoice.repId, Visit.repId, and the
// assignment history for territories) — never to whoever holds the organisation today.
import { Prisma } from "../../db/generated/client.js";
import { isUserViewer, type Viewer } from "../../auth/viewer.js";
import type { AuthedContext } from "../../graphql/context.js";
import { forbidden, notFound } from "../../graphql/errors.js";
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
  partner: { territoryIds: string[]; organisationIds: string[] } | null;
  /** may the viewer see amounts (revenue, orders, pipeline)? */
  commercial: boolean;
}

const NONE = "00000000-0000-0000-0000-000000000000";

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

export async function resolveScope(ctx: AuthedContext, input: DashboardScopeInput | null | undefined): Promise<ResolvedScope> {
  const viewer = ctx.viewer;
  if (viewer.kind === "PARTNER") {
    if (input && input.kind !== DashboardScopeKind.TERRITORY) throw forbidden("A partner sees its own restriction only");
    const territoryIds = input?.id ? [expectGlobalId(input.id, "Territory")] : [...viewer.restrictTerritoryIds];
    if (territoryIds.some((id) => !viewer.restrictTerritoryIds.includes(id))) throw notFound("Territory");
    const organisationIds = input?.id ? [] : [...viewer.restrictOrganisationIds];
    return { kind: DashboardScopeKind.TERRITORY, id: input?.id ?? null, label: "Partner restriction", repIds: null, territoryId: null, partner: { territoryIds, organisationIds }, commercial: false };
  }
  if (!isUserViewer(viewer)) throw forbidden();
  const requested = input ?? defaultScope(viewer);
  const commercial = viewer.kind !== "DATA_STEWARD";
  const base = { kind: requested.kind, id: requested.id ?? null, territoryId: null, partner: null, commercial };
  switch (requested.kind) {
    case DashboardScopeKind.COMPANY:
      if (viewer.kind !== "HEAD_OFFICE" && viewer.kind !== "DATA_STEWARD") throw forbidden("Only head office sees company figures");
      return { ...base, label: "Company", repIds: null };
    case DashboardScopeKind.REP: {
      const repId = expectGlobalId(requested.id ?? "", "User");
      const visible = viewer.kind === "HEAD_OFFICE" || viewer.kind === "DATA_STEWARD" || (viewer.kind === "REP" ? repId === viewer.userId : viewer.teamRepIds.includes(repId));
      const rep = visible ? await ctx.db.user.findFirst({ where: { id: repId, role: "REP" }, select: { name: true } }) : null;
      if (!rep) throw notFound("User");
      return { ...base, label: rep.name, repIds: [repId] };
    }
    case DashboardScopeKind.TEAM: {
      const teamId = requested.id ? expectGlobalId(requested.id, "Team") : NONE;
      const visible = viewer.kind === "HEAD_OFFICE" || viewer.kind === "DATA_STEWARD" || (viewer.kind === "MANAGER" && viewer.teamId === teamId);
      const team = visible ? await ctx.db.team.findUnique({ where: { id: teamId }, select: { name: true } }) : null;
      if (!team) throw notFound("Team");
      return { ...base, label: `Team ${team.name}`, repIds: await teamReps(ctx, teamId) };
    }
    case DashboardScopeKind.TERRITORY: {
      const territoryId = expectGlobalId(requested.id ?? "", "Territory");
      const territory = await ctx.db.territory.findUnique({ where: { id: territoryId }, select: { name: true, teamId: true } });
      const visible = territory && (viewer.kind === "HEAD_OFFICE" || viewer.kind === "DATA_STEWARD" || (viewer.kind === "MANAGER" && territory.teamId === viewer.teamId));
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
  const organisation = Prisma.raw(`${alias}."organisationId"`);
  if (scope.partner) return partnerCondition(scope.partner, organisation, date);
  if (scope.territoryId) {
    return Prisma.sql`EXISTS (SELECT 1 FROM "OrganisationAssignment" ta WHERE ta."organisationId" = ${organisation}
      AND ta."territoryId" = ${scope.territoryId}::uuid AND ta."validFrom" <= ${date} AND (ta."validTo" IS NULL OR ta."validTo" > ${date}))`;
  }
  if (scope.repIds === null) return Prisma.sql`TRUE`;
  if (repColumn) return Prisma.sql`${Prisma.raw(`${alias}."${repColumn}"`)} = ANY(${scope.repIds}::uuid[])`;
  return Prisma.sql`EXISTS (SELECT 1 FROM "OrganisationAssignment" ra WHERE ra."organisationId" = ${organisation}
    AND ra."repId" = ANY(${scope.repIds}::uuid[]) AND ra."validFrom" <= ${date} AND (ra."validTo" IS NULL OR ra."validTo" > ${date}))`;
}

function partnerCondition(partner: NonNullable<ResolvedScope["partner"]>, organisation: Prisma.Sql, date: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${organisation} = ANY(${partner.organisationIds}::uuid[]) OR EXISTS (SELECT 1 FROM "TerritoryMembership" tm
    WHERE tm."organisationId" = ${organisation} AND tm."territoryId" = ANY(${partner.territoryIds}::uuid[])
    AND tm."validFrom" <= ${date} AND (tm."validTo" IS NULL OR tm."validTo" > ${date})))`;
}

/** Organisations in the scope's charge on `day` (the portfolio a dashboard's "today" figures look at). */
export function portfolioOn(scope: ResolvedScope, alias: string, day: Date): Prisma.Sql {
  const dayLiteral = Prisma.sql`${day}::date`;
  const organisation = Prisma.raw(`${alias}."id"`);
  if (scope.partner) return partnerCondition(scope.partner, organisation, dayLiteral);
  if (scope.repIds === null && !scope.territoryId) return Prisma.sql`${Prisma.raw(`${alias}."mergedIntoId"`)} IS NULL`;
  const who = scope.territoryId ? Prisma.sql`pa."territoryId" = ${scope.territoryId}::uuid` : Prisma.sql`pa."repId" = ANY(${scope.repIds}::uuid[])`;
  return Prisma.sql`EXISTS (SELECT 1 FROM "OrganisationAssignment" pa WHERE pa."organisationId" = ${organisation} AND ${who}
    AND pa."validFrom" <= ${dayLiteral} AND (pa."validTo" IS NULL OR pa."validTo" > ${dayLiteral}))`;
}

/** Objectives of a scope: the sum of its reps' own targets (company: every rep's); territories have none. */
export function objectiveOwners(scope: ResolvedScope): Prisma.Sql {
  if (scope.territoryId || scope.partner) return Prisma.sql`FALSE`;
  if (scope.repIds === null) return Prisma.sql`obj."userId" IS NOT NULL`;
  return Prisma.sql`obj."userId" = ANY(${scope.repIds}::uuid[])`;
}

/** A column reference, for building SQL from trusted identifiers only. */
export const col = (alias: string, column: string) => Prisma.raw(`${alias}."${column}"`);
