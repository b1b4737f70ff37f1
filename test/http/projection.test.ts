// Lists and nested relations read only the columns the operation asks for (src/graphql/projection.ts). Each entry of a column
// map must name every column its field reads: for every mapped field, asked alone on a list (the fewest
// columns), the answer must equal the one node(id) gives from the whole row.
import { getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLNamedType, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTypeSchema } from "../../src/app/schema.js";
import { CONTACT_COLUMNS } from "../../src/modules/contacts/contact.type.js";
import { ORGANISATION_COLUMNS } from "../../src/modules/organisations/organisation.type.js";
import { OPPORTUNITY_COLUMNS } from "../../src/modules/pipeline/opportunity.type.js";
import { startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;

let t: TestServer;
let schema: GraphQLSchema;
let token: string;

beforeAll(async () => {
  t = await startTestServer();
  schema = await buildTypeSchema();
  token = await t.login("head.office@demo.test");
});
afterAll(() => t?.close());

/** The smallest selection of a field's value: itself for a leaf, else its first leaf (or totalCount). */
function smallest(type: GraphQLNamedType): string {
  if (isLeafType(type)) return "";
  if (!isObjectType(type)) throw new Error(`${type.name}: not an object type`);
  const fields = type.getFields();
  if (fields.totalCount) return "{ totalCount }";
  if (fields.pageInfo) return "{ pageInfo { hasNextPage } }";
  const leaf = Object.values(fields).find((field) => isLeafType(getNamedType(field.type)) && !field.args.length);
  if (!leaf) throw new Error(`${type.name}: no leaf field`);
  return `{ ${leaf.name} }`;
}

function fieldSelection(typeName: string, field: string): string {
  const type = schema.getType(typeName);
  const definition = isObjectType(type) ? type.getFields()[field] : undefined;
  if (!definition) throw new Error(`${typeName}.${field} is in the column map but not in the schema`);
  // a required text argument (customField(key:)) gets a value: the field still reads its columns
  const required = definition.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const unsupported = required.filter((arg) => getNamedType(arg.type).name !== "String");
  if (unsupported.length) throw new Error(`${typeName}.${field}: give a value for ${unsupported.map((arg) => arg.name).join(", ")}`);
  const args = required.length ? `(${required.map((arg) => `${arg.name}: "a"`).join(", ")})` : "";
  return `${field}${args} ${smallest(getNamedType(definition.type))}`;
}

async function ask(query: string): Promise<Data> {
  const response = await t.gql<Data, Record<string, unknown>>(query, {}, token);
  expect(response.errors, query).toBeUndefined();
  return response.data!;
}

/** The same field read through node(id) for each id, 25 aliases per request (the alias limit is 30). */
async function throughNode(typeName: string, selection: string, ids: string[]): Promise<Data[]> {
  const nodes: Data[] = [];
  for (let start = 0; start < ids.length; start += 25) {
    const chunk = ids.slice(start, start + 25);
    const data = await ask(`{ ${chunk.map((id, i) => `n${i}: node(id: "${id}") { ... on ${typeName} { id ${selection} } }`).join("\n")} }`);
    nodes.push(...chunk.map((_, i) => data[`n${i}`]));
  }
  return nodes;
}

const cases: { typeName: string; path: string; fields: string[]; list: (selection: string) => string; nodes: (data: Data) => Data[] }[] = [
  {
    typeName: "Organisation",
    path: "organisations",
    fields: Object.keys(ORGANISATION_COLUMNS.fields),
    list: (selection) => `{ organisations(first: 30) { edges { node { id ${selection} } } } }`,
    nodes: (data) => data.organisations.edges.map((e: Data) => e.node),
  },
  {
    typeName: "Organisation",
    path: "opportunities → organisation",
    fields: Object.keys(ORGANISATION_COLUMNS.fields),
    list: (selection) => `{ opportunities(first: 30) { edges { node { organisation { id ${selection} } } } } }`,
    nodes: (data) => data.opportunities.edges.map((e: Data) => e.node.organisation),
  },
  {
    typeName: "Organisation",
    path: "contacts → organisation",
    fields: Object.keys(ORGANISATION_COLUMNS.fields),
    list: (selection) => `{ contacts(first: 30) { edges { node { organisation { id ${selection} } } } } }`,
    nodes: (data) => data.contacts.edges.map((e: Data) => e.node.organisation),
  },
  {
    typeName: "Contact",
    path: "organisations → contacts",
    fields: Object.keys(CONTACT_COLUMNS.fields),
    list: (selection) => `{ organisations(first: 15) { edges { node { contacts(first: 5, includeLeft: true) { edges { node { id ${selection} } } } } } } }`,
    nodes: (data) => data.organisations.edges.flatMap((e: Data) => e.node.contacts.edges.map((c: Data) => c.node)),
  },
  {
    typeName: "Opportunity",
    path: "organisations → opportunities",
    fields: Object.keys(OPPORTUNITY_COLUMNS.fields),
    list: (selection) => `{ organisations(first: 15, filter: { status: [CLIENT] }) { edges { node { opportunities(first: 10) { edges { node { id ${selection} } } } } } } }`,
    nodes: (data) => data.organisations.edges.flatMap((e: Data) => e.node.opportunities.edges.map((o: Data) => o.node)),
  },
  {
    typeName: "Opportunity",
    path: "opportunities",
    fields: Object.keys(OPPORTUNITY_COLUMNS.fields),
    list: (selection) => `{ opportunities(first: 40) { edges { node { id ${selection} } } } }`,
    nodes: (data) => data.opportunities.edges.map((e: Data) => e.node),
  },
];

describe("projected lists answer exactly what the whole row answers", () => {
  for (const { typeName, path, fields, list, nodes } of cases) {
    it(`${typeName} through ${path}: every mapped field`, async () => {
      for (const field of fields) {
        const selection = fieldSelection(typeName, field);
        const projected = nodes(await ask(list(selection)));
        expect(projected.length, `${typeName}.${field}: the list must not be empty`).toBeGreaterThan(0);
        const whole = await throughNode(typeName, selection, projected.map((node) => node.id));
        expect(projected, `${typeName}.${field}`).toEqual(whole);
      }
    });
  }
});
