import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { connectionColumns, objectColumns } from "../../graphql/projection.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { MoneyScalar } from "../../graphql/scalars.js";
import { Contact } from "../contacts/contact.type.js";
import { Organisation, ORGANISATION_COLUMNS, type OrganisationRow } from "../organisations/organisation.type.js";
import { loadOrganisation } from "../organisations/organisation.service.js";
import { User } from "../users/user.type.js";
import { loadUser } from "../users/user.service.js";
import { ForecastCategory, QuoteStatus } from "../../db/generated/enums.js";
import { scopedContactById } from "./opportunity.loaders.js";
import {
  closeDateSlipped,
  closeOpportunity,
  contactRolesOf,
  createOpportunity,
  daysInStage,
  forecastCategory,
  getOpportunity,
  isStale,
  listOpportunities,
  loadOpportunity,
  moveOpportunityStage,
  opportunitiesOfOrganisation,
  probabilityRegressed,
  stageHistoryOf,
  updateOpportunity,
  weightedAmountOf,
} from "./opportunity.service.js";
import {
  CloseOpportunityInput,
  CreateOpportunityInput,
  MoveOpportunityStageInput,
  Opportunity,
  OpportunityConnection,
  OPPORTUNITY_COLUMNS,
  OpportunityContactRole,
  OpportunityFilter,
  OpportunityOrder,
  OpportunityPayload,
  OpportunityStageChange,
  Qualification,
  UpdateOpportunityInput,
  type OpportunityContactRow,
  type OpportunityRow,
  type StageChangeRow,
} from "./opportunity.type.js";
import { chaseQuote, chasesOf, createQuote, decideQuote, listQuotes, quoteStatus, quotesOfOpportunity, quotesToChase, sendQuote, updateQuote } from "./quote.service.js";
import {
  ChaseQuoteInput,
  CreateQuoteInput,
  DecideQuoteInput,
  Quote,
  QuoteChase,
  QuoteConnection,
  QuoteFilter,
  QuotePayload,
  SendQuoteInput,
  UpdateQuoteInput,
  type QuoteRow,
} from "./quote.type.js";
import { createPipelineStage, listStages, stageById, updatePipelineStage } from "./stage.service.js";
import { CreatePipelineStageInput, PipelineStage, PipelineStagePayload, UpdatePipelineStageInput, type StageRow } from "./stage.type.js";
import { ORDER_DOCS } from "../../graphql/sorting.js";

@Resolver(() => PipelineStage)
export class PipelineStageResolver {
  @Query(() => [PipelineStage], { description: "The pipeline's stages, in order." })
  pipelineStages(@Ctx() ctx: AuthedContext) {
    return listStages(ctx);
  }

  @Mutation(() => PipelineStagePayload)
  async createPipelineStage(@Arg("input", () => CreatePipelineStageInput) input: CreatePipelineStageInput, @Ctx() ctx: AuthedContext) {
    return { stage: await createPipelineStage(ctx, input) };
  }

