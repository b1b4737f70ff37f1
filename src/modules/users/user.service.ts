import { isUserViewer } from "../../auth/viewer.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { forbidden, notFound } from "../../graphql/errors.js";
import { expectGlobalId } from "../../graphql/relay.js";
import { membersByTeam, teamById, userById } from "./user.loaders.js";
import type { TeamRow, UserSummary } from "./user.type.js";

export async function currentUser(ctx: AuthedContext): Promise<UserSummary> {
  if (!isUserViewer(ctx.viewer)) throw forbidden("API tokens have no user profile");
  const user = await ctx.loaders.get(userById).load(ctx.viewer.userId);
  if (!user) throw notFound("User");
  return user;
}

/** People are fetched by id by users only: API tokens see a person only where a field they may read shows one. */
export async function getUser(ctx: AuthedContext, globalId: string): Promise<UserSummary> {
  const id = expectGlobalId(globalId, "User");
  const user = isUserViewer(ctx.viewer) ? await ctx.loaders.get(userById).load(id) : null;
  if (!user) throw notFound("User");
  return user;
}

export async function getTeam(ctx: AuthedContext, globalId: string): Promise<TeamRow> {
  const id = expectGlobalId(globalId, "Team");
  const team = isUserViewer(ctx.viewer) ? await ctx.loaders.get(teamById).load(id) : null;
  if (!team) throw notFound("Team");
  return team;
}

export const loadUser = (ctx: RequestContext, id: string | null) => (id ? ctx.loaders.get(userById).load(id) : null);
export const loadTeam = (ctx: RequestContext, id: string | null) => (id ? ctx.loaders.get(teamById).load(id) : null);
export const loadTeamMembers = (ctx: RequestContext, teamId: string) => ctx.loaders.get(membersByTeam).load(teamId);
