import DataLoader from "dataloader";
import { contactScope } from "../../auth/row-scope.js";
import type { ContactRow } from "../contacts/contact.type.js";
import { groupByKey, indexByKey, type RequestContext } from "../../graphql/context.js";
import { loadChildrenByColumns, projectedKeyName, type ProjectedKey } from "../../graphql/projection.js";
import { opportunityScope, quoteScope } from "./opportunity.scope.js";
import type { OpportunityContactRow, OpportunityRow, StageChangeRow } from "./opportunity.type.js";
import type { QuoteRow } from "./quote.type.js";
import type { StageRow } from "./stage.type.js";

/** The configuration key of the stages: who changes a stage forgets it (stage.service.ts). */
export const STAGES_CONFIGURATION = "pipelineStages";

/** Stages are configuration (a handful of rows): kept per instance (CONFIGURATION_CACHE_MS), one list per request. */
export const allStages = (ctx: RequestContext) =>
  new DataLoader<"all", StageRow[], string>(async (keys) => {
    const rows = await ctx.configuration.get(STAGES_CONFIGURATION, () => ctx.db.pipelineStage.findMany({ orderBy: [{ position: "asc" }, { name: "asc" }] }));
    return keys.map(() => rows);
  });

export const opportunityById = (ctx: RequestContext) =>
  new DataLoader<string, OpportunityRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.opportunity.findMany({ where: { id: { in: [...ids] }, ...opportunityScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });

/**
 * Opportunities of each organisation (open first, then by expected close date), inside the viewer's scope,
 * with the columns the operation asks for (rows are partial when `columns` is set: see OPPORTUNITY_COLUMNS).
 */
export const opportunitiesByOrganisation = (ctx: RequestContext) =>
  new DataLoader<ProjectedKey, OpportunityRow[], string>(
    (keys) =>
      loadChildrenByColumns(
        keys,
        async (organisationIds, columns) =>
          ctx.viewer
            ? ((await ctx.db.opportunity.findMany({
                where: { organisationId: { in: organisationIds }, ...opportunityScope(ctx.viewer, ctx.today) },
                orderBy: [{ status: "asc" }, { expectedCloseDate: "asc" }, { id: "asc" }],
                ...(columns ? { select: columns } : {}),
              })) as OpportunityRow[])
            : [],
        (row) => row.organisationId,
      ),
    { cacheKeyFn: projectedKeyName },
  );

/** History rows of each opportunity, oldest first (the parent was read through the scope). */
export const stageHistoryByOpportunity = (ctx: RequestContext) =>
  new DataLoader<string, StageChangeRow[], string>(async (ids) => {
    const rows = await ctx.db.opportunityStageChange.findMany({ where: { opportunityId: { in: [...ids] } }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    return groupByKey(ids, rows, (row) => row.opportunityId);
  });

export const contactsByOpportunity = (ctx: RequestContext) =>
  new DataLoader<string, OpportunityContactRow[], string>(async (ids) => {
    const rows = await ctx.db.opportunityContact.findMany({ where: { opportunityId: { in: [...ids] } } });
    return groupByKey(ids, rows, (row) => row.opportunityId);
  });

export const quotesByOpportunity = (ctx: RequestContext) =>
  new DataLoader<string, QuoteRow[], string>(async (ids) => {
    const rows = ctx.viewer
      ? await ctx.db.quote.findMany({ where: { opportunityId: { in: [...ids] }, ...quoteScope(ctx.viewer, ctx.today) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })
      : [];
    return groupByKey(ids, rows, (row) => row.opportunityId);
  });

/** Contacts by id inside the viewer's scope (the deal's contact roles point at them). */
export const scopedContactById = (ctx: RequestContext) =>
  new DataLoader<string, ContactRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.contact.findMany({ where: { id: { in: [...ids] }, ...contactScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });
