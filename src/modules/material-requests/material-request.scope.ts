// Which material requests a viewer sees: defined in src/auth/scope/entities.ts (`materialRequests`).
import { toWhere } from "../../auth/scope/condition.js";
import { materialRequests } from "../../auth/scope/entities.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

export { maySeeMaterialRequests } from "../../auth/scope/entities.js";

export const materialRequestScope = (viewer: Viewer, day: Date) => toWhere<Prisma.MaterialRequestWhereInput>(materialRequests(viewer, day));

/** Who decides on a request and ships it: head office, or the manager of the rep it is for. */
export function mayDecideFor(viewer: Viewer, repId: string | null): boolean {
  if (viewer.kind === "HEAD_OFFICE") return true;
  return viewer.kind === "MANAGER" && repId !== null && viewer.teamRepIds.includes(repId);
}
