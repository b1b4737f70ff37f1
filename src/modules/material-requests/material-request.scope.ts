// Which material requests a viewer sees: defined in src/auth/scope/entities.ts (`materialRequests`).
import { toWhere } from "../../auth/scope/condition.js";
import { materialRequests } from "../../auth/scope/entities.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

export { maySeeMaterialRequests } from "../../auth/scope/entities.js";

export const materialRequestScope = (viewer: Viewer, day: Date) => toWhere<Prisma.MaterialRequestWhereInput>(materialRequests(viewer, day));

