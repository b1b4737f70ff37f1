// What the pipeline module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { getOpportunity } from "./opportunity.service.js";
import { OpportunityContactRoleResolver, OpportunityResolver, OpportunityStageChangeResolver, OrganisationOpportunitiesResolver, PipelineStageResolver, QuoteResolver } from "./pipeline.resolver.js";
import { pipelineColumns, pipelineRules } from "./pipeline.rules.js";
import { getQuote } from "./quote.service.js";
import { getStage } from "./stage.service.js";
import { Opportunity } from "./opportunity.type.js";
import { customFieldsResolverOf } from "../custom-fields/custom-field.resolver.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";

export const pipelineModule: DomainModule = {
  resolvers: [PipelineStageResolver, OpportunityResolver, OpportunityContactRoleResolver, OpportunityStageChangeResolver, QuoteResolver, OrganisationOpportunitiesResolver, customFieldsResolverOf(Opportunity, CustomFieldEntity.OPPORTUNITY)],
  rules: [pipelineRules],
  nodes: { PipelineStage: getStage, Opportunity: getOpportunity, Quote: getQuote },
  columns: [pipelineColumns],
};
