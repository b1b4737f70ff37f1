// Side paths show nothing the front door refuses. For every kind of principal (each role, anonymous, a
// partner token per partner scope, a service token per service scope), the audit trail and the
// organisation timeline are read, and everything they return is asked again through the entity itself:
// each before/after key through `node(id) { … on Type { field } }`, each timeline item through
// `node(subjectId)`. The cases are generated from the rules and the stored rows, not from a hand list:
// every database model that has a GraphQL type gets an audit event holding one of its real rows, plus the
// events real writes record (a merge, a revocation, a request with candidates).
import { getNamedType, isObjectType, isInterfaceType, type GraphQLField, type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sidePathEntities } from "../../src/app/read-policy.js";
import { buildAppSchema, type AppSchema } from "../../src/app/schema.js";
import { PARTNER_SCOPES, SERVICE_SCOPES } from "../../src/auth/scopes.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { columnCuts } from "../../src/modules/index.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;

const DAY = new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), TODAY.getUTCDate()));
const inForce = { validFrom: { lte: DAY }, OR: [{ validTo: null }, { validTo: { gt: DAY } }] };

let t: TestServer;
let app: AppSchema;
/** principal label → bearer token (undefined: anonymous) */
const principals = new Map<string, string | undefined>();
/** an organisation of the Lille rep's portfolio, inside the territory every token is restricted to */
let organisationId: string;

const gql = (query: string, variables: Record<string, unknown>, token: string | undefined) => t.gql<Data, Record<string, unknown>>(query, variables, token);

/** A selection of one field that any schema accepts: leaves as is, objects with __typename, arguments left out. */
function selectionOf(type: GraphQLObjectType, name: string): string | null {
  const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[name];
  if (!field || field.args.some((arg) => arg.type.toString().endsWith("!"))) return null;
  const named = getNamedType(field.type);
  return isObjectType(named) || isInterfaceType(named) ? `${name} { __typename }` : name;
}

const isNodeType = (typeName: string) => {
  const type = app.typeSchema.getType(typeName);
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node");
};

