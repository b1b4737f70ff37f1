import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { connectionColumns } from "../../graphql/projection.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { loadUser } from "../users/user.service.js";
import { User } from "../users/user.type.js";
import { assignedRepId, getOrganisation, listOrganisations, loadOrganisation } from "./organisation.service.js";
import { Address, GeoPoint, Organisation, ORGANISATION_COLUMNS, OrganisationConnection, OrganisationFilter, OrganisationOrder, type OrganisationRow } from "./organisation.type.js";
import { ORDER_DOCS } from "../../graphql/sorting.js";

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => OrganisationConnection, { description: "Organisations the viewer may see in full (a rep: their portfolio)." })
  organisations(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => OrganisationFilter, { nullable: true }) filter: OrganisationFilter | null,
    @Arg("orderBy", () => [OrganisationOrder], { nullable: true, description: ORDER_DOCS.orderBy }) orderBy: OrganisationOrder[] | null,
    @Ctx() ctx: AuthedContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listOrganisations(ctx, filter, orderBy, page, connectionColumns(info, ORGANISATION_COLUMNS));
  }

  @Query(() => Organisation, { description: "One organisation; NOT_FOUND when it does not exist or is outside the viewer's scope." })
  organisation(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return getOrganisation(ctx, id);
  }

  @FieldResolver(() => ID)
  id(@Root() organisation: OrganisationRow): string {
    return toGlobalId("Organisation", organisation.id);
  }

  @FieldResolver(() => Address)
  address(@Root() o: OrganisationRow): Address {
    return { street: o.street, postalCode: o.postalCode, city: o.city, region: o.region, country: o.country };
  }

  @FieldResolver(() => GeoPoint, { nullable: true })
  geo(@Root() o: OrganisationRow): GeoPoint | null {
    return o.latitude != null && o.longitude != null ? { latitude: o.latitude, longitude: o.longitude } : null;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The managerial entity above (null when outside the viewer's scope)." })
  parent(@Root() o: OrganisationRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, o.parentId);
  }

  @FieldResolver(() => User, { nullable: true, description: "The rep in charge today." })
  async assignedRep(@Root() o: OrganisationRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, await assignedRepId(ctx, o.id));
  }
}
