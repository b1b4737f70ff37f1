import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordStatementText } from "../../src/db/statement-counter.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { graphql } from "../generated/gql.js";
import { startTestServer, type TestServer } from "../support/server.js";

// The number of SQL statements a request sends must not grow with the size of the lists it returns.
const PortfolioPage = graphql(`
  query PortfolioPage($first: Int!, $parentId: ID) {
    organisations(first: $first, filter: { parentId: $parentId }) {
      totalCount
      edges {
        node {
          id
          name
          parent { id name }
          assignedRep { email team { name } }
          contacts(first: 5) { totalCount edges { node { id lastName roles organisation { id } } } }
        }
      }
    }
  }
`);

const TaskPage = graphql(`
  query TaskPage($first: Int!, $organisation: ID!) {
    tasks(first: $first, filter: { organisation: $organisation }) {
      totalCount
      edges {
        node {
          id
          kind
          isOverdue
          assignee { email }
          createdBy { email }
          organisation { id name }
          opportunity { id name }
          visit { id status }
          request { id }
          actionPlan { id progress { done total } rep { email } tasks(first: 3) { totalCount } }
        }
      }
    }
  }
`);

const FieldSupportPage = graphql(`
  query FieldSupportPage($first: Int!, $organisation: ID!) {
    materialRequests(first: $first, filter: { organisation: $organisation }) {
      totalCount
      edges { node { id items { item } rep { email } requestedBy { email } decidedBy { email } organisation { id } visit { id } } }
    }
    actionPlans(first: $first, filter: { organisation: $organisation }) {
      totalCount
      edges { node { id progress { ratio } organisation { id } rep { email } tasks(first: 2) { totalCount edges { node { id } } } } }
    }
  }
`);

let t: TestServer;
let parentId: string;
let storeIds: string[];

/** A group with 120 stores, 3 contacts each, all under the same parent: every row takes every path. */
async function buildGroup(): Promise<string> {
  const db = t.database.prisma;
  const parent = await db.organisation.create({ data: { name: "Groupe Statements", searchName: "statements" } });
  const stores = Array.from({ length: 120 }, (_, i) => ({ id: randomUUID(), name: `Store ${String(i).padStart(3, "0")}`, parentId: parent.id }));
  await db.organisation.createMany({ data: stores });
  storeIds = stores.map((store) => store.id);
  await db.contact.createMany({
    data: stores.flatMap((store) => [1, 2, 3].map((n) => ({ organisationId: store.id, firstName: `F${n}`, lastName: `L${n}`, roles: ["BUYER" as const] }))),
  });
  return toGlobalId("Organisation", parent.id);
}

beforeAll(async () => {
  t = await startTestServer();
  recordStatementText(true);
  parentId = await buildGroup();
});
afterAll(async () => {
  recordStatementText(false);
  await t?.close();
});

/** An organisation in rep Lyon's charge with a deal, a visit, and `n` tasks, plans and material requests on them. */
async function buildFieldSupport(n: number): Promise<string> {
  const db = t.database.prisma;
  const lyon = await db.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } });
  const organisation = await db.organisation.create({ data: { name: "Statements Terrain", searchName: "statements terrain" } });
  await db.organisationAssignment.create({ data: { organisationId: organisation.id, repId: lyon.id, validFrom: new Date("2025-01-01") } });
  const stage = await db.pipelineStage.findFirstOrThrow({ where: { name: "Proposal" } });
  const opportunity = await db.opportunity.create({ data: { organisationId: organisation.id, ownerId: lyon.id, name: "Deal", stageId: stage.id, amount: "1000.00", probability: 50 } });
  const visit = await db.visit.create({ data: { organisationId: organisation.id, repId: lyon.id, plannedAt: new Date("2026-11-20T09:00:00Z") } });
  const plans = Array.from({ length: n }, () => ({ id: randomUUID(), objective: "Plan", organisationId: organisation.id, repId: lyon.id }));
  await db.actionPlan.createMany({ data: plans });
  await db.task.createMany({
    data: plans.map((plan, i) => ({
      kind: "CALL" as const,
      title: `Tâche ${i}`,
      dueDate: new Date(Date.UTC(2026, 10, 1 + (i % 28))),
      organisationId: organisation.id,
      opportunityId: opportunity.id,
      visitId: visit.id,
      actionPlanId: plan.id,
      assigneeId: lyon.id,
      createdById: lyon.id,
    })),
  });
  await db.materialRequest.createMany({
    data: plans.map(() => ({ organisationId: organisation.id, visitId: visit.id, repId: lyon.id, requestedById: lyon.id, items: [{ item: "PLV", quantity: 1 }] })),
  });
  return toGlobalId("Organisation", organisation.id);
}

