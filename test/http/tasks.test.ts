// Tasks and action plans over HTTP: SPEC §4 workflow 2 to its end (the follow-up tasks of a report listed
// and completed), the lists' filters, order and pages, the versioned moves of a task, who may be given a
// task, and action plans with their progress. "Today" is 2026-11-15.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { addDeal, buildCustomer, day } from "../fixtures/visits.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);
const ids = new Map<string, string>();
const userId = (email: string) => toGlobalId("User", ids.get(email)!);
const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;

beforeAll(async () => {
  t = await startTestServer();
  for (const u of await t.database.prisma.user.findMany({ select: { id: true, email: true } })) ids.set(u.email, u.id);
});
afterAll(() => t?.close());

const TASK = `id kind title description dueDate status completedAt version isOverdue assignee { email } organisation { id } opportunity { id } visit { id } actionPlan { id } createdBy { email }`;

async function customer(name: string, email = "rep.lyon@demo.test") {
  const { organisation } = await buildCustomer(t.database.prisma, name, { charges: [[ids.get(email)!, day("2025-01-01")]], contacts: 1 });
  return { uuid: organisation.id, id: toGlobalId("Organisation", organisation.id) };
}

async function createTask(input: Record<string, unknown>, token: string) {
  const response = await gql(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { ${TASK} } } }`, { input }, token);
  expect(response.errors, JSON.stringify(input)).toBeUndefined();
  return response.data!.createTask.task as Data;
}

describe("workflow 2 to its end: the report's follow-up tasks are listed and completed", () => {
  it("plan → brief → prepare → report → list the follow-ups → complete one → the next brief shows what is left", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const organisation = await customer("Jardinerie Suivi");
    const plan = await gql(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { id version brief { tasks { id } } } } }`, {
      input: { organisationId: organisation.id, plannedAt: "2026-11-14T09:00:00Z" },
    }, rep);
    expect(plan.errors).toBeUndefined();
    const visit = plan.data!.planVisit.visit;
    expect(visit.brief.tasks).toEqual([]);

    const prepared = await gql(`mutation($input: PrepareVisitInput!) { prepareVisit(input: $input) { visit { version } tasks { ${TASK} } } }`, {
      input: { id: visit.id, version: 1, objectives: "Présenter la gamme", tasks: [{ kind: "PRESENTATION", title: "Présenter la gamme" }] },
    }, rep);
    expect(prepared.errors).toBeUndefined();
    const [presentation] = prepared.data!.prepareVisit.tasks;
    expect(presentation).toMatchObject({ kind: "PRESENTATION", status: "OPEN", assignee: { email: "rep.lyon@demo.test" }, organisation: { id: organisation.id }, visit: { id: visit.id } });

    const reported = await gql(`mutation($input: ReportVisitInput!) { reportVisit(input: $input) { followUpTasks { ${TASK} } } }`, {
      input: {
        id: visit.id,
        version: 2,
        followUpTasks: [
          { kind: "FOLLOW_UP", title: "Envoyer le devis", dueDate: "2026-11-20" },
          { kind: "CALL", title: "Rappeler l'acheteur", dueDate: "2026-11-13" },
        ],
      },
    }, rep);
    expect(reported.errors).toBeUndefined();
    const followUps = reported.data!.reportVisit.followUpTasks as Data[];
    expect(followUps.map((task) => [task.kind, task.status, task.isOverdue])).toEqual([["FOLLOW_UP", "OPEN", false], ["CALL", "OPEN", true]]);

    // The rep's own open tasks on the visit, soonest due first (no due date last).
    const listed = await gql(`query($f: TaskFilter) { tasks(filter: $f, first: 50) { totalCount edges { node { id title dueDate } } } }`, {
      f: { visit: visit.id, assignee: userId("rep.lyon@demo.test"), status: ["OPEN"] },
    }, rep);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.tasks.totalCount).toBe(3);
    expect(listed.data!.tasks.edges.map((e: Data) => e.node.title)).toEqual(["Rappeler l'acheteur", "Envoyer le devis", "Présenter la gamme"]);

    // Complete the follow-up (a stale version is a conflict and changes nothing).
    const call = followUps[1]!;
    const stale = await gql(`mutation($input: CompleteTaskInput!) { completeTask(input: $input) { task { id } } }`, { input: { id: call.id, version: 0 } }, rep);
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);
    const done = await gql(`mutation($input: CompleteTaskInput!) { completeTask(input: $input) { task { status version completedAt isOverdue } } }`, { input: { id: call.id, version: call.version } }, rep);
    expect(done.errors).toBeUndefined();
    expect(done.data!.completeTask.task).toEqual({ status: "DONE", version: call.version + 1, completedAt: t.clock.now.toISOString(), isOverdue: false });
    const open = await gql(`query($f: TaskFilter) { tasks(filter: $f) { totalCount } }`, { f: { visit: visit.id, status: ["OPEN"] } }, rep);
    expect(open.data!.tasks.totalCount).toBe(2);
    expect(await t.database.prisma.auditEvent.count({ where: { entity: "Task", entityId: uuidOf(call.id) } })).toBe(2);

    // The next visit's brief: the open tasks only, as Task objects (and, deprecated, as BriefTask).
    const next = await gql(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { brief { tasks { id kind status version } openTasks { id kind assignee } } } } }`, {
      input: { organisationId: organisation.id, plannedAt: "2026-12-01T09:00:00Z" },
    }, rep);
    expect(next.errors).toBeUndefined();
    const brief = next.data!.planVisit.visit.brief;
    expect(brief.tasks.map((task: Data) => task.id).sort()).toEqual([followUps[0]!.id, presentation.id].sort());
    expect(brief.tasks.every((task: Data) => task.status === "OPEN")).toBe(true);
    expect(brief.openTasks.map((task: Data) => task.id)).toEqual(brief.tasks.map((task: Data) => task.id));
    expect(brief.openTasks[0]).toMatchObject({ kind: "FOLLOW_UP", assignee: "Léo Lyon" });
  });

  it("the fields a client read on the visit payloads' tasks and material requests keep their names and values", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const organisation = await customer("Quincaillerie Compatible");
    const plan = await gql(`mutation($input: PlanVisitInput!) { planVisit(input: $input) { visit { id } } }`, { input: { organisationId: organisation.id, plannedAt: "2026-11-15T08:00:00Z" } }, rep);
    const visitId = plan.data!.planVisit.visit.id;
    // The selection a client wrote against the stand-in types (kind and status were strings then).
    const response = await gql(`mutation($input: ReportVisitInput!) { reportVisit(input: $input) {
      followUpTasks { id kind title description dueDate status completedAt version visit { id } }
      materialRequests { id status statusNote createdAt version items { item quantity } visit { id } } } }`, {
      input: { id: visitId, version: 1, followUpTasks: [{ kind: "DEMO", title: "Démonstration", dueDate: "2026-11-30" }], materialRequests: [{ items: [{ item: "Présentoir", quantity: 1 }] }] },
    }, rep);
    expect(response.errors).toBeUndefined();
    expect(response.data!.reportVisit.followUpTasks).toEqual([
      { id: expect.any(String), kind: "DEMO", title: "Démonstration", description: null, dueDate: "2026-11-30", status: "OPEN", completedAt: null, version: 1, visit: { id: visitId } },
    ]);
    expect(response.data!.reportVisit.materialRequests).toEqual([
      { id: expect.any(String), status: "REQUESTED", statusNote: null, createdAt: expect.any(String), version: 1, items: [{ item: "Présentoir", quantity: 1 }], visit: { id: visitId } },
    ]);
    const deprecated = await gql(`{ __type(name: "MaterialRequest") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`, {}, rep);
    expect(deprecated.data!.__type.fields.find((f: Data) => f.name === "statusNote")).toMatchObject({ isDeprecated: true, deprecationReason: expect.stringContaining("decisionReason") });
  });
});

describe("the tasks list", () => {
  it("filters by every criterion and pages in order, tasks without a due date last in both directions", async () => {
    const rep = await t.login("rep.marseille@demo.test");
    const organisation = await customer("Négoce Filtres", "rep.marseille@demo.test");
    const { opportunity } = await addDeal(t.database.prisma, organisation.uuid, ids.get("rep.marseille@demo.test")!, t.clock.now);
    const dealId = toGlobalId("Opportunity", opportunity.id);
    const dues = ["2026-11-20", null, "2026-11-10", "2026-12-01", null, "2026-11-20", "2026-11-25"];
    const created: Data[] = [];
    for (const [i, dueDate] of dues.entries()) {
      created.push(await createTask({ kind: i % 2 ? "CALL" : "EMAIL", title: `Tâche ${i}`, dueDate, ...(i < 2 ? { opportunityId: dealId } : { organisationId: organisation.id }) }, rep));
    }
    expect(created[0]).toMatchObject({ organisation: { id: organisation.id }, opportunity: { id: dealId }, createdBy: { email: "rep.marseille@demo.test" } });

    const page = `query($f: TaskFilter, $o: [TaskOrder!], $first: Int, $after: String) {
      tasks(filter: $f, orderBy: $o, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { title dueDate } } } }`;
    const titles = async (f: Data, o?: Data) => {
      const all: string[] = [];
      let after: string | null = null;
      for (;;) {
        const response: Data = await gql(page, { f, o, first: 2, after }, rep);
        expect(response.errors).toBeUndefined();
        all.push(...response.data.tasks.edges.map((e: Data) => e.node.title));
        if (!response.data.tasks.pageInfo.hasNextPage) return { titles: all, total: response.data.tasks.totalCount };
        after = response.data.tasks.pageInfo.endCursor;
      }
    };
    const mine = { organisation: organisation.id };
    const ascending = await titles(mine, { field: "DUE_DATE", direction: "ASC" });
    expect(ascending.total).toBe(7);
    expect(ascending.titles.slice(0, 5)).toEqual(["Tâche 2", ...[created[0]!, created[5]!].sort((a, b) => (uuidOf(a.id) < uuidOf(b.id) ? -1 : 1)).map((task) => task.title), "Tâche 6", "Tâche 3"]);
    expect(ascending.titles.slice(5).sort()).toEqual(["Tâche 1", "Tâche 4"]);
    const descending = await titles(mine, { field: "DUE_DATE", direction: "DESC" });
    expect(descending.titles.slice(0, 2)).toEqual(["Tâche 3", "Tâche 6"]);
    expect(descending.titles.slice(5).sort()).toEqual(["Tâche 1", "Tâche 4"]);
    expect((await titles(mine, { field: "CREATED_AT", direction: "ASC" })).titles).toEqual(dues.map((_, i) => `Tâche ${i}`));

    expect((await titles({ ...mine, kind: ["CALL"] })).titles.sort()).toEqual(["Tâche 1", "Tâche 3", "Tâche 5"]);
    expect((await titles({ ...mine, dueBefore: "2026-11-20" })).titles.sort()).toEqual(["Tâche 0", "Tâche 2", "Tâche 5"]);
    expect((await titles({ ...mine, dueAfter: "2026-11-21" })).titles.sort()).toEqual(["Tâche 3", "Tâche 6"]);
    expect((await titles({ ...mine, dueAfter: "2026-11-20", dueBefore: "2026-11-20" })).titles.sort()).toEqual(["Tâche 0", "Tâche 5"]);
    expect((await titles({ opportunity: dealId })).titles.sort()).toEqual(["Tâche 0", "Tâche 1"]);
    expect((await titles({ ...mine, assignee: userId("rep.lyon@demo.test") })).total).toBe(0);
    expect((await titles({ ...mine, status: ["DONE", "CANCELLED"] })).total).toBe(0);

    const tooMany = await gql(`{ tasks(first: 201) { totalCount } }`, {}, rep);
    expect(errorCodes(tooMany)).toEqual(["BAD_USER_INPUT"]);
    const wrongId = await gql(`query($f: TaskFilter) { tasks(filter: $f) { totalCount } }`, { f: { organisation: userId("rep.lyon@demo.test") } }, rep);
    expect(errorCodes(wrongId)).toEqual(["NOT_FOUND"]);
  });
});

describe("creating and changing a task", () => {
  it("hangs a task on what the viewer may see, and gives it only to whom the viewer may", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const manager = await t.login("manager.south@demo.test");
    const head = await t.login("head.office@demo.test");
    const organisation = await customer("Jardins Assignés");
    const elsewhere = await customer("Jardins Ailleurs", "rep.lille@demo.test");

    // A personal task: the viewer's own.
    expect(await createTask({ kind: "OTHER", title: "Préparer la tournée" }, rep)).toMatchObject({ organisation: null, assignee: { email: "rep.lyon@demo.test" } });
    // Out of scope: NOT_FOUND, like a missing organisation.
    const outside = await gql(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, { input: { kind: "CALL", title: "x", organisationId: elsewhere.id } }, rep);
    expect(errorCodes(outside)).toEqual(["NOT_FOUND"]);
    // A rep gives tasks to themselves only; a manager to their team; head office to any commercial user.
    const toOther = await gql(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, {
      input: { kind: "CALL", title: "x", organisationId: organisation.id, assigneeId: userId("rep.marseille@demo.test") },
    }, rep);
    expect(errorCodes(toOther)).toEqual(["BAD_USER_INPUT"]);
    expect(await createTask({ kind: "CALL", title: "Par la manager", organisationId: organisation.id, assigneeId: userId("rep.lyon@demo.test") }, manager)).toMatchObject({
      assignee: { email: "rep.lyon@demo.test" },
      createdBy: { email: "manager.south@demo.test" },
    });
    const otherTeam = await gql(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, {
      input: { kind: "CALL", title: "x", organisationId: organisation.id, assigneeId: userId("rep.lille@demo.test") },
    }, manager);
    expect(errorCodes(otherTeam)).toEqual(["BAD_USER_INPUT"]);
    const steward = await gql(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, { input: { kind: "CALL", title: "x", assigneeId: userId("data.steward@demo.test") } }, head);
    expect(errorCodes(steward)).toEqual(["BAD_USER_INPUT"]);
    const byHead = await createTask({ kind: "TRAINING", title: "Former l'équipe Lille", organisationId: elsewhere.id, assigneeId: userId("rep.lille@demo.test") }, head);
    expect(byHead).toMatchObject({ assignee: { email: "rep.lille@demo.test" } });
    // A rep to whom a task is given sees it, even on an organisation outside their portfolio (which stays hidden).
    const given = await createTask({ kind: "CALL", title: "Pour Lyon, chez Lille", organisationId: elsewhere.id, assigneeId: userId("rep.lyon@demo.test") }, head);
    const seen = await gql(`query($id: ID!) { task(id: $id) { title organisation { id } } }`, { id: given.id }, rep);
    expect(seen.data!.task).toEqual({ title: "Pour Lyon, chez Lille", organisation: null });

    // The deal's organisation must be the one named.
    const { opportunity } = await addDeal(t.database.prisma, organisation.uuid, ids.get("rep.lyon@demo.test")!, t.clock.now);
    const mismatch = await gql(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, {
      input: { kind: "CALL", title: "x", organisationId: elsewhere.id, opportunityId: toGlobalId("Opportunity", opportunity.id) },
    }, head);
    expect(errorCodes(mismatch)).toEqual(["BAD_USER_INPUT"]);
    const invalid = await gql(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, { input: { kind: "CALL", title: "  " } }, rep);
    expect(errorCodes(invalid)).toEqual(["BAD_USER_INPUT"]);
  });

  it("a task on a pending request moves to the organisation when the request is approved", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const request = await gql(`mutation { requestOrganisation(input: { kind: CREATE, fields: { name: "Prospect Tâche", city: "Lyon", postalCode: "69002" } }) { organisationRequest { id } } }`, {}, rep);
    const requestId = request.data!.requestOrganisation.organisationRequest.id;
    const task = await gql(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id organisation { id } request { id } } } }`, {
      input: { kind: "CALL", title: "Appeler le prospect", requestId },
    }, rep);
    expect(task.data!.createTask.task).toMatchObject({ organisation: null, request: { id: requestId } });
    const steward = await t.login("data.steward@demo.test");
    const approved = await gql(`mutation($input: ApproveOrganisationRequestInput!) { approveOrganisationRequest(input: $input) { organisationRequest { organisation { id } } } }`, {
      input: { id: requestId, version: 1 },
    }, steward);
    expect(approved.errors).toBeUndefined();
    // (read by head office: where the new organisation lands in territories is the referential's business)
    const moved = await gql(`query($id: ID!) { task(id: $id) { organisation { id } } }`, { id: task.data!.createTask.task.id }, await t.login("head.office@demo.test"));
    expect(moved.data!.task.organisation).toEqual({ id: approved.data!.approveOrganisationRequest.organisationRequest.organisation.id });
  });

  it("updates an open task with its version; completes, cancels and reopens it; refuses every other move", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const organisation = await customer("Bricolage Versions");
    const task = await createTask({ kind: "CALL", title: "Appeler", organisationId: organisation.id, description: "Avant midi", dueDate: "2026-11-18" }, rep);
    const update = `mutation($input: UpdateTaskInput!) { updateTask(input: $input) { task { kind title description dueDate version } } }`;
    const updated = await gql(update, { input: { id: task.id, version: 1, kind: "EMAIL", title: "Écrire", description: null } }, rep);
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateTask.task).toEqual({ kind: "EMAIL", title: "Écrire", description: null, dueDate: "2026-11-18", version: 2 });
    expect(errorCodes(await gql(update, { input: { id: task.id, version: 1, title: "Trop tard" } }, rep))).toEqual(["CONFLICT"]);
    expect(errorCodes(await gql(update, { input: { id: task.id, version: 2, title: null } }, rep))).toEqual(["BAD_USER_INPUT"]);

    const move = (name: string, version: number) =>
      gql(`mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { task { status version completedAt } } }`, { input: { id: task.id, version } }, rep);
    expect((await move("completeTask", 2)).data!.completeTask.task).toMatchObject({ status: "DONE", version: 3 });
    expect(errorCodes(await move("completeTask", 3))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await move("cancelTask", 3))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(update, { input: { id: task.id, version: 3, title: "Fermée" } }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect((await move("reopenTask", 3)).data!.reopenTask.task).toEqual({ status: "OPEN", version: 4, completedAt: null });
    expect(errorCodes(await move("reopenTask", 4))).toEqual(["BAD_USER_INPUT"]);
    expect((await move("cancelTask", 4)).data!.cancelTask.task).toEqual({ status: "CANCELLED", version: 5, completedAt: null });
    expect((await move("reopenTask", 5)).data!.reopenTask.task).toMatchObject({ status: "OPEN", version: 6 });
    const audit = await t.database.prisma.auditEvent.findMany({ where: { entity: "Task", entityId: uuidOf(task.id) }, orderBy: { at: "asc" } });
    expect(audit.map((event) => event.action)).toEqual(["create", "update", "complete", "reopen", "cancel", "reopen"]);
  });
});

