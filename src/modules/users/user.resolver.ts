import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { ID } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/relay.js";
import { currentUser, loadTeam, loadTeamMembers, loadUser } from "./user.service.js";
import { Team, User, type TeamRow, type UserSummary } from "./user.type.js";

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: "The logged-in user." })
  me(@Ctx() ctx: AuthedContext): Promise<UserSummary> {
    return currentUser(ctx);
  }

  @FieldResolver(() => ID)
  id(@Root() user: UserSummary): string {
    return toGlobalId("User", user.id);
  }

  @FieldResolver(() => Team, { nullable: true })
  team(@Root() user: UserSummary, @Ctx() ctx: AuthedContext) {
    return loadTeam(ctx, user.teamId);
  }
}

@Resolver(() => Team)
export class TeamResolver {
  @FieldResolver(() => ID)
  id(@Root() team: TeamRow): string {
    return toGlobalId("Team", team.id);
  }

  @FieldResolver(() => User, { nullable: true })
  manager(@Root() team: TeamRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, team.managerId);
  }

  @FieldResolver(() => [User])
  members(@Root() team: TeamRow, @Ctx() ctx: AuthedContext) {
    return loadTeamMembers(ctx, team.id);
  }
}
