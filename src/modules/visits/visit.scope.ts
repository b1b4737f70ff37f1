// Row-level scope of visits (defined in src/auth/scope/entities.ts): a visit follows its organisation's
// scope; a visit logged against a pending organisation request follows the request's. Tokens need
// `visits:write`; data stewards and service tokens see no visits at all (their rules refuse the fields too).
import { toWhere } from "../../auth/scope/condition.js";
import { visits } from "../../auth/scope/entities.js";
import { hasScope, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

export { mayReadVisits } from "../../auth/scope/entities.js";

/** Who may plan, prepare and report: reps and managers (their portfolio), partners with visits:write. */
export function mayWriteVisits(viewer: Viewer): boolean {
  return viewer.kind === "REP" || viewer.kind === "MANAGER" || (viewer.kind === "PARTNER" && hasScope(viewer, "visits:write"));
}

export const visitScope = (viewer: Viewer, day: Date) => toWhere<Prisma.VisitWhereInput>(visits(viewer, day));
