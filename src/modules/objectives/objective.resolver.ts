import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { Team, User } from "../users/user.type.js";
import { loadTeam, loadUser } from "../users/user.service.js";
import { listObjectives, setObjective } from "./objective.service.js";
import { Objective, ObjectiveConnection, ObjectiveFilter, ObjectivePayload, SetObjectiveInput, type ObjectiveRow } from "./objective.type.js";

@Resolver(() => Objective)
export class ObjectiveResolver {
  @Query(() => ObjectiveConnection, { description: "Objectives of the reps and teams the viewer may see." })
  objectives(@Args(() => PageArgs) page: PageArgs, @Arg("filter", () => ObjectiveFilter, { nullable: true }) filter: ObjectiveFilter | null, @Ctx() ctx: AuthedContext) {
    return listObjectives(ctx, filter, page);
  }

  @Mutation(() => ObjectivePayload)
  async setObjective(@Arg("input", () => SetObjectiveInput) input: SetObjectiveInput, @Ctx() ctx: AuthedContext) {
    return { objective: await setObjective(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() objective: ObjectiveRow): string {
    return toGlobalId("Objective", objective.id);
  }

  @FieldResolver(() => User, { nullable: true })
  user(@Root() objective: ObjectiveRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, objective.userId);
  }

  @FieldResolver(() => Team, { nullable: true })
  team(@Root() objective: ObjectiveRow, @Ctx() ctx: AuthedContext) {
    return loadTeam(ctx, objective.teamId);
  }
}
