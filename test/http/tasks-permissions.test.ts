// Who may call every task and action-plan root field and mutation (each role and token kind), and which tasks
// and plans they see on every path: tasks, task(id), actionPlans, actionPlan(id), node(id), Task.actionPlan,
// Task.opportunity, ActionPlan.tasks, Visit.tasks, VisitBrief.tasks. Out of scope answers NOT_FOUND (or is
// absent from lists); stewards and service tokens are refused; partners with visits:write work on the tasks
// of their restriction but never see action plans.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { addDeal, buildCustomer, day } from "../fixtures/visits.js";
import { expectGate, type GateCase } from "../support/gates.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
const MADE_UP = "00000000-0000-4000-8000-00000000beef";
let t: TestServer;
const tokens = new Map<string, string | undefined>();
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);

const COMMERCIAL = ["rep", "other rep", "manager", "other manager", "head office"];
const TASK_READERS = [...COMMERCIAL, "partner visits:write", "other partner visits:write"];
const PRINCIPALS = [...TASK_READERS, "anonymous", "data steward", "partner contacts:read", "partner opportunities:write", "service referential:read"];
/** who sees the fixture's task on the organisation (in rep Lyon's charge, team South) */
const IN_SCOPE = ["rep", "manager", "head office", "partner visits:write"];
const OUT_OF_SCOPE = ["other rep", "other manager", "other partner visits:write"];
const NEVER = ["data steward", "partner contacts:read", "partner opportunities:write", "service referential:read"];

const taskId = toGlobalId("Task", MADE_UP);
const planId = toGlobalId("ActionPlan", MADE_UP);
const organisationId = toGlobalId("Organisation", MADE_UP);

/** operation → [document, variables, principals allowed to call it] */
const OPERATIONS: Record<string, GateCase> = {
  tasks: [`{ tasks { totalCount } }`, {}, TASK_READERS],
  task: [`query($id: ID!) { task(id: $id) { id } }`, { id: taskId }, TASK_READERS],
  createTask: [`mutation($o: ID!) { createTask(input: { kind: CALL, title: "x", organisationId: $o }) { task { id } } }`, { o: organisationId }, TASK_READERS],
  updateTask: [`mutation($id: ID!) { updateTask(input: { id: $id, version: 1, title: "y" }) { task { id } } }`, { id: taskId }, TASK_READERS],
  completeTask: [`mutation($id: ID!) { completeTask(input: { id: $id, version: 1 }) { task { id } } }`, { id: taskId }, TASK_READERS],
  cancelTask: [`mutation($id: ID!) { cancelTask(input: { id: $id, version: 1 }) { task { id } } }`, { id: taskId }, TASK_READERS],
  reopenTask: [`mutation($id: ID!) { reopenTask(input: { id: $id, version: 1 }) { task { id } } }`, { id: taskId }, TASK_READERS],
  actionPlans: [`{ actionPlans { totalCount } }`, {}, COMMERCIAL],
  actionPlan: [`query($id: ID!) { actionPlan(id: $id) { id } }`, { id: planId }, COMMERCIAL],
  createActionPlan: [`mutation($o: ID!) { createActionPlan(input: { objective: "x", organisationId: $o }) { actionPlan { id } } }`, { o: organisationId }, COMMERCIAL],
  updateActionPlan: [`mutation($id: ID!) { updateActionPlan(input: { id: $id, version: 1, objective: "y" }) { actionPlan { id } } }`, { id: planId }, COMMERCIAL],
  closeActionPlan: [`mutation($id: ID!) { closeActionPlan(input: { id: $id, version: 1 }) { actionPlan { id } } }`, { id: planId }, COMMERCIAL],
};

async function issue(input: Record<string, unknown>): Promise<string> {
  const response = await gql(`mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`, { input }, await t.login("head.office@demo.test"));
  if (!response.data?.issueApiToken) throw new Error(JSON.stringify(response.errors));
  return response.data.issueApiToken.token;
}

