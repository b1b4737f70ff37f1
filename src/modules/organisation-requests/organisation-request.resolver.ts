import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { loadOrganisation } from "../organisations/organisation.service.js";
import { Organisation } from "../organisations/organisation.type.js";
import { loadUser } from "../users/user.service.js";
import { User } from "../users/user.type.js";
import { visibleValues } from "../custom-fields/custom-field.service.js";
import { CustomFieldValue } from "../custom-fields/custom-field.type.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";
import type { CandidateWithIdentity, RequestCandidateWithIdentity } from "./organisation-request.loaders.js";
import {
  approveOrganisationRequest,
  duplicateCandidatesOf,
  duplicateRequestsOf,
  findDuplicateOrganisations,
  getOrganisationRequest,
  listOrganisationRequests,
  loadRequest,
  mergeOrganisationRequest,
  mergeOrganisations,
  refreshDuplicateCandidates,
  rejectOrganisationRequest,
  requestOrganisation,
} from "./organisation-request.service.js";
import {
  ApproveOrganisationRequestInput,
  DuplicateCandidate,
  DuplicateRequestCandidate,
  FindDuplicateOrganisationsInput,
  MergeOrganisationRequestInput,
  MergeOrganisationsInput,
  MergeOrganisationsPayload,
  OrganisationIdentity,
  OrganisationRequest,
  OrganisationRequestConnection,
  OrganisationRequestFilter,
  OrganisationRequestOrder,
  OrganisationRequestPayload,
  ProposedOrganisation,
  ReferentialEntryConnection,
  ReferentialEntryKind,
  ReferentialSearchFilter,
  ReferentialSearchOrder,
  RejectOrganisationRequestInput,
  RequestOrganisationInput,
  type OrganisationRequestRow,
} from "./organisation-request.type.js";
import { referentialSearch } from "./referential-search.js";

const identity = (candidate: Pick<CandidateWithIdentity, "organisation" | "reasons" | "score">): DuplicateCandidate => ({
  organisation: { ...candidate.organisation, id: toGlobalId("Organisation", candidate.organisation.id) } as OrganisationIdentity,
  reasons: candidate.reasons,
  score: candidate.score,
});

