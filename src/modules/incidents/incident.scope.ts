// Row-level scope of incidents: defined in src/auth/scope/entities.ts.
import { toWhere } from "../../auth/scope/condition.js";
import { incidents } from "../../auth/scope/entities.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

export const incidentScope = (viewer: Viewer, day: Date) => toWhere<Prisma.IncidentWhereInput>(incidents(viewer, day));
