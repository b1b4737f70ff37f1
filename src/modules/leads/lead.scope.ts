// Which leads a viewer sees: reps their own and the unassigned ones of their portfolio; managers those of
// their team (and the unassigned of the team's portfolio); head office all; a partner only the leads its
// own token brought.
import { organisationScope } from "../../auth/row-scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

const NOTHING = { id: { in: [] as string[] } };

export function leadScope(viewer: Viewer, day: Date): Prisma.LeadWhereInput {
  switch (viewer.kind) {
    case "HEAD_OFFICE":
      return {};
    case "REP":
    case "MANAGER": {
      const owners = viewer.kind === "REP" ? [viewer.userId] : [viewer.userId, ...viewer.teamRepIds];
      return { OR: [{ ownerId: { in: owners } }, { ownerId: null, organisation: organisationScope(viewer, day) }] };
    }
    case "PARTNER":
      return { partnerTokenId: viewer.tokenId };
    default:
      return NOTHING;
  }
}
