// Which requests a viewer sees: the row-level scope of requests.
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

const NOTHING: Prisma.OrganisationRequestWhereInput = { id: { in: [] } };

/** Requests the viewer may see: stewards and head office all; a manager their team's; others their own. */
export function requestScope(viewer: Viewer): Prisma.OrganisationRequestWhereInput {
  switch (viewer.kind) {
    case "HEAD_OFFICE":
    case "DATA_STEWARD":
      return {};
    case "MANAGER":
      return { requestedById: { in: [viewer.userId, ...viewer.teamRepIds] } };
    case "REP":
      return { requestedById: viewer.userId, requestedByTokenJti: null };
    case "PARTNER":
      return { requestedByTokenJti: viewer.jti };
    default:
      return NOTHING;
  }
}