const counts = () => Promise.all([t.database.prisma.task.count(), t.database.prisma.actionPlan.count(), t.database.prisma.auditEvent.count()]);

/** `workbench`: a second organisation of the partner's restriction, where the write tests create their tasks */
const fixture = { organisation: "", workbench: "", task: "", personal: "", plan: "", visit: "", visitTask: "", deal: "" };

beforeAll(async () => {
  t = await startTestServer();
  const db = t.database.prisma;
  const lyon = (await db.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id;
  const lille = (await db.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } })).id;
  const { organisation } = await buildCustomer(db, "Permissions Tâches", { charges: [[lyon, day("2025-01-01")]], contacts: 0 });
  const { organisation: elsewhere } = await buildCustomer(db, "Ailleurs Tâches", { charges: [[lille, day("2025-01-01")]], contacts: 0 });
  const { organisation: workbench } = await buildCustomer(db, "Atelier Tâches", { charges: [[lyon, day("2025-01-01")]], contacts: 0 });
  const { opportunity } = await addDeal(db, organisation.id, lyon, TODAY);
  const plan = await db.actionPlan.create({ data: { objective: "Développer", organisationId: organisation.id, repId: lyon } });
  const task = await db.task.create({ data: { kind: "CALL", title: "Sur l'organisation", organisationId: organisation.id, opportunityId: opportunity.id, actionPlanId: plan.id, assigneeId: lyon } });
  const personal = await db.task.create({ data: { kind: "OTHER", title: "Personnelle", assigneeId: lyon } });
  const visit = await db.visit.create({ data: { organisationId: organisation.id, repId: lyon, plannedAt: new Date("2026-11-20T09:00:00Z") } });
  const visitTask = await db.task.create({ data: { kind: "DEMO", title: "De la visite", organisationId: organisation.id, visitId: visit.id, assigneeId: lyon } });
  Object.assign(fixture, {
    organisation: toGlobalId("Organisation", organisation.id),
    workbench: toGlobalId("Organisation", workbench.id),
    task: toGlobalId("Task", task.id),
    personal: toGlobalId("Task", personal.id),
    plan: toGlobalId("ActionPlan", plan.id),
    visit: toGlobalId("Visit", visit.id),
    visitTask: toGlobalId("Task", visitTask.id),
    deal: toGlobalId("Opportunity", opportunity.id),
  });

  const expiresAt = new Date(TODAY.getTime() + 30 * 86_400_000).toISOString();
  const partner = (name: string, scopes: string[], organisationIds: string[]) => issue({ kind: "PARTNER", name, scopes, organisationIds, expiresAt });
  tokens.set("anonymous", undefined);
  tokens.set("rep", await t.login("rep.lyon@demo.test"));
  tokens.set("other rep", await t.login("rep.lille@demo.test"));
  tokens.set("manager", await t.login("manager.south@demo.test"));
  tokens.set("other manager", await t.login("manager.north@demo.test"));
  tokens.set("head office", await t.login("head.office@demo.test"));
  tokens.set("data steward", await t.login("data.steward@demo.test"));
  tokens.set("partner visits:write", await partner("p1", ["visits:write"], [fixture.organisation, fixture.workbench]));
  tokens.set("other partner visits:write", await partner("p2", ["visits:write"], [toGlobalId("Organisation", elsewhere.id)]));
  tokens.set("partner contacts:read", await partner("p3", ["contacts:read"], [fixture.organisation]));
  tokens.set("partner opportunities:write", await partner("p4", ["opportunities:write"], [fixture.organisation]));
  tokens.set("service referential:read", await issue({ kind: "SERVICE", name: "s", scopes: ["referential:read"] }));
});
afterAll(() => t?.close());

