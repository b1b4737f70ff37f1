// Row-level scope: the one place that turns a viewer into the `where` every service read goes through.
// Nothing is filtered after the fact: what is outside the scope is never read, and is reported exactly
// like a missing row.
import type { Prisma } from "../db/generated/client.js";
import { hasScope, isUserViewer, type TokenViewer, type UserViewer, type Viewer } from "./viewer.js";

const NOTHING = { id: { in: [] as string[] } };

/** Rows of an effective-dated table (assignments, holdings) in force on `day`; validTo is exclusive. */
export function assignmentInForce(day: Date) {
  return { validFrom: { lte: day }, OR: [{ validTo: null }, { validTo: { gt: day } }] };
}

function portfolioOf(repIds: readonly string[], day: Date): Prisma.OrganisationWhereInput {
  return { assignments: { some: { ...assignmentInForce(day), repId: { in: [...repIds] } } } };
}

function partnerRestriction(viewer: TokenViewer, day: Date): Prisma.OrganisationWhereInput {
  const paths: Prisma.OrganisationWhereInput[] = [];
  if (viewer.restrictOrganisationIds.length) paths.push({ id: { in: [...viewer.restrictOrganisationIds] } });
  if (viewer.restrictTerritoryIds.length) {
    paths.push({ territoryMemberships: { some: { ...assignmentInForce(day), territoryId: { in: [...viewer.restrictTerritoryIds] } } } });
  }
  return paths.length ? { OR: paths } : NOTHING;
}

function userOrganisationScope(viewer: UserViewer, day: Date): Prisma.OrganisationWhereInput {
  switch (viewer.kind) {
    case "HEAD_OFFICE":
    case "DATA_STEWARD":
      return {};
    case "MANAGER":
      return portfolioOf(viewer.teamRepIds, day);
    case "REP":
      return portfolioOf([viewer.userId], day);
  }
}

/** Organisations the viewer may see in full, on `day` (merged records resolve elsewhere, never listed). */
export function organisationScope(viewer: Viewer, day: Date): Prisma.OrganisationWhereInput {
  const live = { mergedIntoId: null };
  if (viewer.kind === "PARTNER") return { ...live, ...partnerRestriction(viewer, day) };
  if (viewer.kind === "SERVICE") return hasScope(viewer, "organisations:read") ? live : NOTHING;
  return isUserViewer(viewer) ? { ...live, ...userOrganisationScope(viewer, day) } : NOTHING;
}

/** Contacts follow their organisation; partners and services also need a contacts scope. */
export function contactScope(viewer: Viewer, day: Date): Prisma.ContactWhereInput {
  if ((viewer.kind === "PARTNER" || viewer.kind === "SERVICE") && !hasScope(viewer, "contacts:read")) return NOTHING;
  return { organisation: organisationScope(viewer, day) };
}

/** Reps a viewer may see the work of: themselves, their team, everyone for head office. */
export function visibleRepIds(viewer: Viewer): readonly string[] | "all" {
  if (viewer.kind === "HEAD_OFFICE") return "all";
  if (viewer.kind === "MANAGER") return viewer.teamRepIds;
  if (viewer.kind === "REP") return [viewer.userId];
  return [];
}
