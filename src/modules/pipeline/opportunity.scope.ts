// Row-level scope of the pipeline: opportunities and quotes follow their organisation's scope; tokens also
// need an opportunities scope; data stewards and service tokens see no commercial figures at all.
import { organisationScope } from "../../auth/row-scope.js";
import { seesFieldWork, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

const NOTHING = { id: { in: [] as string[] } };

export const mayReadOpportunities = (viewer: Viewer): boolean => seesFieldWork(viewer, "opportunities:read");

export function opportunityScope(viewer: Viewer, day: Date): Prisma.OpportunityWhereInput {
  if (!mayReadOpportunities(viewer)) return NOTHING;
  return { organisation: organisationScope(viewer, day) };
}

export function quoteScope(viewer: Viewer, day: Date): Prisma.QuoteWhereInput {
  if (!mayReadOpportunities(viewer)) return NOTHING;
  return { opportunity: opportunityScope(viewer, day) };
}
