// The authenticated principal of a request: one of the six kinds of SPEC §2.
import type { Role } from "../db/generated/enums.js";

export type PrincipalKind = Role | "PARTNER" | "SERVICE";

export interface UserViewer {
  kind: Role;
  userId: string;
  email: string;
  teamId: string | null;
  /** for a MANAGER: the reps of their team (read once per request) */
  teamRepIds: readonly string[];
}

export interface TokenViewer {
  kind: "PARTNER" | "SERVICE";
  tokenId: string;
  jti: string;
  scopes: ReadonlySet<string>;
  restrictTerritoryIds: readonly string[];
  restrictOrganisationIds: readonly string[];
  /** who issued the token: their user id, for the audit trail */
  issuedById: string;
}

export type Viewer = UserViewer | TokenViewer;

export const isUserViewer = (viewer: Viewer | null): viewer is UserViewer =>
  viewer !== null && viewer.kind !== "PARTNER" && viewer.kind !== "SERVICE";

export const isTokenViewer = (viewer: Viewer | null): viewer is TokenViewer =>
  viewer !== null && (viewer.kind === "PARTNER" || viewer.kind === "SERVICE");

export function hasScope(viewer: Viewer | null, scope: string): boolean {
  return isTokenViewer(viewer) && viewer.scopes.has(scope);
}

/**
 * Who sees a kind of commercial field work (visits, deals): reps, managers and head office, and partner
 * tokens granted `partnerScope`. Data stewards and service tokens never do.
 */
export function seesFieldWork(viewer: Viewer, partnerScope: string): boolean {
  switch (viewer.kind) {
    case "REP":
    case "MANAGER":
    case "HEAD_OFFICE":
      return true;
    case "PARTNER":
      return hasScope(viewer, partnerScope);
    default:
      return false;
  }
}

/** Who did it, for the audit trail. */
export function actorOf(viewer: Viewer): { actorId: string | null; tokenJti: string | null } {
  return isUserViewer(viewer) ? { actorId: viewer.userId, tokenJti: null } : { actorId: viewer.issuedById, tokenJti: viewer.jti };
}
