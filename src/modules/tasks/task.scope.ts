// Which tasks and action plans a viewer sees.
// A task follows what it hangs on: its organisation (a deal's, a visit's or a plan's tasks carry that
// organisation), else the pending request it was logged against. Whatever it hangs on, it is also seen by
// its assignee, the people who see the assignee's work (their manager) and head office; a personal task
// (hanging on nothing) is seen only that way. Partners with visits:write (tasks are field work: a visit's
// preparation and report create them) see the tasks of the organisations inside their restriction and of
// the requests their token filed. Action plans are portfolio steering for the commercial roles only.
// Data stewards and service tokens see neither.
import { organisationScope, visibleRepIds } from "../../auth/row-scope.js";
import { isUserViewer, seesFieldWork, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import { requestScope } from "../organisation-requests/organisation-request.scope.js";

const NO_TASK: Prisma.TaskWhereInput = { id: { in: [] } };
const NO_PLAN: Prisma.ActionPlanWhereInput = { id: { in: [] } };

/** Who reads and writes tasks: the commercial roles, and partners granted visits:write. */
export const maySeeTasks = (viewer: Viewer): boolean => seesFieldWork(viewer, "visits:write");

/** Who reads and writes action plans: the commercial roles. */
export const maySeeActionPlans = (viewer: Viewer): boolean => viewer.kind === "REP" || viewer.kind === "MANAGER" || viewer.kind === "HEAD_OFFICE";

/** The people whose own tasks and plans the viewer sees: themselves and those whose work they see. */
function peopleOf(viewer: Viewer): readonly string[] | "all" {
  const reps = visibleRepIds(viewer);
  if (reps === "all" || !isUserViewer(viewer)) return reps;
  return [...new Set([viewer.userId, ...reps])];
}

export function taskScope(viewer: Viewer, day: Date): Prisma.TaskWhereInput {
  if (!maySeeTasks(viewer)) return NO_TASK;
  const people = peopleOf(viewer);
  if (people === "all") return {};
  const paths: Prisma.TaskWhereInput[] = [
    { organisationId: { not: null }, organisation: organisationScope(viewer, day) },
    { organisationId: null, requestId: { not: null }, request: requestScope(viewer) },
  ];
  if (people.length) paths.push({ assigneeId: { in: [...people] } });
  return { OR: paths };
}

export function actionPlanScope(viewer: Viewer, day: Date): Prisma.ActionPlanWhereInput {
  if (!maySeeActionPlans(viewer)) return NO_PLAN;
  const people = peopleOf(viewer);
  if (people === "all") return {};
  return { OR: [{ organisationId: { not: null }, organisation: organisationScope(viewer, day) }, { repId: { in: [...people] } }] };
}