describe("action plans", () => {
  it("carry their tasks; progress is done over the tasks not cancelled; a closed plan takes no new task", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const manager = await t.login("manager.south@demo.test");
    const organisation = await customer("Coopérative Plan");
    const PLAN = `id objective startDate endDate status version organisation { id } rep { email } createdBy { email } progress { done total ratio }
      tasks(first: 10) { totalCount edges { node { title status assignee { email } organisation { id } actionPlan { id } } } }`;
    const created = await gql(`mutation($input: CreateActionPlanInput!) { createActionPlan(input: $input) { actionPlan { ${PLAN} } } }`, {
      input: {
        objective: "Développer le rayon jardin",
        organisationId: organisation.id,
        startDate: "2026-11-01",
        endDate: "2027-03-31",
        tasks: [{ kind: "PRESENTATION", title: "Présenter la gamme", dueDate: "2026-11-20" }, { kind: "TRAINING", title: "Former l'équipe", dueDate: "2026-12-10" }],
      },
    }, manager);
    expect(created.errors).toBeUndefined();
    const plan = created.data!.createActionPlan.actionPlan;
    // The organisation's rep in charge carries it.
    expect(plan).toMatchObject({ status: "ACTIVE", version: 1, rep: { email: "rep.lyon@demo.test" }, createdBy: { email: "manager.south@demo.test" }, progress: { done: 0, total: 2, ratio: 0 } });
    expect(plan.tasks.edges.map((e: Data) => e.node)).toEqual([
      { title: "Présenter la gamme", status: "OPEN", assignee: { email: "rep.lyon@demo.test" }, organisation: { id: organisation.id }, actionPlan: { id: plan.id } },
      { title: "Former l'équipe", status: "OPEN", assignee: { email: "rep.lyon@demo.test" }, organisation: { id: organisation.id }, actionPlan: { id: plan.id } },
    ]);

    const planTasks = await gql(`query($f: TaskFilter) { tasks(filter: $f) { edges { node { id version } } } }`, { f: { actionPlan: plan.id } }, rep);
    const [first, second] = planTasks.data!.tasks.edges.map((e: Data) => e.node);
    await gql(`mutation($input: CompleteTaskInput!) { completeTask(input: $input) { task { id } } }`, { input: first }, rep);
    const progress = async () => (await gql(`query($id: ID!) { actionPlan(id: $id) { progress { done total ratio } } }`, { id: plan.id }, rep)).data!.actionPlan.progress;
    expect(await progress()).toEqual({ done: 1, total: 2, ratio: 0.5 });
    await gql(`mutation($input: CancelTaskInput!) { cancelTask(input: $input) { task { id } } }`, { input: second }, rep);
    expect(await progress()).toEqual({ done: 1, total: 1, ratio: 1 });
    await createTask({ kind: "PROJECT_REVIEW", title: "Faire le point", actionPlanId: plan.id }, rep);
    expect(await progress()).toEqual({ done: 1, total: 2, ratio: 0.5 });

    const update = `mutation($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { actionPlan { objective endDate version } } }`;
    const updated = await gql(update, { input: { id: plan.id, version: 1, objective: "Doubler le rayon jardin", endDate: "2027-06-30" } }, rep);
    expect(updated.data!.updateActionPlan.actionPlan).toEqual({ objective: "Doubler le rayon jardin", endDate: "2027-06-30", version: 2 });
    expect(errorCodes(await gql(update, { input: { id: plan.id, version: 1, objective: "x" } }, rep))).toEqual(["CONFLICT"]);
    expect(errorCodes(await gql(update, { input: { id: plan.id, version: 2, endDate: "2026-10-01" } }, rep))).toEqual(["BAD_USER_INPUT"]);

    const closed = await gql(`mutation($input: CloseActionPlanInput!) { closeActionPlan(input: $input) { actionPlan { status version } } }`, { input: { id: plan.id, version: 2 } }, rep);
    expect(closed.data!.closeActionPlan.actionPlan).toEqual({ status: "CLOSED", version: 3 });
    const late = await gql(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, { input: { kind: "CALL", title: "x", actionPlanId: plan.id } }, rep);
    expect(errorCodes(late)).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(`mutation($input: ReopenTaskInput!) { reopenTask(input: $input) { task { id } } }`, { input: { id: second.id, version: second.version + 1 } }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(update, { input: { id: plan.id, version: 3, objective: "x" } }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect((await t.database.prisma.auditEvent.findMany({ where: { entity: "ActionPlan", entityId: uuidOf(plan.id) } })).map((e) => e.action).sort()).toEqual(["close", "create", "update"]);

    const listed = await gql(`query($f: ActionPlanFilter) { actionPlans(filter: $f) { totalCount edges { node { id } } } }`, { f: { organisation: organisation.id, status: ["CLOSED"] } }, rep);
    expect(listed.data!.actionPlans).toEqual({ totalCount: 1, edges: [{ node: { id: plan.id } }] });
    expect((await gql(`query($f: ActionPlanFilter) { actionPlans(filter: $f) { totalCount } }`, { f: { organisation: organisation.id, status: ["ACTIVE"] } }, rep)).data!.actionPlans.totalCount).toBe(0);
  });

  it("a rep's own plan; the rep asked for must be one the viewer may give work to; lists filter and order", async () => {
    const rep = await t.login("rep.bordeaux@demo.test");
    const create = `mutation($input: CreateActionPlanInput!) { createActionPlan(input: $input) { actionPlan { id rep { email } organisation { id } endDate } } }`;
    const own = await gql(create, { input: { objective: "Conquérir trois prospects", endDate: "2027-01-31" } }, rep);
    expect(own.data!.createActionPlan.actionPlan).toMatchObject({ rep: { email: "rep.bordeaux@demo.test" }, organisation: null });
    const later = await gql(create, { input: { objective: "Fidéliser", endDate: "2027-05-31" } }, rep);
    await gql(create, { input: { objective: "Sans échéance" } }, rep);
    expect(errorCodes(await gql(create, { input: { objective: "x", repId: userId("rep.lyon@demo.test") } }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(create, { input: { objective: "  " } }, rep))).toEqual(["BAD_USER_INPUT"]);
    const forTeam = await gql(create, { input: { objective: "Couvrir Bordeaux", repId: userId("rep.bordeaux@demo.test") } }, await t.login("manager.south@demo.test"));
    expect(forTeam.data!.createActionPlan.actionPlan.rep).toEqual({ email: "rep.bordeaux@demo.test" });

    const byEnd = await gql(`query($f: ActionPlanFilter) { actionPlans(filter: $f, orderBy: { field: END_DATE, direction: ASC }) { totalCount edges { node { id endDate } } } }`, {
      f: { rep: userId("rep.bordeaux@demo.test") },
    }, rep);
    expect(byEnd.data!.actionPlans.totalCount).toBe(4);
    const nodes = byEnd.data!.actionPlans.edges.map((e: Data) => e.node);
    expect(nodes.slice(0, 2).map((n: Data) => n.id)).toEqual([own.data!.createActionPlan.actionPlan.id, later.data!.createActionPlan.actionPlan.id]);
    expect(nodes.slice(2).every((n: Data) => n.endDate === null)).toBe(true);
    // Another rep of the same team does not see them.
    const other = await gql(`query($f: ActionPlanFilter) { actionPlans(filter: $f) { totalCount } }`, { f: { rep: userId("rep.bordeaux@demo.test") } }, await t.login("rep.marseille@demo.test"));
    expect(other.data!.actionPlans.totalCount).toBe(0);
  });
});
