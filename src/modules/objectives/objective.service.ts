// Objectives: head office sets any rep's or team's; a manager their team's and its reps'; reps read their own
// and their team's. Never partners, services or data stewards (no commercial figures).
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput, forbidden, notFound } from "../../errors/api-errors.js";
import { type Connection, expectGlobalId, lazyConnection, type PageArgs, pageWindow, readPage } from "../../graphql/relay.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import type { ObjectiveFilter, ObjectiveRow, SetObjectiveInput } from "./objective.type.js";

const NOTHING = { id: { in: [] as string[] } };
const COUNT_METRICS = new Set(["ORDER_COUNT", "VISIT_COUNT", "NEW_PROSPECTS", "QUALIFIED_LEADS"]);

function objectiveScope(ctx: AuthedContext): Prisma.ObjectiveWhereInput {
  const viewer = ctx.viewer;
  switch (viewer.kind) {
    case "HEAD_OFFICE":
      return {};
    case "MANAGER":
      return { OR: [{ userId: { in: [viewer.userId, ...viewer.teamRepIds] } }, ...(viewer.teamId ? [{ teamId: viewer.teamId }] : [])] };
    case "REP":
      return { OR: [{ userId: viewer.userId }, ...(viewer.teamId ? [{ teamId: viewer.teamId }] : [])] };
    default:
      return NOTHING;
  }
}

export function listObjectives(ctx: AuthedContext, filter: ObjectiveFilter | null | undefined, pageArgs: PageArgs): Connection<ObjectiveRow> {
  const page = readPage(pageArgs);
  const and: Prisma.ObjectiveWhereInput[] = [objectiveScope(ctx)];
  if (filter?.userId) and.push({ userId: expectGlobalId(filter.userId, "User") });
  if (filter?.teamId) and.push({ teamId: expectGlobalId(filter.teamId, "Team") });
  if (filter?.metric?.length) and.push({ metric: { in: filter.metric } });
  if (filter?.from) and.push({ periodEnd: { gt: filter.from } });
  if (filter?.to) and.push({ periodStart: { lt: filter.to } });
  if (filter?.updatedAfter) and.push({ updatedAt: { gt: filter.updatedAfter } });
  const where = { AND: and };
  return lazyConnection(
    () =>
      ctx.db.objective.findMany({
        where,
        orderBy: [{ periodStart: "asc" }, { metric: "asc" }, { id: "asc" }],
        ...pageWindow(page),
      }),
    page,
    () => ctx.db.objective.count({ where }),
  );
}

export async function getObjective(ctx: AuthedContext, globalId: string): Promise<ObjectiveRow> {
  const objective = await ctx.db.objective.findFirst({ where: { id: expectGlobalId(globalId, "Objective"), ...objectiveScope(ctx) } });
  if (!objective) throw notFound("Objective");
  return objective;
}

export async function setObjective(ctx: AuthedContext, input: SetObjectiveInput): Promise<ObjectiveRow> {
  const viewer = ctx.viewer;
  if ((input.userId ? 1 : 0) + (input.teamId ? 1 : 0) !== 1) throw badInput("Give either userId or teamId", { fields: [{ field: "userId" }, { field: "teamId" }] });
  if (input.periodEnd.getTime() <= input.periodStart.getTime()) throw badInput("periodEnd must be after periodStart", { fields: [{ field: "periodEnd" }] });
  if (input.target.isNegative()) throw badInput("target must not be negative", { fields: [{ field: "target" }] });
  if (COUNT_METRICS.has(input.metric) && !input.target.isInteger()) throw badInput("a count target is a whole number", { fields: [{ field: "target" }] });
  const userId = input.userId ? expectGlobalId(input.userId, "User") : null;
  const teamId = input.teamId ? expectGlobalId(input.teamId, "Team") : null;
  return ctx.db.$transaction(async (tx) => {
    if (userId) {
      const user = await tx.user.findFirst({ where: { id: userId, role: { in: ["REP", "MANAGER"] } }, select: { id: true } });
      if (!user) throw notFound("User");
      if (!ctx.scope.mayManage(userId)) throw forbidden("Managers set objectives for their own team's reps");
    }
    if (teamId) {
      if (!(await tx.team.count({ where: { id: teamId } }))) throw notFound("Team");
      if (!ctx.scope.maySeeTeam(teamId)) throw forbidden("Managers set objectives for their own team");
    }
    const key = { userId, teamId, metric: input.metric, periodStart: input.periodStart, periodEnd: input.periodEnd };
    const existing = await tx.objective.findFirst({ where: key });
    if (existing) {
      return applyVersionedChange(tx, viewer, {
        entity: "Objective",
        action: "update",
        version: input.version ?? null,
        find: async () => existing,
        table: (db) => db.objective,
        change: () => ({ target: input.target }),
      });
    }
    const created = await tx.objective.create({ data: { ...key, target: input.target } });
    await recordAudit(tx, viewer, { entity: "Objective", entityId: created.id, action: "create", after: created });
    return created;
  });
}
