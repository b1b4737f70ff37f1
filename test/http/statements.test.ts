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

let t: TestServer;
let parentId: string;

/** A group with 120 stores, 3 contacts each, all under the same parent: every row takes every path. */
async function buildGroup(): Promise<string> {
  const db = t.database.prisma;
  const parent = await db.organisation.create({ data: { name: "Groupe Statements", searchName: "statements" } });
  const stores = Array.from({ length: 120 }, (_, i) => ({ id: randomUUID(), name: `Store ${String(i).padStart(3, "0")}`, parentId: parent.id }));
  await db.organisation.createMany({ data: stores });
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
});
