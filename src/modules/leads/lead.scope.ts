// Which leads a viewer sees (defined in src/auth/scope/entities.ts): reps their own and the unassigned ones of
// their portfolio; managers those of their team (and the unassigned of the team's portfolio); head office
// all; a partner only the leads its own token brought.
import { toWhere } from "../../auth/scope/condition.js";
import { leads } from "../../auth/scope/entities.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

export const leadScope = (viewer: Viewer, day: Date) => toWhere<Prisma.LeadWhereInput>(leads(viewer, day));
