// Which requests a viewer sees: the row-level scope of requests (defined in src/auth/scope/entities.ts).
import { toWhere } from "../../auth/scope/condition.js";
import { requests } from "../../auth/scope/entities.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

/** Requests the viewer may see: stewards and head office all; a manager their team's; others their own. */
export const requestScope = (viewer: Viewer) => toWhere<Prisma.OrganisationRequestWhereInput>(requests(viewer));
