import { Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { loadTeam } from "../users/user.service.js";
import { Team } from "../users/user.type.js";
import { listTerritories } from "./territory.service.js";
import { Territory, TerritoryConnection, type TerritoryRow } from "./territory.type.js";

@Resolver(() => Territory)
export class TerritoryResolver {
  @Query(() => TerritoryConnection, { description: "Territories the viewer may read." })
  territories(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return listTerritories(ctx, page);
  }

  @FieldResolver(() => ID)
  id(@Root() territory: TerritoryRow): string {
    return toGlobalId("Territory", territory.id);
  }

  @FieldResolver(() => Team, { nullable: true })
  team(@Root() territory: TerritoryRow, @Ctx() ctx: AuthedContext) {
    return loadTeam(ctx, territory.teamId);
  }
}
