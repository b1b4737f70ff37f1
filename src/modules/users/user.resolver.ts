import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { AuditEvent, type AuditEventRow } from "../audit/audit.type.js";
import { changePassword, createUser, deactivateUser, reactivateUser, setTeamManager, updateUser } from "./user.admin.js";
import { currentUser, getUser, listTeams, listUsers, loadTeam, loadTeamMembers, loadUser } from "./user.service.js";
import {
  ChangePasswordInput,
  CreateUserInput,
  SetTeamManagerInput,
  Team,
  TeamPayload,
  UpdateUserInput,
  User,
  UserConnection,
  UserFilter,
  UserPayload,
  UserVersionInput,
  type TeamRow,
  type UserSummary,
} from "./user.type.js";

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: "The logged-in user." })
  me(@Ctx() ctx: AuthedContext): Promise<UserSummary> {
    return currentUser(ctx);
  }

  @Query(() => UserConnection, { description: "Head office: the people who log in, by name (active ones unless the filter says otherwise)." })
  users(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listUsers(ctx, filter, page);
  }

  @Query(() => User, { description: "Head office: one user, active or not. NOT_FOUND when missing." })
  user(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext): Promise<UserSummary> {
    return getUser(ctx, id);
  }

  @Query(() => [Team], { description: "Head office: the sales teams, by name." })
  teams(@Ctx() ctx: AuthedContext): Promise<TeamRow[]> {
    return listTeams(ctx);
  }

  @Mutation(() => UserPayload, { description: "Head office: a new user with an initial password." })
  async createUser(@Arg("input", () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: AuthedContext) {
    return { user: await createUser(ctx, input) };
  }

  @Mutation(() => UserPayload, { description: "Head office: name, email, role or team; CONFLICT when `version` is stale." })
  async updateUser(@Arg("input", () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: AuthedContext) {
    return { user: await updateUser(ctx, input) };
  }

  @Mutation(() => UserPayload, { description: "Head office: the user can no longer log in and their tokens are refused at once; their history stays." })
  async deactivateUser(@Arg("input", () => UserVersionInput) input: UserVersionInput, @Ctx() ctx: AuthedContext) {
    return { user: await deactivateUser(ctx, input) };
  }

  @Mutation(() => UserPayload, { description: "Head office: a deactivated user may log in again." })
  async reactivateUser(@Arg("input", () => UserVersionInput) input: UserVersionInput, @Ctx() ctx: AuthedContext) {
    return { user: await reactivateUser(ctx, input) };
  }

  @Mutation(() => TeamPayload, { description: "Head office: who manages a team (the manager of its members)." })
  async setTeamManager(@Arg("input", () => SetTeamManagerInput) input: SetTeamManagerInput, @Ctx() ctx: AuthedContext) {
    return { team: await setTeamManager(ctx, input) };
  }

  @Mutation(() => UserPayload, { description: "The logged-in user's own password; the current one is required. Every session of the user ends (this token too): log in again with the new password." })
  async changePassword(@Arg("input", () => ChangePasswordInput) input: ChangePasswordInput, @Ctx() ctx: AuthedContext) {
    return { user: await changePassword(ctx, input) };
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

/** The users module owns who wrote an audit event, so it adds AuditEvent.actor. */
@Resolver(() => AuditEvent)
export class AuditEventActorResolver {
  @FieldResolver(() => User, { nullable: true, description: "The user who wrote (for a token: who issued it)." })
  actor(@Root() event: AuditEventRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, event.actorId);
  }
}
