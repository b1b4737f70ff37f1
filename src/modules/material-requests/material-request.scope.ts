// Which material requests a viewer sees: those on organisations of their scope, those for the reps whose
// work they see, and those they asked for themselves. Partners with visits:write (their visit reports file
// requests) see the ones on organisations inside their restriction. Data stewards and service tokens none.
import { organisationScope, visibleRepIds } from "../../auth/row-scope.js";
import { isUserViewer, seesFieldWork, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

const NOTHING: Prisma.MaterialRequestWhereInput = { id: { in: [] } };

export const maySeeMaterialRequests = (viewer: Viewer): boolean => seesFieldWork(viewer, "visits:write");

export function materialRequestScope(viewer: Viewer, day: Date): Prisma.MaterialRequestWhereInput {
  if (!maySeeMaterialRequests(viewer)) return NOTHING;
  const reps = visibleRepIds(viewer);
  if (reps === "all") return {};
  const paths: Prisma.MaterialRequestWhereInput[] = [{ organisation: organisationScope(viewer, day) }];
  if (reps.length) paths.push({ repId: { in: [...reps] } });
  if (isUserViewer(viewer)) paths.push({ requestedById: viewer.userId, requestedByTokenJti: null });
  return { OR: paths };
}

/** Who decides on a request and ships it: head office, or the manager of the rep it is for. */
export function mayDecideFor(viewer: Viewer, repId: string | null): boolean {
  if (viewer.kind === "HEAD_OFFICE") return true;
  return viewer.kind === "MANAGER" && repId !== null && viewer.teamRepIds.includes(repId);
}
