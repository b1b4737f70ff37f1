// Row-level scope of visits: a visit follows its organisation's scope; a visit logged against a pending
// organisation request follows the request's scope. Tokens need `visits:write`; data stewards and service
// tokens see no visits at all (their rules refuse the fields too).
import { organisationScope } from "../../auth/row-scope.js";
import { hasScope, seesFieldWork, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import { requestScope } from "../organisation-requests/organisation-request.scope.js";

const NOTHING: Prisma.VisitWhereInput = { id: { in: [] } };

export const mayReadVisits = (viewer: Viewer): boolean => seesFieldWork(viewer, "visits:write");

/** Who may plan, prepare and report: reps and managers (their portfolio), partners with visits:write. */
export function mayWriteVisits(viewer: Viewer): boolean {
  return viewer.kind === "REP" || viewer.kind === "MANAGER" || (viewer.kind === "PARTNER" && hasScope(viewer, "visits:write"));
}

export function visitScope(viewer: Viewer, day: Date): Prisma.VisitWhereInput {
  if (!mayReadVisits(viewer)) return NOTHING;
  return {
    OR: [
      { organisationId: { not: null }, organisation: organisationScope(viewer, day) },
      { organisationId: null, request: requestScope(viewer) },
    ],
  };
}