beforeAll(async () => {
  t = await startTestServer();
  app = await buildAppSchema();
  const p = t.database.prisma;
  const rep = await p.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } });
  // the rep's organisation with the most history (demo ids are random: the first by id may have almost none)
  const held = await p.organisation.findMany({
    where: { assignments: { some: { ...inForce, repId: rep.id, territoryId: { not: null } } } },
    select: { id: true, _count: { select: { visits: true, opportunities: true, contacts: true, tasks: true, orders: true } } },
  });
  const history = (o: (typeof held)[number]) => Object.values(o._count).reduce((sum, n) => sum + n, 0);
  organisationId = held.sort((a, b) => history(b) - history(a) || a.id.localeCompare(b.id))[0]!.id;
  const assignment = await p.organisationAssignment.findFirstOrThrow({ where: { ...inForce, repId: rep.id, organisationId, territoryId: { not: null } } });

  for (const email of ["rep.lille@demo.test", "manager.north@demo.test", "head.office@demo.test", "data.steward@demo.test"]) {
    principals.set(email.split("@")[0]!, await t.login(email));
  }
  principals.set("anonymous", undefined);
  const headOffice = principals.get("head.office")!;
  const issue = async (kind: "PARTNER" | "SERVICE", scope: string) => {
    const response = await gql(
      `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
      {
        input: {
          kind,
          name: `${kind} ${scope}`,
          scopes: [scope],
          ...(kind === "PARTNER" ? { territoryIds: [toGlobalId("Territory", assignment.territoryId!)], expiresAt: new Date(TODAY.getTime() + 30 * 86_400_000).toISOString() } : {}),
        },
      },
      headOffice,
    );
    expect(response.errors).toBeUndefined();
    principals.set(`${kind} ${scope}`, response.data!.issueApiToken.token);
  };
  for (const scope of PARTNER_SCOPES) await issue("PARTNER", scope);
  for (const scope of SERVICE_SCOPES) await issue("SERVICE", scope);

  // Real writes with shapes of their own: a request filed with its candidates, a merge, a revocation.
  const filed = await gql(
    `mutation($input: RequestOrganisationInput!) { requestOrganisation(input: $input) { organisationRequest { id } } }`,
    { input: { kind: "UPDATE", organisationId: toGlobalId("Organisation", organisationId), note: "new phone", fields: { phone: "+33 3 20 00 00 00" } } },
    principals.get("manager.north"),
  );
  expect(filed.errors).toBeUndefined();
  const [source, target] = await p.organisation.findMany({ where: { mergedIntoId: null, id: { not: organisationId } }, take: 2, orderBy: { name: "desc" } });
  const merged = await gql(
    `mutation($input: MergeOrganisationsInput!) { mergeOrganisations(input: $input) { organisation { id } } }`,
    { input: { sourceId: toGlobalId("Organisation", source!.id), targetId: toGlobalId("Organisation", target!.id) } },
    principals.get("data.steward"),
  );
  expect(merged.errors).toBeUndefined();
  const token = await p.apiToken.findFirstOrThrow({ where: { name: "SERVICE export:read" } });
  const revoked = await gql(`mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { apiToken { id } } }`, { input: { id: toGlobalId("ApiToken", token.id) } }, headOffice);
  expect(revoked.errors).toBeUndefined();
  principals.delete("SERVICE export:read");

  // One event per entity that a side path can show, holding a real stored row of it (as recordAudit writes it).
  const headOfficeUser = await p.user.findUniqueOrThrow({ where: { email: "head.office@demo.test" } });
  for (const entity of sidePathEntities(app.readPolicy)) {
    const delegate = (p as unknown as Record<string, { findFirst(args?: object): Promise<Record<string, unknown> | null> }>)[entity[0]!.toLowerCase() + entity.slice(1)];
    const row = await delegate!.findFirst();
    if (!row) continue;
    const id = String(row.id ?? "00000000-0000-4000-8000-000000000000");
    const image = JSON.parse(JSON.stringify(row));
    await p.auditEvent.create({ data: { actorId: headOfficeUser.id, entity, entityId: id, action: "update", before: image, after: image } });
  }
});
afterAll(async () => t?.close());

async function allAuditEvents(token: string | undefined): Promise<{ codes: (string | undefined)[]; events: Data[] }> {
  const events: Data[] = [];
  let after: string | null = null;
  for (;;) {
    const response: Awaited<ReturnType<typeof gql>> = await gql(
      `query($after: String) { auditEvents(first: 200, after: $after) { pageInfo { hasNextPage endCursor } edges { node { entity entityId action before after } } } }`,
      { after },
      token,
    );
    if (response.errors) return { codes: errorCodes(response), events };
    const page = response.data!.auditEvents;
    events.push(...page.edges.map((edge: Data) => edge.node));
    if (!page.pageInfo.hasNextPage) return { codes: [], events };
    after = page.pageInfo.endCursor;
  }
}

describe("audit trail", () => {
  it("every principal: no event of an entity it cannot read, and no before/after key whose field the entity refuses it", async () => {
    let checkedKeys = 0;
    let readers = 0;
    for (const [label, token] of principals) {
      const { codes, events } = await allAuditEvents(token);
      if (codes.length) {
        expect(codes, label).toEqual([token ? "FORBIDDEN" : "UNAUTHENTICATED"]);
        continue;
      }
      readers += 1;
      for (const event of events) {
        const typeName = app.readPolicy.typeOfEntity(event.entity);
        const type = app.typeSchema.getType(typeName);
        expect(isObjectType(type), `${label}: event of ${event.entity}, which has no type`).toBe(true);
        const keys = [...new Set([...Object.keys(event.before ?? {}), ...Object.keys(event.after ?? {})])];
        // a column cut per reader (custom values) is carried by its cut's field
        const fields = [...new Set(keys.map((key) => app.readPolicy.fieldOfColumn(event.entity, key) ?? columnCuts[event.entity]?.[key]?.field ?? null))];
        expect(fields, `${label}: ${event.entity} keys ${keys.join(", ")} all carried by a field`).not.toContain(null);
        if (isNodeType(typeName) && /^[0-9a-f-]{36}$/.test(event.entityId)) {
          const selections = fields.map((field) => selectionOf(type as GraphQLObjectType, field!)).filter(Boolean);
          const response = await gql(`query($id: ID!) { node(id: $id) { __typename ... on ${typeName} { ${selections.join(" ")} } } }`, { id: toGlobalId(typeName, event.entityId) }, token);
          const refused = errorCodes(response).filter((code) => code === "FORBIDDEN" || code === "UNAUTHENTICATED");
          expect(refused, `${label} reads ${typeName}.${fields.join(",")} through node(id)`).toEqual([]);
          // NOT_FOUND on the front door (the row left since, e.g. merged) is fine only if the event shows nothing
          if (response.data?.node == null) expect(keys, `${label}: ${typeName} ${event.entityId} is not found, yet its audit shows`).toEqual([]);
        }
        checkedKeys += keys.length;
      }
    }
    expect(readers).toBe(2); // head office and the data steward
    expect(checkedKeys).toBeGreaterThan(200);
  });

  it("the data steward never receives a commercial figure or a visit report in before/after", async () => {
    const { events } = await allAuditEvents(principals.get("data.steward"));
    const entities = new Set(events.map((event) => event.entity));
    for (const commercial of ["Opportunity", "Quote", "Visit", "Objective", "Lead", "PipelineStage"]) expect(entities.has(commercial), commercial).toBe(false);
    const keys = events.flatMap((event) => [...Object.keys(event.before ?? {}), ...Object.keys(event.after ?? {})]);
    for (const key of ["amount", "budget", "outcome", "reportNotes", "plannedVisitsPerYear", "tokenHash", "passwordHash"]) expect(keys, key).not.toContain(key);
    // head office reads the same events in full
    const headOffice = await allAuditEvents(principals.get("head.office"));
    expect(headOffice.events.some((event) => event.entity === "Opportunity" && event.after?.amount != null)).toBe(true);
  });
});

describe("organisation timeline", () => {
  it("every item a principal receives is readable through node(subjectId) by that principal", async () => {
    let checked = 0;
    const problems: string[] = [];
    for (const [label, token] of principals) {
      const response = await gql(
        `query($id: ID!) { organisation(id: $id) { timeline(first: 200) { edges { node { kind subjectType subjectId } } } } }`,
        { id: toGlobalId("Organisation", organisationId) },
        token,
      );
      if (!response.data?.organisation) continue; // refused, or outside this principal's scope
      for (const { node: item } of response.data.organisation.timeline.edges as { node: Data }[]) {
        if (!isNodeType(item.subjectType)) {
          // only the kinds that have no entity path of their own may point at a non-node
          expect(item.kind, label).toBe("NOTE");
          continue;
        }
        const front = await gql(`query($id: ID!) { node(id: $id) { __typename } }`, { id: item.subjectId }, token);
        if (front.errors || !front.data?.node) problems.push(`${label}: ${item.kind} → node(${item.subjectType}) ${errorCodes(front).join(",")}`);
        checked += 1;
      }
    }
    expect([...new Set(problems)]).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });
});