  @Mutation(() => PipelineStagePayload)
  async updatePipelineStage(@Arg("input", () => UpdatePipelineStageInput) input: UpdatePipelineStageInput, @Ctx() ctx: AuthedContext) {
    return { stage: await updatePipelineStage(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() stage: StageRow): string {
    return toGlobalId("PipelineStage", stage.id);
  }
}

@Resolver(() => Opportunity)
export class OpportunityResolver {
  @Query(() => OpportunityConnection, { description: "Opportunities of the organisations the viewer may see." })
  opportunities(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => OpportunityFilter, { nullable: true }) filter: OpportunityFilter | null,
    @Arg("orderBy", () => [OpportunityOrder], { nullable: true, description: ORDER_DOCS.orderBy }) orderBy: OpportunityOrder[] | null,
    @Ctx() ctx: AuthedContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listOpportunities(ctx, filter, orderBy, page, connectionColumns(info, OPPORTUNITY_COLUMNS));
  }

  @Query(() => Opportunity, { description: "NOT_FOUND when missing or outside the viewer's scope." })
  opportunity(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return getOpportunity(ctx, id);
  }

  @Mutation(() => OpportunityPayload)
  async createOpportunity(@Arg("input", () => CreateOpportunityInput) input: CreateOpportunityInput, @Ctx() ctx: AuthedContext) {
    return { opportunity: await createOpportunity(ctx, input) };
  }

  @Mutation(() => OpportunityPayload, { description: "Changes the fields sent; CONFLICT when `version` is stale." })
  async updateOpportunity(@Arg("input", () => UpdateOpportunityInput) input: UpdateOpportunityInput, @Ctx() ctx: AuthedContext) {
    return { opportunity: await updateOpportunity(ctx, input) };
  }

  @Mutation(() => OpportunityPayload, { description: "Moves the deal to an open stage (probability defaults to the stage's)." })
  async moveOpportunityStage(@Arg("input", () => MoveOpportunityStageInput) input: MoveOpportunityStageInput, @Ctx() ctx: AuthedContext) {
    return { opportunity: await moveOpportunityStage(ctx, input) };
  }

  @Mutation(() => OpportunityPayload, { description: "Closes the deal as won or lost (lost needs a reason)." })
  async closeOpportunity(@Arg("input", () => CloseOpportunityInput) input: CloseOpportunityInput, @Ctx() ctx: AuthedContext) {
    return { opportunity: await closeOpportunity(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() opportunity: OpportunityRow): string {
    return toGlobalId("Opportunity", opportunity.id);
  }

  @FieldResolver(() => Organisation, { nullable: true })
  organisation(@Root() opportunity: OpportunityRow, @Ctx() ctx: AuthedContext, @Info() info: GraphQLResolveInfo) {
    return loadOrganisation(ctx, opportunity.organisationId, objectColumns(info, ORGANISATION_COLUMNS));
  }

  @FieldResolver(() => User, { nullable: true })
  owner(@Root() opportunity: OpportunityRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, opportunity.ownerId);
  }

  @FieldResolver(() => PipelineStage)
  stage(@Root() opportunity: OpportunityRow, @Ctx() ctx: AuthedContext) {
    return stageById(ctx, opportunity.stageId);
  }

  @FieldResolver(() => MoneyScalar, { description: "amount × probability / 100, exact, rounded half-up to cents." })
  weightedAmount(@Root() opportunity: OpportunityRow) {
    return weightedAmountOf(opportunity);
  }

  @FieldResolver(() => Qualification)
  qualification(@Root() opportunity: OpportunityRow): Qualification {
    return opportunity;
  }

  @FieldResolver(() => [OpportunityContactRole], { description: "Who plays which role in this deal." })
  contacts(@Root() opportunity: OpportunityRow, @Ctx() ctx: AuthedContext) {
    return contactRolesOf(ctx, opportunity.id);
  }

  @FieldResolver(() => [OpportunityStageChange], { description: "Every change of stage, amount or probability, oldest first." })
  stageHistory(@Root() opportunity: OpportunityRow, @Ctx() ctx: AuthedContext) {
    return stageHistoryOf(ctx, opportunity.id);
  }

  @FieldResolver(() => Int, { description: "Whole days since the deal entered its current stage." })
  daysInStage(@Root() opportunity: OpportunityRow, @Ctx() ctx: AuthedContext) {
    return daysInStage(ctx, opportunity);
  }

  @FieldResolver(() => Boolean, { description: "Open and longer in its stage than the stage's maximum." })
  isStale(@Root() opportunity: OpportunityRow, @Ctx() ctx: AuthedContext) {
    return isStale(ctx, opportunity);
  }

  @FieldResolver(() => Boolean, { description: "The probability went down while the stage moved forward (from the history)." })
  probabilityRegressed(@Root() opportunity: OpportunityRow, @Ctx() ctx: AuthedContext) {
    return probabilityRegressed(ctx, opportunity);
  }

  @FieldResolver(() => ForecastCategory, { description: "The rep's forecast category for this open deal, else its stage's." })
  forecastCategory(@Root() opportunity: OpportunityRow, @Ctx() ctx: AuthedContext) {
    return forecastCategory(ctx, opportunity);
  }

  @FieldResolver(() => Boolean, { description: "The expected close date is later than the first one given." })
  closeDateSlipped(@Root() opportunity: OpportunityRow) {
    return closeDateSlipped(opportunity);
  }

  @FieldResolver(() => QuoteConnection)
  quotes(@Root() opportunity: OpportunityRow, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return quotesOfOpportunity(ctx, opportunity.id, page);
  }
}

@Resolver(() => OpportunityContactRole)
export class OpportunityContactRoleResolver {
  @FieldResolver(() => Contact, { nullable: true, description: "Null when the contact is outside the viewer's scope." })
  contact(@Root() row: OpportunityContactRow, @Ctx() ctx: AuthedContext) {
    return ctx.loaders.get(scopedContactById).load(row.contactId);
  }
}

@Resolver(() => OpportunityStageChange)
export class OpportunityStageChangeResolver {
  @FieldResolver(() => PipelineStage, { nullable: true, description: "Null for the creation of the deal." })
  from(@Root() change: StageChangeRow, @Ctx() ctx: AuthedContext) {
    return change.fromStageId ? stageById(ctx, change.fromStageId) : null;
  }

  @FieldResolver(() => PipelineStage)
  to(@Root() change: StageChangeRow, @Ctx() ctx: AuthedContext) {
    return stageById(ctx, change.toStageId);
  }

  @FieldResolver(() => User, { nullable: true, description: "Null when a token made the change." })
  by(@Root() change: StageChangeRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, change.changedById);
  }
}

@Resolver(() => Quote)
export class QuoteResolver {
  @Query(() => QuoteConnection, { description: "The quotes the viewer may see (those of the opportunities it may see), newest first." })
  quotes(@Arg("filter", () => QuoteFilter, { nullable: true }) filter: QuoteFilter | null, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return listQuotes(ctx, filter, page);
  }

