import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { Organisation } from "../organisations/organisation.type.js";
import { loadOrganisation } from "../organisations/organisation.service.js";
import { Opportunity } from "../pipeline/opportunity.type.js";
import { loadOpportunity } from "../pipeline/opportunity.service.js";
import { User } from "../users/user.type.js";
import { loadUser } from "../users/user.service.js";
import { convertLead, createLead, disqualifyLead, listLeads, qualifyLead } from "./lead.service.js";
import { ConvertLeadInput, CreateLeadInput, DisqualifyLeadInput, Lead, LeadConnection, LeadFilter, LeadPayload, QualifyLeadInput, type LeadRow } from "./lead.type.js";

@Resolver(() => Lead)
export class LeadResolver {
  @Query(() => LeadConnection, { description: "Leads the viewer follows (partners: the leads their token brought)." })
  leads(@Args(() => PageArgs) page: PageArgs, @Arg("filter", () => LeadFilter, { nullable: true }) filter: LeadFilter | null, @Ctx() ctx: AuthedContext) {
    return listLeads(ctx, filter, page);
  }

  @Mutation(() => LeadPayload)
  async createLead(@Arg("input", () => CreateLeadInput) input: CreateLeadInput, @Ctx() ctx: AuthedContext) {
    return { lead: await createLead(ctx, input) };
  }

  @Mutation(() => LeadPayload)
  async qualifyLead(@Arg("input", () => QualifyLeadInput) input: QualifyLeadInput, @Ctx() ctx: AuthedContext) {
    return { lead: await qualifyLead(ctx, input) };
  }

  @Mutation(() => LeadPayload)
  async disqualifyLead(@Arg("input", () => DisqualifyLeadInput) input: DisqualifyLeadInput, @Ctx() ctx: AuthedContext) {
    return { lead: await disqualifyLead(ctx, input) };
  }

  @Mutation(() => LeadPayload, { description: "Into an opportunity (known company) or an organisation request (unknown company)." })
  async convertLead(@Arg("input", () => ConvertLeadInput) input: ConvertLeadInput, @Ctx() ctx: AuthedContext) {
    return { lead: await convertLead(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() lead: LeadRow): string {
    return toGlobalId("Lead", lead.id);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Null when unknown or outside the viewer's scope." })
  organisation(@Root() lead: LeadRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, lead.organisationId);
  }

  @FieldResolver(() => User, { nullable: true })
  owner(@Root() lead: LeadRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, lead.ownerId);
  }

  @FieldResolver(() => Opportunity, { nullable: true, description: "The opportunity it was converted into." })
  opportunity(@Root() lead: LeadRow, @Ctx() ctx: AuthedContext) {
    return lead.opportunityId ? loadOpportunity(ctx, lead.opportunityId) : null;
  }

  @FieldResolver(() => ID, { nullable: true, description: "The organisation request filed for an unknown company." })
  organisationRequestId(@Root() lead: LeadRow): string | null {
    return lead.organisationRequestId ? toGlobalId("OrganisationRequest", lead.organisationRequestId) : null;
  }
}