@Resolver(() => OrganisationRequest)
export class OrganisationRequestResolver {
  @Query(() => OrganisationRequestConnection, {
    description: "Requests the viewer may see: their own (a manager: their team's); all of them for stewards and head office. Oldest first by default.",
  })
  organisationRequests(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => OrganisationRequestFilter, { nullable: true }) filter: OrganisationRequestFilter | null,
    @Arg("orderBy", () => OrganisationRequestOrder, { nullable: true }) orderBy: OrganisationRequestOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listOrganisationRequests(ctx, filter, orderBy, page);
  }

  @Query(() => OrganisationRequest)
  organisationRequest(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return getOrganisationRequest(ctx, id);
  }

  @Query(() => [DuplicateCandidate], { description: "Stewards: existing organisations that look like this data, best first." })
  async findDuplicateOrganisations(@Arg("input", () => FindDuplicateOrganisationsInput) input: FindDuplicateOrganisationsInput, @Ctx() ctx: AuthedContext) {
    return (await findDuplicateOrganisations(ctx, input)).map(identity);
  }

  @Query(() => ReferentialEntryConnection, {
    description: "Is this company already known? Identity only (name, town, postal code, status, whether someone is in charge) of the whole validated referential and of the creation requests still pending, best matches first; at most 50 a page.",
  })
  referentialSearch(
    @Arg("text", { description: "A name (accents, case and legal forms ignored), a postal code or a legal id." }) text: string,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => ReferentialSearchFilter, { nullable: true }) filter: ReferentialSearchFilter | null,
    @Arg("orderBy", () => ReferentialSearchOrder, { nullable: true }) orderBy: ReferentialSearchOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return referentialSearch(ctx, text, filter, orderBy, page);
  }

  @Mutation(() => OrganisationRequestPayload, { description: "Files a request (partial data accepted); duplicate candidates are computed at once." })
  async requestOrganisation(@Arg("input", () => RequestOrganisationInput) input: RequestOrganisationInput, @Ctx() ctx: AuthedContext) {
    return { organisationRequest: await requestOrganisation(ctx, input) };
  }

  @Mutation(() => OrganisationRequestPayload, { description: "CREATE: creates the organisation (with the corrections and the request's custom fields, checked again against today's definitions) and places it in a portfolio; UPDATE: applies the change; MERGE_SUGGESTION: merges the pair." })
  async approveOrganisationRequest(@Arg("input", () => ApproveOrganisationRequestInput) input: ApproveOrganisationRequestInput, @Ctx() ctx: AuthedContext) {
    return { organisationRequest: await approveOrganisationRequest(ctx, input) };
  }

  @Mutation(() => OrganisationRequestPayload, { description: "The reason is shown to the requester." })
  async rejectOrganisationRequest(@Arg("input", () => RejectOrganisationRequestInput) input: RejectOrganisationRequestInput, @Ctx() ctx: AuthedContext) {
    return { organisationRequest: await rejectOrganisationRequest(ctx, input) };
  }

  @Mutation(() => OrganisationRequestPayload, {
    description: "Resolves a pending CREATE request as MERGED into an existing organisation (no new record): the visits, tasks and notes logged on it move there.",
  })
  async mergeOrganisationRequest(@Arg("input", () => MergeOrganisationRequestInput) input: MergeOrganisationRequestInput, @Ctx() ctx: AuthedContext) {
    return { organisationRequest: await mergeOrganisationRequest(ctx, input) };
  }

  @Mutation(() => MergeOrganisationsPayload, { description: "Moves everything from source to target in one transaction; the source's id then resolves to the target." })
  mergeOrganisations(@Arg("input", () => MergeOrganisationsInput) input: MergeOrganisationsInput, @Ctx() ctx: AuthedContext) {
    return mergeOrganisations(ctx, input);
  }

  @Mutation(() => OrganisationRequestPayload, { description: "Recomputes a request's duplicate candidates against today's referential." })
  async refreshDuplicateCandidates(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return { organisationRequest: await refreshDuplicateCandidates(ctx, id) };
  }

  @FieldResolver(() => ID)
  id(@Root() request: OrganisationRequestRow): string {
    return toGlobalId("OrganisationRequest", request.id);
  }

  @FieldResolver(() => ProposedOrganisation)
  proposed(@Root() request: OrganisationRequestRow): ProposedOrganisation {
    const p = (request.proposed ?? {}) as Partial<Record<keyof ProposedOrganisation, string | null>>;
    return {
      name: p.name ?? null, legalId: p.legalId ?? null, street: p.street ?? null, postalCode: p.postalCode ?? null,
      city: p.city ?? null, region: p.region ?? null, phone: p.phone ?? null, email: p.email ?? null,
    };
  }

  @FieldResolver(() => [CustomFieldValue], {
    description: "CREATE: the custom fields proposed for the organisation that the viewer may read, in definition order; approval writes them all onto it (a merge into an existing organisation keeps that organisation's own).",
  })
  customFields(@Root() request: OrganisationRequestRow, @Ctx() ctx: AuthedContext) {
    return visibleValues(ctx, CustomFieldEntity.ORGANISATION, request.customFields);
  }

  @FieldResolver(() => User, { nullable: true })
  requestedBy(@Root() request: OrganisationRequestRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, request.requestedById);
  }

  @FieldResolver(() => User, { nullable: true, description: "The steward who resolved it." })
  resolver(@Root() request: OrganisationRequestRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, request.resolverId);
  }

  @FieldResolver(() => Organisation, {
    nullable: true,
    description: "UPDATE: the organisation to change; MERGE_SUGGESTION: the first of the pair; CREATE: the resulting organisation once approved (null when outside the viewer's scope).",
  })
  organisation(@Root() request: OrganisationRequestRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, request.organisationId);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "MERGE_SUGGESTION: the second of the pair." })
  otherOrganisation(@Root() request: OrganisationRequestRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, request.otherOrganisationId);
  }

  @FieldResolver(() => [DuplicateCandidate], { description: "Organisations found similar when the request was filed (or last refreshed)." })
  async duplicateCandidates(@Root() request: OrganisationRequestRow, @Ctx() ctx: AuthedContext) {
    return (await duplicateCandidatesOf(ctx, request.id)).map(identity);
  }

  @FieldResolver(() => [DuplicateRequestCandidate], { description: "Other creation requests, still pending, that look like this one (the same prospect asked for twice)." })
  async duplicateRequests(@Root() request: OrganisationRequestRow, @Ctx() ctx: AuthedContext) {
    return (await duplicateRequestsOf(ctx, request.id)).map((candidate: RequestCandidateWithIdentity) => ({
      identity: { kind: ReferentialEntryKind.PENDING_REQUEST, name: candidate.request.name ?? "", city: candidate.request.city, postalCode: candidate.request.postalCode, status: null, inCharge: false },
      request: loadRequest(ctx, candidate.request.id),
      reasons: candidate.reasons,
      score: candidate.score,
    }));
  }
}
