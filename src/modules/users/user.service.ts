import { isUserViewer } from "../../auth/viewer.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { forbidden, notFound } from "../../errors/api-errors.js";
import type { Prisma } from "../../db/generated/client.js";
import { expectGlobalId, lazyConnection, pageWindow, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { membersByTeam, teamById, USER_FIELDS, userById } from "./user.loaders.js";
import type { TeamRow, UserFilter, UserSummary } from "./user.type.js";

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

/** Head office's directory of people, by name. */
export function listUsers(ctx: AuthedContext, filter: UserFilter | null | undefined, pageArgs: PageArgs): Connection<UserSummary> {
  const page = readPage(pageArgs);
  const and: Prisma.UserWhereInput[] = [];
  const active = filter && "active" in filter ? filter.active : true;
  if (active != null) and.push({ active });
  if (filter?.roles?.length) and.push({ role: { in: filter.roles } });
  if (filter?.teamId) and.push({ teamId: expectGlobalId(filter.teamId, "Team") });
  const text = filter?.text?.trim();
  if (text) and.push({ OR: [{ name: { contains: text, mode: "insensitive" } }, { email: { contains: text, mode: "insensitive" } }] });
  const where = { AND: and };
  return lazyConnection(
    () => ctx.db.user.findMany({ where, select: USER_FIELDS, orderBy: [{ name: "asc" }, { id: "asc" }], ...pageWindow(page) }),
    page,
    () => ctx.db.user.count({ where }),
  );
}

export const listTeams = (ctx: AuthedContext): Promise<TeamRow[]> => ctx.db.team.findMany({ orderBy: { name: "asc" } });
