import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { loadOrganisation } from "../organisations/organisation.service.js";
import { Organisation } from "../organisations/organisation.type.js";
import { loadUser } from "../users/user.service.js";
import { User } from "../users/user.type.js";
import {
  decideMaterialRequest,
  getMaterialRequest,
  itemsOf,
  listMaterialRequests,
  markMaterialRequestDelivered,
  markMaterialRequestShipped,
} from "./material-request.service.js";
import {
  DecideMaterialRequestInput,
  MarkMaterialRequestDeliveredInput,
  MarkMaterialRequestShippedInput,
  MaterialItem,
  MaterialRequest,
  MaterialRequestConnection,
  MaterialRequestFilter,
  MaterialRequestOrder,
  MaterialRequestPayload,
  type MaterialRequestRow,
} from "./material-request.type.js";

@Resolver(() => MaterialRequest)
export class MaterialRequestResolver {
  @Query(() => MaterialRequestConnection, {
    description: "Material requests on organisations of the viewer's scope, for the reps whose work they see, or asked by the viewer. Default order: newest first.",
  })
  materialRequests(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => MaterialRequestFilter, { nullable: true }) filter: MaterialRequestFilter | null,
    @Arg("orderBy", () => MaterialRequestOrder, { nullable: true }) orderBy: MaterialRequestOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listMaterialRequests(ctx, filter, orderBy, page);
  }

  @Query(() => MaterialRequest, { description: "NOT_FOUND when missing or outside the viewer's scope." })
  materialRequest(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return getMaterialRequest(ctx, id);
  }

  @Mutation(() => MaterialRequestPayload, {
    description: "REQUESTED → APPROVED or REFUSED (with a reason), by the rep's manager or head office (FORBIDDEN for anyone else); CONFLICT when `version` is stale.",
  })
  async decideMaterialRequest(@Arg("input", () => DecideMaterialRequestInput) input: DecideMaterialRequestInput, @Ctx() ctx: AuthedContext) {
    return { materialRequest: await decideMaterialRequest(ctx, input) };
  }

  @Mutation(() => MaterialRequestPayload, { description: "APPROVED → SHIPPED, by the rep's manager or head office; CONFLICT when `version` is stale." })
  async markMaterialRequestShipped(@Arg("input", () => MarkMaterialRequestShippedInput) input: MarkMaterialRequestShippedInput, @Ctx() ctx: AuthedContext) {
    return { materialRequest: await markMaterialRequestShipped(ctx, input) };
  }

  @Mutation(() => MaterialRequestPayload, { description: "SHIPPED → DELIVERED; CONFLICT when `version` is stale." })
  async markMaterialRequestDelivered(@Arg("input", () => MarkMaterialRequestDeliveredInput) input: MarkMaterialRequestDeliveredInput, @Ctx() ctx: AuthedContext) {
    return { materialRequest: await markMaterialRequestDelivered(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() request: MaterialRequestRow): string {
    return toGlobalId("MaterialRequest", request.id);
  }

  @FieldResolver(() => [MaterialItem])
  items(@Root() request: MaterialRequestRow): MaterialItem[] {
    return itemsOf(request.items);
  }

  @FieldResolver(() => String, { nullable: true, deprecationReason: "Use decisionReason (the same text: why the request was approved or refused)." })
  statusNote(@Root() request: MaterialRequestRow): string | null {
    return request.decisionReason;
  }

  @FieldResolver(() => User, { nullable: true, description: "Who asked (for a partner token: the user who issued it)." })
  requestedBy(@Root() request: MaterialRequestRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, request.requestedById);
  }

  @FieldResolver(() => User, { nullable: true, description: "The rep the material is for (the visit's rep): their manager decides." })
  rep(@Root() request: MaterialRequestRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, request.repId);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who approved or refused it." })
  decidedBy(@Root() request: MaterialRequestRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, request.decidedById);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The customer it is for, when the viewer may see it." })
  organisation(@Root() request: MaterialRequestRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, request.organisationId);
  }
}