describe("task and action plan permissions", () => {
  it.each(Object.keys(OPERATIONS))("%s: allowed principals pass the gate, everyone else is refused, nothing is written", async (name) => {
    const before = await counts();
    await expectGate(t, name, OPERATIONS[name]!, PRINCIPALS, tokens);
    expect(await counts()).toEqual(before);
  });

  it("task(id) and node(id): found in scope; NOT_FOUND out of scope, like a missing one; node(id) NOT_FOUND for those who never see tasks", async () => {
    const direct = `query($id: ID!) { task(id: $id) { id title } }`;
    const node = `query($id: ID!) { node(id: $id) { id ... on Task { title } } }`;
    for (const principal of IN_SCOPE) {
      for (const query of [direct, node]) {
        const response = await gql(query, { id: fixture.task }, tokens.get(principal));
        expect(response.errors, principal).toBeUndefined();
      }
    }
    for (const principal of OUT_OF_SCOPE) {
      expect(errorCodes(await gql(direct, { id: fixture.task }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
      expect(errorCodes(await gql(node, { id: fixture.task }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
    }
    for (const principal of NEVER) expect(errorCodes(await gql(node, { id: fixture.task }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
    expect(errorCodes(await gql(node, { id: fixture.task }))).toEqual(["UNAUTHENTICATED"]);
    // A personal task: its assignee, their manager and head office only.
    for (const principal of ["rep", "manager", "head office"]) expect((await gql(direct, { id: fixture.personal }, tokens.get(principal))).errors, principal).toBeUndefined();
    for (const principal of [...OUT_OF_SCOPE, "partner visits:write"]) expect(errorCodes(await gql(direct, { id: fixture.personal }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
  });

  it("the tasks list holds the organisation's tasks only for those in scope, totalCount included", async () => {
    const query = `query($o: ID) { tasks(first: 200, filter: { organisation: $o }) { totalCount edges { node { id } } } }`;
    for (const principal of IN_SCOPE) {
      const response = await gql(query, { o: fixture.organisation }, tokens.get(principal));
      expect(response.data!.tasks.totalCount, principal).toBe(2);
      expect(response.data!.tasks.edges.map((e: Data) => e.node.id).sort(), principal).toEqual([fixture.task, fixture.visitTask].sort());
    }
    for (const principal of OUT_OF_SCOPE) {
      expect((await gql(query, { o: fixture.organisation }, tokens.get(principal))).data!.tasks, principal).toEqual({ totalCount: 0, edges: [] });
    }
    // the other partner's whole list holds nothing of this organisation
    const all = await gql(`{ tasks(first: 200) { edges { node { id } } } }`, {}, tokens.get("other partner visits:write"));
    expect(all.data!.tasks.edges.map((e: Data) => e.node.id)).not.toContain(fixture.task);
  });

  it("action plans: commercial users in scope; NOT_FOUND out of scope and through node(id) for partners", async () => {
    const direct = `query($id: ID!) { actionPlan(id: $id) { id progress { done total } tasks { totalCount } } }`;
    for (const principal of ["rep", "manager", "head office"]) {
      const response = await gql(direct, { id: fixture.plan }, tokens.get(principal));
      expect(response.data!.actionPlan, principal).toMatchObject({ progress: { done: 0, total: 1 }, tasks: { totalCount: 1 } });
    }
    for (const principal of ["other rep", "other manager"]) expect(errorCodes(await gql(direct, { id: fixture.plan }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
    for (const principal of ["partner visits:write", ...NEVER]) {
      expect(errorCodes(await gql(`query($id: ID!) { node(id: $id) { id } }`, { id: fixture.plan }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
    }
    const list = `query($o: ID) { actionPlans(filter: { organisation: $o }) { totalCount } }`;
    for (const principal of ["rep", "manager", "head office"]) expect((await gql(list, { o: fixture.organisation }, tokens.get(principal))).data!.actionPlans.totalCount, principal).toBe(1);
    for (const principal of ["other rep", "other manager"]) expect((await gql(list, { o: fixture.organisation }, tokens.get(principal))).data!.actionPlans.totalCount, principal).toBe(0);
  });

  it("nested paths: Task.actionPlan is closed to partners; Task.opportunity follows the deal's rules; Visit.tasks and the brief follow the task scope", async () => {
    const nested = `query($id: ID!) { task(id: $id) { organisation { id } opportunity { id } actionPlan { id } } }`;
    const rep = await gql(nested, { id: fixture.task }, tokens.get("rep"));
    expect(rep.data!.task).toEqual({ organisation: { id: fixture.organisation }, opportunity: { id: fixture.deal }, actionPlan: { id: fixture.plan } });
    const partner = await gql(nested, { id: fixture.task }, tokens.get("partner visits:write"));
    expect(errorCodes(partner)).toEqual(["FORBIDDEN"]);
    expect(partner.errors![0]!.path).toEqual(["task", "actionPlan"]);
    const withoutPlan = await gql(`query($id: ID!) { task(id: $id) { organisation { id } opportunity { id } } }`, { id: fixture.task }, tokens.get("partner visits:write"));
    // no opportunities scope: the deal reads as missing
    expect(withoutPlan.data!.task).toEqual({ organisation: { id: fixture.organisation }, opportunity: null });

    const visit = `query($id: ID!) { visit(id: $id) { tasks { id kind } brief { tasks { id } } } }`;
    for (const principal of IN_SCOPE) {
      const response = await gql(visit, { id: fixture.visit }, tokens.get(principal));
      expect(response.errors, principal).toBeUndefined();
      expect(response.data!.visit.tasks, principal).toEqual([{ id: fixture.visitTask, kind: "DEMO" }]);
      expect(response.data!.visit.brief.tasks.map((task: Data) => task.id).sort(), principal).toEqual([fixture.task, fixture.visitTask].sort());
    }
    const plan = await gql(`query($id: ID!) { actionPlan(id: $id) { tasks { edges { node { id } } } } }`, { id: fixture.plan }, tokens.get("manager"));
    expect(plan.data!.actionPlan.tasks.edges).toEqual([{ node: { id: fixture.task } }]);
  });

  it("writes: out of scope is NOT_FOUND and writes nothing; a partner works on its restriction's tasks without giving them to anyone", async () => {
    const complete = `mutation($id: ID!) { completeTask(input: { id: $id, version: 1 }) { task { id } } }`;
    const create = `mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id assignee { email } createdBy { email } } } }`;
    for (const principal of OUT_OF_SCOPE) {
      const before = await counts();
      expect(errorCodes(await gql(complete, { id: fixture.task }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
      expect(errorCodes(await gql(create, { input: { kind: "CALL", title: "x", organisationId: fixture.workbench } }, tokens.get(principal))), principal).toEqual(["NOT_FOUND"]);
      expect(await counts()).toEqual(before);
    }
    const partner = tokens.get("partner visits:write");
    const made = await gql(create, { input: { kind: "CALL", title: "Par le partenaire", organisationId: fixture.workbench } }, partner);
    expect(made.data!.createTask.task).toMatchObject({ assignee: null, createdBy: null });
    expect(errorCodes(await gql(create, { input: { kind: "CALL", title: "x" } }, partner))).toEqual(["BAD_USER_INPUT"]);
    const rep = await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } });
    expect(errorCodes(await gql(create, { input: { kind: "CALL", title: "x", organisationId: fixture.workbench, assigneeId: toGlobalId("User", rep.id) } }, partner))).toEqual(["BAD_USER_INPUT"]);
    const done = await gql(complete, { id: made.data!.createTask.task.id }, partner);
    expect(done.errors).toBeUndefined();
    // the audit trail names the token
    const audit = await t.database.prisma.auditEvent.findFirstOrThrow({ where: { entity: "Task", action: "complete", entityId: Buffer.from(made.data!.createTask.task.id, "base64url").toString().split(":")[1] } });
    expect(audit.tokenJti).not.toBeNull();
    // A partner cannot hang a task on an action plan it cannot see.
    expect(errorCodes(await gql(create, { input: { kind: "CALL", title: "x", actionPlanId: fixture.plan } }, partner))).toEqual(["NOT_FOUND"]);
  });
});
