import DataLoader from "dataloader";
import { groupByKey, indexByKey, type RequestContext } from "../../graphql/context.js";
import type { TeamRow, UserSummary } from "./user.type.js";

export const USER_FIELDS = { id: true, email: true, name: true, role: true, teamId: true, active: true, version: true, createdAt: true } as const;

/** People are not row-scoped: a colleague's name and role are visible to anyone who sees their work. */
export const userById = (ctx: RequestContext) =>
  new DataLoader<string, UserSummary | null, string>(async (ids) => {
    const rows = await ctx.db.user.findMany({ where: { id: { in: [...ids] } }, select: USER_FIELDS });
    return indexByKey(ids, rows, (row) => row.id);
  });

export const teamById = (ctx: RequestContext) =>
  new DataLoader<string, TeamRow | null, string>(async (ids) => {
    const rows = await ctx.db.team.findMany({ where: { id: { in: [...ids] } } });
    return indexByKey(ids, rows, (row) => row.id);
  });

export const membersByTeam = (ctx: RequestContext) =>
  new DataLoader<string, UserSummary[], string>(async (teamIds) => {
    const rows = await ctx.db.user.findMany({ where: { teamId: { in: [...teamIds] } }, select: USER_FIELDS, orderBy: { name: "asc" } });
    return groupByKey(teamIds, rows, (row) => row.teamId ?? "");
  });
