import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGlobalId, toGlobalId } from "../../src/graphql/relay.js";
import { graphql } from "../generated/gql.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

const CreateContact = graphql(`
  mutation CreateContact($input: CreateContactInput!) {
    createContact(input: $input) {
      contact { id firstName lastName email roles isPrimary version organisation { id } }
    }
  }
`);

const UpdateContact = graphql(`
  mutation UpdateContact($input: UpdateContactInput!) {
    updateContact(input: $input) {
      contact { id jobTitle email roles version leftCompanyAt }
    }
  }
`);

let t: TestServer;
let rep: string;
let organisationId: string;
beforeAll(async () => {
  t = await startTestServer();
  rep = await t.login("rep.lille@demo.test");
  const repId = (await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } })).id;
  const assignment = await t.database.prisma.organisationAssignment.findFirstOrThrow({ where: { repId, validTo: null } });
  organisationId = toGlobalId("Organisation", assignment.organisationId);
});
afterAll(() => t?.close());

describe("contacts", () => {
  it("a rep creates a contact with several roles on their portfolio, and it is audited", async () => {
    const response = await t.gql(
      CreateContact,
      { input: { organisationId, firstName: "Jeanne", lastName: "Leclerc", email: "  Jeanne.Leclerc@Exemple.FR ", roles: ["BUYER", "DECISION_MAKER"] } },
      rep,
    );
    expect(response.errors).toBeUndefined();
    const contact = response.data!.createContact.contact!;
    expect(contact).toMatchObject({ firstName: "Jeanne", email: "jeanne.leclerc@exemple.fr", roles: ["BUYER", "DECISION_MAKER"], version: 1, organisation: { id: organisationId } });
    const audit = await t.database.prisma.auditEvent.findMany({ where: { entity: "Contact", action: "create" } });
    expect(audit.some((event) => (event.after as { lastName?: string }).lastName === "Leclerc")).toBe(true);
  });

  it("invalid fields are refused with the list of fields at fault, nothing written", async () => {
    const before = await t.database.prisma.contact.count();
    const response = await t.gql(CreateContact, { input: { organisationId, firstName: " ", lastName: "X", email: "not-an-email", phone: "abc" } }, rep);
    expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
    const fields = (response.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(["email", "firstName", "phone"]);
    expect(await t.database.prisma.contact.count()).toBe(before);
  });

  it("an update changes only the fields sent, bumps the version, and marks who left", async () => {
    const created = await t.gql(CreateContact, { input: { organisationId, firstName: "Paul", lastName: "Morin", email: "paul@exemple.fr" } }, rep);
    const id = created.data!.createContact.contact!.id;
    const updated = await t.gql(UpdateContact, { input: { id, version: 1, jobTitle: "Acheteur", leftCompanyAt: "2026-10-31" } }, rep);
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateContact.contact).toMatchObject({ jobTitle: "Acheteur", email: "paul@exemple.fr", version: 2, leftCompanyAt: "2026-10-31" });
    const cleared = await t.gql(UpdateContact, { input: { id, version: 2, email: null } }, rep);
    expect(cleared.data!.updateContact.contact).toMatchObject({ email: null, jobTitle: "Acheteur", version: 3 });
  });

  it("20 concurrent updates with the same version: exactly one wins, 19 get CONFLICT, nothing is lost", async () => {
    const created = await t.gql(CreateContact, { input: { organisationId, firstName: "Race", lastName: "Condition" } }, rep);
    const id = created.data!.createContact.contact!.id;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.gql(UpdateContact, { input: { id, version: 1, jobTitle: `Title ${i}` } }, rep)),
    );
    const winners = responses.filter((r) => !r.errors);
    const conflicts = responses.filter((r) => errorCodes(r).includes("CONFLICT"));
    expect(winners).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const stored = await t.database.prisma.contact.findUniqueOrThrow({ where: { id: parseGlobalId(id)!.id } });
    expect(stored.version).toBe(2);
    expect(stored.jobTitle).toBe(winners[0]!.data!.updateContact.contact!.jobTitle);
    const audits = await t.database.prisma.auditEvent.count({ where: { entity: "Contact", entityId: stored.id, action: "update" } });
    expect(audits).toBe(1);
  });

  it("only one primary contact per organisation", async () => {
    const first = await t.gql(CreateContact, { input: { organisationId, firstName: "A", lastName: "Primary", isPrimary: true } }, rep);
    const second = await t.gql(CreateContact, { input: { organisationId, firstName: "B", lastName: "Primary", isPrimary: true } }, rep);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    const primaries = await t.database.prisma.contact.count({ where: { organisationId: parseGlobalId(organisationId)!.id, isPrimary: true } });
    expect(primaries).toBe(1);
  });

  it("filters by roles on a database that has just been migrated (enum array parameters)", async () => {
    const response = await t.gql<any, any>(
      `{ contacts(first: 200, filter: { roles: [BILLING, TECHNICAL] }) { totalCount edges { node { roles } } } }`,
      {},
      rep,
    );
    expect(response.errors).toBeUndefined();
    const { totalCount, edges } = response.data.contacts;
    expect(totalCount).toBeGreaterThan(0);
    expect(edges.length).toBe(Math.min(totalCount, 200));
    for (const edge of edges) expect(edge.node.roles.some((role: string) => role === "BILLING" || role === "TECHNICAL")).toBe(true);
  });
});