describe("no N+1", () => {
  it("10 and 100 organisations with their contacts, parent and rep cost the same number of statements", async () => {
    const token = await t.login("head.office@demo.test");
    const small = await t.gql(PortfolioPage, { first: 10, parentId }, token);
    const large = await t.gql(PortfolioPage, { first: 100, parentId }, token);
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(small.data?.organisations.edges).toHaveLength(10);
    expect(large.data?.organisations.edges).toHaveLength(100);
    expect(large.data!.organisations.edges.every((e) => e.node.contacts.totalCount === 3 && e.node.parent)).toBe(true);
    expect(large.statements).toBe(small.statements);
    // authentication (user, team) + page + count + parents + assignments + reps + teams + contacts
    expect(large.statements).toBeLessThanOrEqual(9);
  });

  it("a rep's view is bounded the same way", async () => {
    const token = await t.login("rep.lyon@demo.test");
    const small = await t.gql(PortfolioPage, { first: 5 }, token);
    const large = await t.gql(PortfolioPage, { first: 50 }, token);
    // as above, + the contacts' organisations: the page reads only the columns it shows, so it cannot
    // stand in for whole organisation rows (src/graphql/projection.ts)
    expect(small.statements).toBeLessThanOrEqual(10);
    expect(large.data!.organisations.edges.length).toBeGreaterThan(20);
    expect(large.statements).toBe(small.statements);
  });

  it("5 and 50 tasks with their assignee, creator, organisation, deal, visit, request and plan cost the same statements", async () => {
    const organisation = await buildFieldSupport(60);
    const token = await t.login("rep.lyon@demo.test");
    const small = await t.gql(TaskPage, { first: 5, organisation }, token);
    const large = await t.gql(TaskPage, { first: 50, organisation }, token);
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(large.data!.tasks.totalCount).toBe(60);
    expect(large.data!.tasks.edges).toHaveLength(50);
    expect(large.data!.tasks.edges.every((e) => e.node.opportunity && e.node.visit && e.node.actionPlan?.progress.total === 1)).toBe(true);
    expect(large.statements).toBe(small.statements);
    // authentication + page + count + users + organisations + deals + visits + plans + progress + the plans' tasks
    expect(large.statements).toBeLessThanOrEqual(11);

    const support = async (first: number) => t.gql(FieldSupportPage, { first, organisation }, token);
    const few = await support(5);
    const many = await support(50);
    expect(many.errors).toBeUndefined();
    expect(many.data!.materialRequests.edges).toHaveLength(50);
    expect(many.data!.actionPlans.edges).toHaveLength(50);
    expect(many.statements).toBe(few.statements);
    expect(many.statements).toBeLessThanOrEqual(11);
  });
});

// Orders and incidents: the root lists with their relations, and each organisation's, in 2020 (a year the demo
// company has none of), two of each per store.
const OrdersAndIncidents = `query OrdersAndIncidents($first: Int!) {
  orders(first: $first, filter: { from: "2020-01-01", to: "2020-12-31" }) {
    totalCount totalAmount edges { node { id amount organisation { id name } creditedRep { email } } }
  }
  incidents(first: $first, filter: { openedFrom: "2020-01-01T00:00:00Z", openedBefore: "2021-01-01T00:00:00Z" }) {
    totalCount edges { node { id kind organisation { id name } } }
  }
}`;
const NestedOrdersAndIncidents = `query NestedOrdersAndIncidents($first: Int!, $parentId: ID) {
  organisations(first: $first, filter: { parentId: $parentId }) {
    edges { node { id
      orders(first: 5, filter: { from: "2020-01-01" }) { totalCount totalAmount edges { node { id creditedRep { email } } } }
      invoices(first: 5) { totalCount totalAmount }
      incidents(first: 5, filter: { status: [OPEN] }) { totalCount edges { node { id } } } } }
  }
}`;

describe("no N+1 on orders and incidents", () => {
  beforeAll(async () => {
    const db = t.database.prisma;
    const rep = (await db.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id;
    await db.order.createMany({
      data: storeIds.flatMap((organisationId, i) => [1, 2].map((n) => ({ externalId: `STMT-${i}-${n}`, organisationId, orderedAt: new Date(`2020-0${n}-1${n}T00:00:00Z`), amount: `${100 + i}.50`, repId: rep }))),
    });
    await db.incident.createMany({
      data: storeIds.flatMap((organisationId, i) => [1, 2].map((n) => ({ externalId: `STMT-INC-${i}-${n}`, organisationId, kind: "QUALITY" as const, openedAt: new Date(`2020-0${n}-0${n}T09:00:00Z`), summary: "s" }))),
    });
  });

  it("10 and 100 orders and incidents with their organisation and rep cost the same number of statements", async () => {
    const token = await t.login("head.office@demo.test");
    const small = await t.gql(OrdersAndIncidents, { first: 10 }, token);
    const large = await t.gql(OrdersAndIncidents, { first: 100 }, token);
    expect(small.errors).toBeUndefined();
    const data = large.data as { orders: { totalCount: number; edges: unknown[] }; incidents: { totalCount: number; edges: unknown[] } };
    expect(data.orders.edges).toHaveLength(100);
    expect(data.orders.totalCount).toBe(240);
    expect(data.incidents.edges).toHaveLength(100);
    expect(large.statements).toBe(small.statements);
  });

  it("10 and 100 organisations with their orders, invoices and incidents cost the same number of statements", async () => {
    const token = await t.login("head.office@demo.test");
    const small = await t.gql(NestedOrdersAndIncidents, { first: 10, parentId }, token);
    const large = await t.gql(NestedOrdersAndIncidents, { first: 100, parentId }, token);
    expect(small.errors).toBeUndefined();
    const edges = (large.data as { organisations: { edges: { node: { orders: { totalCount: number }; incidents: { totalCount: number } } }[] } }).organisations.edges;
    expect(edges).toHaveLength(100);
    expect(edges.every((e) => e.node.orders.totalCount === 2 && e.node.incidents.totalCount === 2)).toBe(true);
    expect(large.statements).toBe(small.statements);
  });
});