  @Query(() => QuoteConnection, { description: "Sent quotes whose follow-up date has come, not expired nor decided." })
  quotesToChase(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return quotesToChase(ctx, page);
  }

  @Mutation(() => QuotePayload)
  async createQuote(@Arg("input", () => CreateQuoteInput) input: CreateQuoteInput, @Ctx() ctx: AuthedContext) {
    return { quote: await createQuote(ctx, input) };
  }

  @Mutation(() => QuotePayload)
  async sendQuote(@Arg("input", () => SendQuoteInput) input: SendQuoteInput, @Ctx() ctx: AuthedContext) {
    return { quote: await sendQuote(ctx, input) };
  }

  @Mutation(() => QuotePayload, { description: "Changes a draft's amount or reference, or a sent quote's terms; CONFLICT when `version` is stale." })
  async updateQuote(@Arg("input", () => UpdateQuoteInput) input: UpdateQuoteInput, @Ctx() ctx: AuthedContext) {
    return { quote: await updateQuote(ctx, input) };
  }

  @Mutation(() => QuotePayload, { description: "Records a chase (kept in Quote.chases) and moves the follow-up date; CONFLICT when `version` is stale." })
  async chaseQuote(@Arg("input", () => ChaseQuoteInput) input: ChaseQuoteInput, @Ctx() ctx: AuthedContext) {
    return { quote: await chaseQuote(ctx, input) };
  }

  @Mutation(() => QuotePayload)
  async decideQuote(@Arg("input", () => DecideQuoteInput) input: DecideQuoteInput, @Ctx() ctx: AuthedContext) {
    return { quote: await decideQuote(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() quote: QuoteRow): string {
    return toGlobalId("Quote", quote.id);
  }

  @FieldResolver(() => QuoteStatus, { description: "EXPIRED when sent and past validUntil." })
  status(@Root() quote: QuoteRow, @Ctx() ctx: AuthedContext) {
    return quoteStatus(ctx, quote);
  }

  @FieldResolver(() => Opportunity, { nullable: true })
  opportunity(@Root() quote: QuoteRow, @Ctx() ctx: AuthedContext) {
    return loadOpportunity(ctx, quote.opportunityId);
  }

  @FieldResolver(() => [QuoteChase], { description: "Every chase of the quote, oldest first." })
  chases(@Root() quote: QuoteRow, @Ctx() ctx: AuthedContext) {
    return chasesOf(ctx, quote.id);
  }
}

/** Organisation.opportunities lives here: the pipeline owns it, type-graphql merges field resolvers. */
@Resolver(() => Organisation)
export class OrganisationOpportunitiesResolver {
  @FieldResolver(() => OpportunityConnection, { description: "The organisation's opportunities the viewer may see." })
  opportunities(@Root() organisation: OrganisationRow, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext, @Info() info: GraphQLResolveInfo) {
    return opportunitiesOfOrganisation(ctx, organisation.id, page, connectionColumns(info, OPPORTUNITY_COLUMNS));
  }
}
