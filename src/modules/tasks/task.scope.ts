// Which tasks and action plans a viewer sees: those on organisations of their scope, those assigned to
// them (or their team), those on their own pending requests; partners with visits:write the ones on their
// restriction and the ones their token created. Data stewards and service tokens see none.
import { organisationScope } from "../../auth/row-scope.js";
import { hasScope, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import { requestScope } from "../organisation-requests/organisation-request.scope.js";

const NO_TASK: Prisma.TaskWhereInput = { id: { in: [] } };
const NO_PLAN: Prisma.ActionPlanWhereInput = { id: { in: [] } };

/** Who may create and complete tasks and action plans: the commercial roles, partners with visits:write. */
export function mayWriteTasks(viewer: Viewer): boolean {
  return viewer.kind === "REP" || viewer.kind === "MANAGER" || viewer.kind === "HEAD_OFFICE" || (viewer.kind === "PARTNER" && hasScope(viewer, "visits:write"));
}

/** The users whose own tasks the viewer sees (null: everyone's). */
function assigneesOf(viewer: Viewer): string[] | null {
  if (viewer.kind === "HEAD_OFFICE") return null;
  if (viewer.kind === "MANAGER") return [viewer.userId, ...viewer.teamRepIds];
  if (viewer.kind === "REP") return [viewer.userId];
  return [];
}

export function taskScope(viewer: Viewer, day: Date): Prisma.TaskWhereInput {
  if (!mayWriteTasks(viewer)) return NO_TASK;
  const assignees = assigneesOf(viewer);
  if (assignees === null) return {};
  const paths: Prisma.TaskWhereInput[] = [
    { organisationId: { not: null }, organisation: organisationScope(viewer, day) },
    { requestId: { not: null }, request: requestScope(viewer) },
  ];
  if (assignees.length) paths.push({ assigneeId: { in: assignees } });
  if (viewer.kind === "PARTNER") paths.push({ tokenJti: viewer.jti });
  return { OR: paths };
}

export function actionPlanScope(viewer: Viewer, day: Date): Prisma.ActionPlanWhereInput {
  if (!mayWriteTasks(viewer)) return NO_PLAN;
  const reps = assigneesOf(viewer);
  if (reps === null) return {};
  const paths: Prisma.ActionPlanWhereInput[] = [{ organisationId: { not: null }, organisation: organisationScope(viewer, day) }];
  if (reps.length) paths.push({ repId: { in: reps } });
  return { OR: paths };
}
