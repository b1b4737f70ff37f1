// Row-level scope of the pipeline (defined in src/auth/scope/entities.ts): opportunities and quotes follow
// their organisation's scope; tokens also need an opportunities scope; data stewards and service tokens see
// no commercial figures at all.
import { toWhere } from "../../auth/scope/condition.js";
import { opportunities, quotes } from "../../auth/scope/entities.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

export { mayReadOpportunities } from "../../auth/scope/entities.js";

export const opportunityScope = (viewer: Viewer, day: Date) => toWhere<Prisma.OpportunityWhereInput>(opportunities(viewer, day));

export const quoteScope = (viewer: Viewer, day: Date) => toWhere<Prisma.QuoteWhereInput>(quotes(viewer, day));
