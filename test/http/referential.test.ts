// The organisation referential workflow (SPEC §4 workflow 1): requests, duplicates, steward actions,
// merges, direct steward writes, audit trail and timeline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGlobalId, toGlobalId } from "../../src/graphql/relay.js";
import { foldName } from "../../src/modules/organisations/organisation.search.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

let t: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;
const orgGid = (id: string) => toGlobalId("Organisation", id);
type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function as(who: string, query: string, variables?: Record<string, unknown>) {
  return t.gql<Data, Record<string, unknown>>(query, variables, tokens[who]);
}

async function issue(input: Record<string, unknown>): Promise<string> {
  const response = await as("head", `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`, { input });
  if (!response.data?.issueApiToken) throw new Error(JSON.stringify(response.errors));
  return response.data.issueApiToken.token as string;
}

const REQUEST = `mutation($input: RequestOrganisationInput!) { requestOrganisation(input: $input) {
  organisationRequest { id kind status version proposed { name city } duplicateCandidates { organisation { id name } reasons score } } } }`;
const APPROVE = `mutation($input: ApproveOrganisationRequestInput!) { approveOrganisationRequest(input: $input) {
  organisationRequest { id status version resolutionNote organisation { id name address { city region } assignedRep { email } } resolver { email } } } }`;
const REJECT = `mutation($input: RejectOrganisationRequestInput!) { rejectOrganisationRequest(input: $input) { organisationRequest { id status resolutionNote } } }`;
const MERGE = `mutation($input: MergeOrganisationsInput!) { mergeOrganisations(input: $input) { organisation { id name } organisationRequest { id status } } }`;
const FIND = `query($input: FindDuplicateOrganisationsInput!) { findDuplicateOrganisations(input: $input) { organisation { id name } reasons score } }`;
const MY_REQUESTS = `query($filter: OrganisationRequestFilter) { organisationRequests(first: 200, filter: $filter) { totalCount edges { node { id status kind resolutionNote requestedBy { email } } } } }`;

async function orgOf(name: string) {
  return t.database.prisma.organisation.findFirstOrThrow({ where: { name, mergedIntoId: null } });
}

async function newOrganisation(name: string, extra: Record<string, unknown> = {}) {
  return t.database.prisma.organisation.create({ data: { name, searchName: foldName(name), city: "Lille", postalCode: "59000", region: "Hauts-de-France", ...extra } });
}

beforeAll(async () => {
  t = await startTestServer();
  for (const [key, email] of Object.entries({
    rep: "rep.lille@demo.test", repParis: "rep.paris@demo.test", manager: "manager.north@demo.test",
    managerSouth: "manager.south@demo.test", head: "head.office@demo.test", steward: "data.steward@demo.test",
  })) {
    tokens[key] = await t.login(email);
    ids[key] = (await t.database.prisma.user.findUniqueOrThrow({ where: { email } })).id;
  }
  const hdf = (await t.database.prisma.territory.findUniqueOrThrow({ where: { name: "Hauts-de-France" } })).id;
  const expiresAt = new Date(t.clock.now.getTime() + 30 * 86_400_000).toISOString();
  const partner = (scopes: string[]) => ({ kind: "PARTNER", name: `partner ${scopes.join(" ")}`, scopes, territoryIds: [toGlobalId("Territory", hdf)], expiresAt });
  tokens.partnerLeads = await issue(partner(["leads:write"]));
  tokens.partnerOther = await issue(partner(["contacts:write"]));
  tokens.partnerOpps = await issue(partner(["opportunities:read", "contacts:read"]));
  tokens.service = await issue({ kind: "SERVICE", name: "referential", scopes: ["referential:read", "organisations:read"] });
});
afterAll(() => t?.close());

describe("SPEC §4 workflow 1: request → provisional visit → duplicates → approval → portfolio", () => {
  it("runs end to end", async () => {
    // 1. The rep files a creation request with partial data (a name and a town)
    const filed = await as("rep", REQUEST, { input: { kind: "CREATE", fields: { name: "SARL Dupont et Fils", city: "Roubaix" }, note: "New prospect" } });
    expect(filed.errors).toBeUndefined();
    const request = filed.data!.requestOrganisation.organisationRequest;
    expect(request).toMatchObject({ kind: "CREATE", status: "PENDING", version: 1, proposed: { name: "SARL Dupont et Fils", city: "Roubaix" } });
    const requestId = uuidOf(request.id);

    // 2. A visit is logged against the pending request (no visits module yet: the row is written with Prisma)
    const visit = await t.database.prisma.visit.create({ data: { requestId, repId: ids.rep!, plannedAt: new Date("2026-11-14T09:00:00Z"), status: "DONE" } });
    const task = await t.database.prisma.task.create({ data: { kind: "FOLLOW_UP", title: "Send the catalogue", requestId, assigneeId: ids.rep! } });
    const note = await t.database.prisma.note.create({ data: { requestId, authorId: ids.rep!, body: "Owner wants a demo" } });

    // 3. The steward sees it in the queue with the seeded near-duplicates as candidates
    const queue = await as("steward", `query { organisationRequests(first: 200, filter: { status: [PENDING] }) { edges { node { id
      duplicateCandidates { organisation { id name } reasons score } } } } }`);
    const seen = queue.data!.organisationRequests.edges.map((e: Data) => e.node).find((n: Data) => n.id === request.id);
    const names = seen.duplicateCandidates.map((c: Data) => c.organisation.name).sort();
    expect(names).toEqual(expect.arrayContaining(["Dupont et Fils", "SAS Dupont & Fils"]));
    expect(seen.duplicateCandidates.find((c: Data) => c.organisation.name === "Dupont et Fils").reasons).toContain("SIMILAR_NAME");

    // 4. The steward approves with a correction (postal code); the organisation is created and placed
    const approved = await as("steward", APPROVE, { input: { id: request.id, version: 1, corrections: { postalCode: "59100", name: "Dupont et Fils Roubaix" } } });
    expect(approved.errors).toBeUndefined();
    const result = approved.data!.approveOrganisationRequest.organisationRequest;
    expect(result).toMatchObject({ status: "APPROVED", version: 2, resolver: { email: "data.steward@demo.test" } });
    expect(result.organisation).toMatchObject({ name: "Dupont et Fils Roubaix", address: { city: "Roubaix", region: "Hauts-de-France" }, assignedRep: { email: "rep.lille@demo.test" } });
    const organisationId = uuidOf(result.organisation.id);
    const stored = await t.database.prisma.organisation.findUniqueOrThrow({ where: { id: organisationId } });
    expect(stored.searchName).toBe("dupont et fils roubaix");

    // 5. The provisional work now belongs to the organisation
    expect((await t.database.prisma.visit.findUniqueOrThrow({ where: { id: visit.id } })).organisationId).toBe(organisationId);
    expect((await t.database.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).organisationId).toBe(organisationId);
    expect((await t.database.prisma.note.findUniqueOrThrow({ where: { id: note.id } })).organisationId).toBe(organisationId);

    // 6. It is in the rep's portfolio, and the rep sees the status APPROVED
    const portfolio = await as("rep", `query { organisations(first: 5, filter: { text: "dupont et fils roubaix" }) { edges { node { id } } } }`);
    expect(portfolio.data!.organisations.edges.map((e: Data) => e.node.id)).toEqual([orgGid(organisationId)]);
    const mine = await as("rep", MY_REQUESTS);
    expect(mine.data!.organisationRequests.edges.find((e: Data) => e.node.id === request.id).node.status).toBe("APPROVED");

    // 7. Everything was audited
    const actions = await t.database.prisma.auditEvent.findMany({ where: { entityId: { in: [requestId, organisationId] } }, select: { entity: true, action: true } });
    expect(actions).toEqual(expect.arrayContaining([
      { entity: "OrganisationRequest", action: "create" }, { entity: "OrganisationRequest", action: "approved" },
      { entity: "OrganisationRequest", action: "reattachProvisionalWork" }, { entity: "Organisation", action: "create" },
    ]));
    const placed = await t.database.prisma.auditEvent.findFirstOrThrow({ where: { entity: "Organisation", entityId: organisationId, action: "assignByLocation" } });
    expect(placed.after).toMatchObject({ region: "Hauts-de-France", repId: ids.rep });

    // 8. A second approval of the same request is a CONFLICT
    const again = await as("steward", APPROVE, { input: { id: request.id, version: 2 } });
    expect(errorCodes(again)).toEqual(["CONFLICT"]);
  });

  it("a rejection shows its reason to the requester; the provisional visit stays the author's", async () => {
    const filed = await as("repParis", REQUEST, { input: { kind: "CREATE", fields: { name: "Boutique Éphémère", city: "Paris" } } });
    const request = filed.data!.requestOrganisation.organisationRequest;
    const visit = await t.database.prisma.visit.create({ data: { requestId: uuidOf(request.id), repId: ids.repParis!, plannedAt: new Date("2026-11-10T09:00:00Z") } });
    const stale = await as("steward", REJECT, { input: { id: request.id, version: 7, reason: "x" } });
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);
    const rejected = await as("steward", REJECT, { input: { id: request.id, version: 1, reason: "Pop-up shop, closes in January" } });
    expect(rejected.data!.rejectOrganisationRequest.organisationRequest).toMatchObject({ status: "REJECTED", resolutionNote: "Pop-up shop, closes in January" });
    const mine = await as("repParis", MY_REQUESTS, { filter: { status: ["REJECTED"] } });
    expect(mine.data!.organisationRequests.edges.map((e: Data) => e.node)).toContainEqual(expect.objectContaining({ id: request.id, resolutionNote: "Pop-up shop, closes in January" }));
    expect((await t.database.prisma.visit.findUniqueOrThrow({ where: { id: visit.id } })).organisationId).toBeNull();
    // Another rep does not see it
    const other = await as("rep", MY_REQUESTS);
    expect(other.data!.organisationRequests.edges.map((e: Data) => e.node.id)).not.toContain(request.id);
    const byId = await as("rep", `query($id: ID!) { node(id: $id) { id } }`, { id: request.id });
    expect(errorCodes(byId)).toEqual(["NOT_FOUND"]);
    const own = await as("repParis", `query($id: ID!) { node(id: $id) { ... on OrganisationRequest { status } } }`, { id: request.id });
    expect(own.data!.node).toEqual({ status: "REJECTED" });
  });

  it("partial data below the minimum, and updates of organisations outside the portfolio, are refused", async () => {
    const noTown = await as("rep", REQUEST, { input: { kind: "CREATE", fields: { name: "Nameless town" } } });
    expect(errorCodes(noTown)).toEqual(["BAD_USER_INPUT"]);
    const outside = await t.database.prisma.organisation.findFirstOrThrow({ where: { region: "Normandie", mergedIntoId: null } });
    const update = await as("rep", REQUEST, { input: { kind: "UPDATE", organisationId: orgGid(outside.id), fields: { phone: "+33 2 35 00 00 00" } } });
    expect(errorCodes(update)).toEqual(["NOT_FOUND"]);
  });

  it("an approved UPDATE request changes the organisation (version bumped, audited)", async () => {
    const mine = await t.database.prisma.organisationAssignment.findFirstOrThrow({ where: { repId: ids.rep!, validTo: null }, include: { organisation: true } });
    const filed = await as("rep", REQUEST, { input: { kind: "UPDATE", organisationId: orgGid(mine.organisationId), fields: { phone: "+33 3 20 11 22 33" } } });
    expect(filed.errors).toBeUndefined();
    const approved = await as("steward", APPROVE, { input: { id: filed.data!.requestOrganisation.organisationRequest.id, version: 1 } });
    expect(approved.data!.approveOrganisationRequest.organisationRequest.status).toBe("APPROVED");
    const after = await t.database.prisma.organisation.findUniqueOrThrow({ where: { id: mine.organisationId } });
    expect(after).toMatchObject({ phone: "+33 3 20 11 22 33", version: mine.organisation.version + 1, name: mine.organisation.name });
    expect(await t.database.prisma.auditEvent.count({ where: { entity: "Organisation", entityId: mine.organisationId, action: "update" } })).toBe(1);
  });

  it("the steward's queue reads candidates, requesters and organisations in a bounded number of statements", async () => {
    const query = (first: number) => as("steward", `query { organisationRequests(first: ${first}) { edges { node { id requestedBy { email } resolver { email }
      organisation { name } otherOrganisation { name } duplicateCandidates { organisation { name } } } } } }`);
    const few = await query(2);
    const many = await query(200);
    expect(many.errors).toBeUndefined();
    expect(many.data!.organisationRequests.edges.length).toBeGreaterThan(5);
    expect(many.statements).toBe(few.statements);
  });

  it("refreshing a request's candidates finds an organisation created since", async () => {
    const filed = await as("rep", REQUEST, { input: { kind: "CREATE", fields: { name: "Torréfaction Quetzal", city: "Lille" } } });
    const request = filed.data!.requestOrganisation.organisationRequest;
    expect(request.duplicateCandidates).toEqual([]);
    const twin = await newOrganisation("Torrefaction Quetzal SAS");
    const refreshed = await as("steward", `mutation($id: ID!) { refreshDuplicateCandidates(id: $id) { organisationRequest { duplicateCandidates { organisation { id } reasons } } } }`, { id: request.id });
    expect(refreshed.data!.refreshDuplicateCandidates.organisationRequest.duplicateCandidates).toEqual([
      { organisation: { id: orgGid(twin.id) }, reasons: ["SIMILAR_NAME"] },
    ]);
  });

  it("the queue filters by status, age, requester and region, and orders", async () => {
    const all = await as("steward", `query { organisationRequests(first: 200) { totalCount } }`);
    const expected = await t.database.prisma.organisationRequest.count();
    expect(all.data!.organisationRequests.totalCount).toBe(expected);
    const old = await as("steward", `query($before: DateTime!) { organisationRequests(first: 200, filter: { createdBefore: $before, status: [PENDING] }) { totalCount } }`, {
      before: new Date(t.clock.now.getTime() - 7 * 86_400_000).toISOString(),
    });
    expect(old.data!.organisationRequests.totalCount).toBe(
      await t.database.prisma.organisationRequest.count({ where: { status: "PENDING", createdAt: { lt: new Date(t.clock.now.getTime() - 7 * 86_400_000) } } }),
    );
    const byRep = await as("steward", `query($rep: ID!) { organisationRequests(first: 200, filter: { requestedById: $rep }, orderBy: { field: CREATED_AT, direction: DESC }) { edges { node { requestedBy { email } } } } }`, {
      rep: toGlobalId("User", ids.repParis!),
    });
    const emails = byRep.data!.organisationRequests.edges.map((e: Data) => e.node.requestedBy.email);
    expect(emails.length).toBe(await t.database.prisma.organisationRequest.count({ where: { requestedById: ids.repParis! } }));
    expect(new Set(emails)).toEqual(new Set(["rep.paris@demo.test"]));
    const region = await as("steward", `query { organisationRequests(first: 200, filter: { region: ["Hauts-de-France"] }) { totalCount edges { node { proposed { city } } } } }`);
    expect(region.data!.organisationRequests.totalCount).toBe(await t.database.prisma.organisationRequest.count({ where: { region: "Hauts-de-France" } }));
    // the region is found from the town when the requester gave only a town (seeded: Dupont & Fils, Lille)
    expect(region.data!.organisationRequests.edges.map((e: Data) => e.node.proposed.city)).toContain("Lille");
    const manager = await as("manager", `query { organisationRequests(first: 200) { edges { node { requestedBy { email } } } } }`);
    const managerEmails: string[] = manager.data!.organisationRequests.edges.map((e: Data) => e.node.requestedBy?.email);
    expect(managerEmails.every((e) => ["rep.lille@demo.test", "rep.rouen@demo.test", "rep.paris@demo.test"].includes(e))).toBe(true);
    expect(managerEmails.length).toBeGreaterThan(0);
  });
});

describe("duplicate detection (PostgreSQL trigram similarity on folded names)", () => {
  it("the demo queue holds pending requests with their near-duplicates, and resolved ones", async () => {
    const queue = await as("steward", `query { organisationRequests(first: 200) { edges { node { kind status proposed { name }
      otherOrganisation { name } duplicateCandidates { organisation { name } reasons } } } } }`);
    const nodes: Data[] = queue.data!.organisationRequests.edges.map((e: Data) => e.node);
    const named = (name: string) => nodes.find((n) => n.proposed.name === name)!;
    // (an approval of a similar request elsewhere in this file adds its organisation as a candidate)
    expect(named("Dupont & Fils").duplicateCandidates.map((c: Data) => c.organisation.name)).toEqual(expect.arrayContaining(["Dupont et Fils", "SAS Dupont & Fils"]));
    expect(named("Quincaillerie Martin").duplicateCandidates).toEqual(expect.arrayContaining([
      { organisation: { name: "Quincaillerie Martin" }, reasons: expect.arrayContaining(["SAME_LEGAL_ID", "SIMILAR_NAME"]) },
      { organisation: { name: "Quincaillerie Martin SARL" }, reasons: expect.arrayContaining(["SAME_LEGAL_ID", "SIMILAR_NAME"]) },
    ]));
    expect(named("Atelier Zéphyr Céramique").duplicateCandidates).toEqual([]);
    expect(nodes.find((n) => n.kind === "MERGE_SUGGESTION" && n.otherOrganisation?.name === "Dupont et Fils")).toBeDefined();
    expect(named("Test test").status).toBe("REJECTED");
    expect(named("Scierie du Médoc").status).toBe("APPROVED");
  });

  it("finds the seeded near-duplicates by name and by legal id", async () => {
    const dupont = await as("steward", FIND, { input: { name: "SAS Dupont & Fils", postalCode: "59000" } });
    expect(dupont.errors).toBeUndefined();
    const byName = new Map(dupont.data!.findDuplicateOrganisations.map((c: Data) => [c.organisation.name, c]));
    expect(byName.get("Dupont et Fils")).toMatchObject({ reasons: expect.arrayContaining(["SIMILAR_NAME", "SAME_POSTAL_CODE_CLOSE_NAME"]) });
    expect(byName.has("SAS Dupont & Fils")).toBe(true);

    const martin = await as("steward", FIND, { input: { name: "Quincaillerie Martin SARL", legalId: "432 109 876 00021" } });
    const martinNames = martin.data!.findDuplicateOrganisations.map((c: Data) => c.organisation.name);
    expect(martinNames).toEqual(expect.arrayContaining(["Quincaillerie Martin", "Quincaillerie Martin SARL"]));
    for (const candidate of martin.data!.findDuplicateOrganisations.filter((c: Data) => c.organisation.name.startsWith("Quincaillerie Martin"))) {
      expect(candidate.reasons).toContain("SAME_LEGAL_ID");
      expect(candidate.score).toBe(1);
    }
    // Legal id alone is enough
    const legalOnly = await as("steward", FIND, { input: { legalId: "43210987600021" } });
    expect(legalOnly.data!.findDuplicateOrganisations.map((c: Data) => c.organisation.name).sort()).toEqual(["Quincaillerie Martin", "Quincaillerie Martin SARL"]);
  });

  it("finds the same phone line and the same company e-mail domain, but not a shared gmail.com", async () => {
    const org = await newOrganisation("Verrerie Oxymore", { phone: "+33 3 20 99 88 77", email: "contact@verrerie-oxymore.fr", postalCode: "59800" });
    const phone = await as("steward", FIND, { input: { name: "Something Else Entirely", phone: "03.20.99.88.77" } });
    expect(phone.data!.findDuplicateOrganisations).toEqual([expect.objectContaining({ organisation: expect.objectContaining({ id: orgGid(org.id) }), reasons: ["SAME_PHONE"] })]);
    const domain = await as("steward", FIND, { input: { name: "Zzz Qqq", email: "jean@verrerie-oxymore.fr" } });
    expect(domain.data!.findDuplicateOrganisations).toEqual([expect.objectContaining({ reasons: ["SAME_EMAIL_DOMAIN"] })]);
    await newOrganisation("Ébénisterie Kappa", { email: "kappa.ebenisterie@gmail.com" });
    const generic = await as("steward", FIND, { input: { name: "Wyz Plomb", email: "someone@gmail.com" } });
    expect(generic.data!.findDuplicateOrganisations).toEqual([]);
  });

  it("no false positive among clearly different names in the same postal code", async () => {
    const names = ["Boulangerie Arc-en-Ciel", "Garage Dupuis", "Pharmacie du Beffroi", "Librairie Voltaire", "Cave Saint-Vincent", "Fromagerie Ardennaise", "Quincaillerie Lemaire", "Quincaillerie Kowalski"];
    const created = new Map<string, string>();
    for (const name of names) created.set(name, orgGid((await newOrganisation(name, { postalCode: "59999", city: "Testville" })).id));
    for (const name of names) {
      const response = await as("steward", FIND, { input: { name, postalCode: "59999" } });
      const found = response.data!.findDuplicateOrganisations.map((c: Data) => c.organisation.id);
      // Only the organisation itself (identical name) and nothing else among the set
      expect(found.filter((id: string) => [...created.values()].includes(id))).toEqual([created.get(name)]);
    }
  });
});

describe("merge", () => {
  it("moves every dependent record in one transaction; the source's id resolves to the target", async () => {
    const p = t.database.prisma;
    const source = await newOrganisation("Merge Source SARL");
    const target = await newOrganisation("Merge Target");
    const stage = await p.pipelineStage.findFirstOrThrow();
    const pending = await p.organisationRequest.create({ data: { kind: "UPDATE", requestedById: ids.rep!, organisationId: source.id, proposed: {} } });
    const dependents = {
      contact: await p.contact.create({ data: { organisationId: source.id, firstName: "A", lastName: "B" } }),
      opportunity: await p.opportunity.create({ data: { organisationId: source.id, ownerId: ids.rep!, name: "Deal", stageId: stage.id, amount: "1000.00", probability: 10 } }),
      visit: await p.visit.create({ data: { organisationId: source.id, repId: ids.rep!, plannedAt: new Date() } }),
      order: await p.order.create({ data: { externalId: "MERGE-1", organisationId: source.id, orderedAt: new Date("2026-10-01"), amount: "50.00" } }),
      invoice: await p.invoice.create({ data: { externalId: "MERGE-INV-1", organisationId: source.id, invoicedAt: new Date("2026-10-02"), amount: "50.00" } }),
      task: await p.task.create({ data: { kind: "CALL", title: "Call", organisationId: source.id } }),
      note: await p.note.create({ data: { organisationId: source.id, authorId: ids.rep!, body: "n" } }),
      incident: await p.incident.create({ data: { externalId: "MERGE-INC-1", organisationId: source.id, kind: "OTHER", openedAt: new Date(), summary: "s" } }),
      assignment: await p.organisationAssignment.create({ data: { organisationId: source.id, repId: ids.rep!, validFrom: new Date("2025-01-01"), validTo: new Date("2025-06-01") } }),
    };
    // partners restricted to the source (alone, or with the target too)
    const expiresAt = new Date(t.clock.now.getTime() + 30 * 86_400_000).toISOString();
    const restricted = (name: string, organisationIds: string[]) => issue({ kind: "PARTNER", name, scopes: ["contacts:read"], organisationIds, expiresAt });
    tokens.partnerSource = await restricted("restricted to the source", [orgGid(source.id)]);
    tokens.partnerBoth = await restricted("restricted to both", [orgGid(source.id), orgGid(target.id)]);
    const READ = `query($id: ID!) { organisation(id: $id) { id } }`;
    expect(errorCodes(await as("partnerSource", READ, { id: orgGid(target.id) }))).toEqual(["NOT_FOUND"]);
    const response = await as("steward", MERGE, { input: { sourceId: orgGid(source.id), targetId: orgGid(target.id) } });
    expect(response.errors).toBeUndefined();
    expect(response.data!.mergeOrganisations.organisation).toMatchObject({ id: orgGid(target.id) });
    // the restriction now names the target, once
    expect((await as("partnerSource", READ, { id: orgGid(target.id) })).data).toEqual({ organisation: { id: orgGid(target.id) } });
    const restrictions = await p.apiToken.findMany({ where: { name: { in: ["restricted to the source", "restricted to both"] } }, select: { restrictOrganisationIds: true } });
    expect(restrictions.map((r) => r.restrictOrganisationIds)).toEqual([[target.id], [target.id]]);
    expect((await p.organisation.findUniqueOrThrow({ where: { id: source.id } })).mergedIntoId).toBe(target.id);
    expect((await p.contact.findUniqueOrThrow({ where: { id: dependents.contact.id } })).organisationId).toBe(target.id);
    expect((await p.opportunity.findUniqueOrThrow({ where: { id: dependents.opportunity.id } })).organisationId).toBe(target.id);
    expect((await p.visit.findUniqueOrThrow({ where: { id: dependents.visit.id } })).organisationId).toBe(target.id);
    expect((await p.order.findUniqueOrThrow({ where: { id: dependents.order.id } })).organisationId).toBe(target.id);
    expect((await p.invoice.findUniqueOrThrow({ where: { id: dependents.invoice.id } })).organisationId).toBe(target.id);
    expect((await p.task.findUniqueOrThrow({ where: { id: dependents.task.id } })).organisationId).toBe(target.id);
    expect((await p.note.findUniqueOrThrow({ where: { id: dependents.note.id } })).organisationId).toBe(target.id);
    expect((await p.incident.findUniqueOrThrow({ where: { id: dependents.incident.id } })).organisationId).toBe(target.id);
    expect((await p.organisationAssignment.findUniqueOrThrow({ where: { id: dependents.assignment.id } })).organisationId).toBe(target.id);
    // the moved order counts in the target's ordering cycle; the source has none left
    expect(await p.orderingCycle.findUnique({ where: { organisationId: target.id } })).toMatchObject({ orders: 1, lastOrderedAt: new Date("2026-10-01T00:00:00Z") });
    expect(await p.orderingCycle.findUnique({ where: { organisationId: source.id } })).toBeNull();
    expect((await p.organisationRequest.findUniqueOrThrow({ where: { id: pending.id } })).organisationId).toBe(target.id);
    // ids of the source resolve to the target, on organisation(id) and node(id)
    const byId = await as("steward", `query($id: ID!) { organisation(id: $id) { id name } node(id: $id) { id } }`, { id: orgGid(source.id) });
    expect(byId.data).toEqual({ organisation: { id: orgGid(target.id), name: "Merge Target" }, node: { id: orgGid(target.id) } });
    // and merging again is NOT_FOUND (the source is no longer live)
    const again = await as("steward", MERGE, { input: { sourceId: orgGid(source.id), targetId: orgGid(target.id) } });
    expect(errorCodes(again)).toEqual(["NOT_FOUND"]);
    expect(await p.auditEvent.count({ where: { entity: "Organisation", entityId: source.id, action: "mergeInto" } })).toBe(1);
  });

  it("a failure half-way (the request was already resolved) leaves nothing changed", async () => {
    const p = t.database.prisma;
    const source = await newOrganisation("Rollback Source");
    const target = await newOrganisation("Rollback Target");
    const contact = await p.contact.create({ data: { organisationId: source.id, firstName: "Roll", lastName: "Back" } });
    const visit = await p.visit.create({ data: { organisationId: source.id, repId: ids.rep!, plannedAt: new Date() } });
    const resolved = await p.organisationRequest.create({ data: { kind: "MERGE_SUGGESTION", requestedById: ids.rep!, organisationId: source.id, otherOrganisationId: target.id, status: "REJECTED" } });
    const auditBefore = await p.auditEvent.count();
    const response = await as("steward", MERGE, { input: { sourceId: orgGid(source.id), targetId: orgGid(target.id), requestId: toGlobalId("OrganisationRequest", resolved.id) } });
    expect(errorCodes(response)).toEqual(["CONFLICT"]);
    // The contacts and visits had been moved inside the transaction before the request check failed
    expect((await p.contact.findUniqueOrThrow({ where: { id: contact.id } })).organisationId).toBe(source.id);
    expect((await p.visit.findUniqueOrThrow({ where: { id: visit.id } })).organisationId).toBe(source.id);
    expect((await p.organisation.findUniqueOrThrow({ where: { id: source.id } })).mergedIntoId).toBeNull();
    expect((await p.organisationRequest.findUniqueOrThrow({ where: { id: resolved.id } })).organisationId).toBe(source.id);
    expect(await p.auditEvent.count()).toBe(auditBefore);
  });

  it("approving a merge suggestion merges the pair and marks the request MERGED", async () => {
    const p = t.database.prisma;
    const one = await newOrganisation("Pair One");
    const two = await newOrganisation("Pair One bis");
    await p.organisationAssignment.create({ data: { organisationId: one.id, repId: ids.rep!, validFrom: new Date("2025-01-01") } });
    await p.organisationAssignment.create({ data: { organisationId: two.id, repId: ids.rep!, validFrom: new Date("2025-01-01") } });
    const filed = await as("rep", REQUEST, { input: { kind: "MERGE_SUGGESTION", organisationId: orgGid(one.id), otherOrganisationId: orgGid(two.id) } });
    expect(filed.errors).toBeUndefined();
    const approved = await as("steward", APPROVE, { input: { id: filed.data!.requestOrganisation.organisationRequest.id, version: 1 } });
    expect(approved.data!.approveOrganisationRequest.organisationRequest.status).toBe("MERGED");
    expect((await p.organisation.findUniqueOrThrow({ where: { id: two.id } })).mergedIntoId).toBe(one.id);
  });
});

describe("stewards write the referential directly", () => {
  const CREATE = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id name version status parent { id } } } }`;
  const UPDATE = `mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { organisation { id name version } } }`;
  const DEACTIVATE = `mutation($input: DeactivateOrganisationInput!) { deactivateOrganisation(input: $input) { organisation { id status version } } }`;
  const MOVE = `mutation($input: MoveOrganisationInput!) { moveOrganisation(input: $input) { organisation { id version parent { id } } } }`;

  it("a new address moves the organisation to the rep of its new territory from today; the past stays credited", async () => {
    const org = await newOrganisation("Relocated SARL");
    const lastMonth = new Date(t.clock.now.getTime() - 30 * 86_400_000);
    const rouen = (await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.rouen@demo.test" } })).id;
    const normandie = (await t.database.prisma.territory.findUniqueOrThrow({ where: { name: "Normandie" } })).id;
    const hautsDeFrance = (await t.database.prisma.territory.findUniqueOrThrow({ where: { name: "Hauts-de-France" } })).id;
    // In Lille's portfolio for a month, through its territory
    await t.database.prisma.organisationAssignment.create({ data: { organisationId: org.id, repId: ids.rep!, territoryId: hautsDeFrance, validFrom: lastMonth } });

    const moved = await as("steward", UPDATE, { input: { id: orgGid(org.id), version: 1, city: "Rouen", postalCode: "76000", region: "Normandie" } });
    expect(moved.errors).toBeUndefined();
    const history = await t.database.prisma.organisationAssignment.findMany({ where: { organisationId: org.id }, orderBy: { validFrom: "asc" } });
    expect(history.map((row) => ({ repId: row.repId, territoryId: row.territoryId, from: row.validFrom.toISOString().slice(0, 10), to: row.validTo?.toISOString().slice(0, 10) ?? null }))).toEqual([
      { repId: ids.rep, territoryId: hautsDeFrance, from: lastMonth.toISOString().slice(0, 10), to: "2026-11-15" },
      { repId: rouen, territoryId: normandie, from: "2026-11-15", to: null },
    ]);
    const lilleSees = await as("rep", `query($id: ID!) { organisation(id: $id) { id } }`, { id: orgGid(org.id) });
    expect(errorCodes(lilleSees)).toEqual(["NOT_FOUND"]);
  });

  it("create, edit with version (CONFLICT when stale), deactivate, re-parent with a cycle check; searchName follows", async () => {
    const created = await as("steward", CREATE, { input: { name: "SAS Établissements Œuvre", city: "Lille", postalCode: "59000", region: "Hauts-de-France" } });
    expect(created.errors).toBeUndefined();
    const org = created.data!.createOrganisation.organisation;
    expect(org).toMatchObject({ name: "SAS Établissements Œuvre", version: 1, status: "PROSPECT" });
    const id = uuidOf(org.id);
    expect((await t.database.prisma.organisation.findUniqueOrThrow({ where: { id } })).searchName).toBe(foldName("SAS Établissements Œuvre"));

    const updated = await as("steward", UPDATE, { input: { id: org.id, version: 1, name: "Œuvre & Cie" } });
    expect(updated.data!.updateOrganisation.organisation).toMatchObject({ name: "Œuvre & Cie", version: 2 });
    expect((await t.database.prisma.organisation.findUniqueOrThrow({ where: { id } })).searchName).toBe("uvre et");
    const stale = await as("steward", UPDATE, { input: { id: org.id, version: 1, name: "Too late" } });
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);

    const child = await as("head", CREATE, { input: { name: "Œuvre Lille", city: "Lille", parentId: org.id } });
    expect(child.data!.createOrganisation.organisation.parent).toEqual({ id: org.id });
    const cycle = await as("steward", MOVE, { input: { id: org.id, version: 2, parentId: child.data!.createOrganisation.organisation.id } });
    expect(errorCodes(cycle)).toEqual(["BAD_USER_INPUT"]);
    const self = await as("steward", MOVE, { input: { id: org.id, version: 2, parentId: org.id } });
    expect(errorCodes(self)).toEqual(["BAD_USER_INPUT"]);
    const group = await orgOf("Groupe Distrimax");
    const moved = await as("steward", MOVE, { input: { id: org.id, version: 2, parentId: orgGid(group.id) } });
    expect(moved.data!.moveOrganisation.organisation).toMatchObject({ version: 3, parent: { id: orgGid(group.id) } });

    const bad = await as("steward", DEACTIVATE, { input: { id: org.id, version: 3, status: "CLIENT" } });
    expect(errorCodes(bad)).toEqual(["BAD_USER_INPUT"]);
    const archived = await as("steward", DEACTIVATE, { input: { id: org.id, version: 3, status: "ARCHIVED" } });
    expect(archived.data!.deactivateOrganisation.organisation).toMatchObject({ status: "ARCHIVED", version: 4 });

    const events = await t.database.prisma.auditEvent.findMany({ where: { entity: "Organisation", entityId: id }, orderBy: { seq: "asc" } });
    // placing the new organisation changed who is in charge of it: the change feed's event, in the creation's transaction
    const creation = events.find((e) => e.action === "create")!;
    expect(events.filter((e) => e.action === "chargeChanged" && e.txid === creation.txid)).not.toEqual([]);
    const actions = events.filter((e) => e.action !== "chargeChanged").map((e) => e.action);
    expect(actions.slice(0, 2).sort()).toEqual(["assignByLocation", "create"]); // same transaction
    expect(actions[2]).toBe("update");
    // Re-parenting changes what ancestor rules match: the organisation is placed again, in the same transaction
    expect(actions.slice(3, 5).sort()).toEqual(["assignByLocation", "move"]);
    expect(actions.slice(5)).toEqual(["deactivate"]);
  });
});

describe("permissions on every new query and mutation", () => {
  const WHO = ["rep", "manager", "head", "steward", "partnerLeads", "partnerOther", "service"] as const;
  const fake = toGlobalId("OrganisationRequest", "00000000-0000-4000-8000-000000000000");
  const fakeOrg = orgGid("00000000-0000-4000-8000-000000000000");
  // An allowed caller gets past the rules: data, or a domain error other than FORBIDDEN.
  const cases: [string, string, Record<string, unknown>, readonly string[]][] = [
    ["organisationRequests", `query { organisationRequests(first: 1) { totalCount } }`, {}, ["rep", "manager", "head", "steward", "partnerLeads"]],
    ["organisationRequest", `query($id: ID!) { organisationRequest(id: $id) { id } }`, { id: fake }, ["rep", "manager", "head", "steward", "partnerLeads"]],
    ["findDuplicateOrganisations", `query { findDuplicateOrganisations(input: { name: "x" }) { score } }`, {}, ["head", "steward"]],
    ["auditEvents", `query { auditEvents(first: 1) { totalCount } }`, {}, ["head", "steward"]],
    ["requestOrganisation", `mutation { requestOrganisation(input: { kind: CREATE, fields: { name: "" } }) { organisationRequest { id } } }`, {}, ["rep", "manager", "partnerLeads"]],
    ["approveOrganisationRequest", `mutation($id: ID!) { approveOrganisationRequest(input: { id: $id, version: 1 }) { organisationRequest { id } } }`, { id: fake }, ["head", "steward"]],
    ["rejectOrganisationRequest", `mutation($id: ID!) { rejectOrganisationRequest(input: { id: $id, version: 1, reason: "r" }) { organisationRequest { id } } }`, { id: fake }, ["head", "steward"]],
    ["mergeOrganisations", `mutation($id: ID!) { mergeOrganisations(input: { sourceId: $id, targetId: $id }) { organisation { id } } }`, { id: fakeOrg }, ["head", "steward"]],
    ["refreshDuplicateCandidates", `mutation($id: ID!) { refreshDuplicateCandidates(id: $id) { organisationRequest { id } } }`, { id: fake }, ["head", "steward"]],
    ["createOrganisation", `mutation { createOrganisation(input: { name: "" }) { organisation { id } } }`, {}, ["head", "steward"]],
    ["updateOrganisation", `mutation($id: ID!) { updateOrganisation(input: { id: $id, version: 1 }) { organisation { id } } }`, { id: fakeOrg }, ["head", "steward"]],
    ["deactivateOrganisation", `mutation($id: ID!) { deactivateOrganisation(input: { id: $id, version: 1, status: ARCHIVED }) { organisation { id } } }`, { id: fakeOrg }, ["head", "steward"]],
    ["contactHygiene", `query { contactHygiene(issue: LEFT, first: 1) { totalCount } }`, {}, ["head", "steward"]],
    ["moveOrganisation", `mutation($id: ID!) { moveOrganisation(input: { id: $id, version: 1 }) { organisation { id } } }`, { id: fakeOrg }, ["head", "steward"]],
  ];
  it.each(cases)("%s", async (_name, query, variables, allowed) => {
    const auditBefore = await t.database.prisma.auditEvent.count();
    for (const who of WHO) {
      const response = await as(who, query, variables);
      const codes = errorCodes(response);
      if (allowed.includes(who)) expect(codes, who).not.toContain("FORBIDDEN");
      else expect(codes, who).toEqual(["FORBIDDEN"]);
    }
    const anonymous = await t.gql(query, variables);
    expect(errorCodes(anonymous)).toEqual(["UNAUTHENTICATED"]);
    expect(await t.database.prisma.auditEvent.count()).toBe(auditBefore);
  });

  it("a partner with leads:write files a request it alone (among partners) sees; a rep cannot see it", async () => {
    const filed = await t.gql<Data, Record<string, unknown>>(REQUEST, { input: { kind: "CREATE", fields: { name: "Partner Prospect", city: "Lille" } } }, tokens.partnerLeads);
    expect(filed.errors).toBeUndefined();
    const id = filed.data!.requestOrganisation.organisationRequest.id;
    const row = await t.database.prisma.organisationRequest.findUniqueOrThrow({ where: { id: uuidOf(id) } });
    expect(row.requestedByTokenJti).not.toBeNull();
    const own = await t.gql<Data, Record<string, unknown>>(MY_REQUESTS, {}, tokens.partnerLeads);
    expect(own.data!.organisationRequests.edges.map((e: Data) => e.node.id)).toEqual([id]);
    const rep = await as("rep", MY_REQUESTS);
    expect(rep.data!.organisationRequests.edges.map((e: Data) => e.node.id)).not.toContain(id);
  });
});

describe("audit trail", () => {
  it("head office and stewards read it with filters; no mutation can change it", async () => {
    const org = await as("steward", `mutation { createOrganisation(input: { name: "Audited Org", city: "Lille" }) { organisation { id } } }`);
    const id = org.data!.createOrganisation.organisation.id;
    const events = await as("head", `query($id: String!, $actor: ID!) { auditEvents(first: 10, filter: { entity: "Organisation", entityId: $id, actorId: $actor }) {
      totalCount edges { node { entity entityId action actor { email } after at } } } }`, { id, actor: toGlobalId("User", ids.steward!) });
    expect(events.errors).toBeUndefined();
    // the creation and its placement by location
    expect(events.data!.auditEvents.totalCount).toBe(2);
    expect(events.data!.auditEvents.edges.map((e: Data) => e.node.action).sort()).toEqual(["assignByLocation", "create"]);
    expect(events.data!.auditEvents.edges.find((e: Data) => e.node.action === "create").node).toMatchObject({ entity: "Organisation", entityId: uuidOf(id), action: "create", actor: { email: "data.steward@demo.test" }, after: { name: "Audited Org" } });
    const none = await as("head", `query($to: DateTime!) { auditEvents(first: 1, filter: { to: $to }) { totalCount } }`, { to: "2000-01-01T00:00:00Z" });
    expect(none.data!.auditEvents.totalCount).toBe(0);
    const schema = await as("head", `{ __schema { mutationType { fields { name } } } }`);
    const mutations: string[] = schema.data!.__schema.mutationType.fields.map((f: Data) => f.name);
    expect(mutations.filter((name) => /audit/i.test(name))).toEqual([]);
  });
});

describe("contact hygiene", () => {
  it("flags who left, invalid e-mails and phones, verification age; stewards list contacts per issue", async () => {
    const p = t.database.prisma;
    const org = await newOrganisation("Hygiene Org");
    const contact = await p.contact.create({
      data: { organisationId: org.id, firstName: "Old", lastName: "Timer", email: "bad@@x", phone: "call me", leftCompanyAt: new Date("2026-09-30"), lastVerifiedAt: new Date("2026-11-05") },
    });
    const fields = await as("steward", `query($id: ID!) { node(id: $id) { ... on Contact { hasLeft emailValid phoneValid verificationAgeDays } } }`, { id: toGlobalId("Contact", contact.id) });
    expect(fields.data!.node).toEqual({ hasLeft: true, emailValid: false, phoneValid: false, verificationAgeDays: 10 });

    const live = { organisation: { mergedIntoId: null } };
    const demoInvalid = await p.contact.count({ where: { ...live, email: { endsWith: "@invalid" } } });
    const invalid = await as("steward", `query { contactHygiene(issue: INVALID_EMAIL, first: 200) { totalCount edges { node { id email } } } }`);
    expect(invalid.data!.contactHygiene.totalCount).toBe(demoInvalid + 1);
    expect(invalid.data!.contactHygiene.edges.map((e: Data) => e.node.email)).toContain("bad@@x");
    const left = await as("steward", `query { contactHygiene(issue: LEFT, first: 1) { totalCount pageInfo { hasNextPage } } }`);
    expect(left.data!.contactHygiene.totalCount).toBe(await p.contact.count({ where: { ...live, leftCompanyAt: { not: null } } }));
    expect(left.data!.contactHygiene.pageInfo.hasNextPage).toBe(true);
    // People who left stay out of the default contact lists (targeting)
    const listed = await as("steward", `query($org: ID!) { contacts(first: 10, filter: { organisationId: $org }) { totalCount } }`, { org: orgGid(org.id) });
    expect(listed.data!.contacts.totalCount).toBe(0);
  });
});

describe("organisation timeline", () => {
  it("merges sources newest first, pages with a cursor, and shows each reader only the kinds whose entity it may read", async () => {
    const p = t.database.prisma;
    const org = await newOrganisation("Timeline Org", { postalCode: "59000" });
    await p.organisationAssignment.create({ data: { organisationId: org.id, repId: ids.rep!, validFrom: new Date("2025-01-01") } });
    const hdf = await p.territory.findUniqueOrThrow({ where: { name: "Hauts-de-France" } });
    await p.territoryMembership.create({ data: { organisationId: org.id, territoryId: hdf.id, validFrom: new Date("2025-01-01") } });
    const stage = await p.pipelineStage.findFirstOrThrow();
    const opportunity = await p.opportunity.create({ data: { organisationId: org.id, ownerId: ids.rep!, name: "Deal", stageId: stage.id, amount: "10.00", probability: 10 } });
    const at = (day: number) => new Date(Date.UTC(2026, 9, day, 12));
    await p.visit.create({ data: { organisationId: org.id, repId: ids.rep!, plannedAt: at(1) } });
    await p.opportunityStageChange.create({ data: { opportunityId: opportunity.id, toStageId: stage.id, amount: "10.00", probability: 10, at: at(2) } });
    await p.quote.create({ data: { opportunityId: opportunity.id, amount: "10.00", createdAt: at(3) } });
    await p.order.create({ data: { externalId: "TL-1", organisationId: org.id, orderedAt: at(4), amount: "5.00" } });
    await p.incident.create({ data: { externalId: "TL-INC", organisationId: org.id, kind: "QUALITY", openedAt: at(5), summary: "Broken" } });
    await p.task.create({ data: { kind: "CALL", title: "Call back", organisationId: org.id, createdAt: at(6) } });
    await p.note.create({ data: { organisationId: org.id, authorId: ids.rep!, body: "Nice", createdAt: at(7) } });
    await p.organisationRequest.create({ data: { kind: "UPDATE", requestedById: ids.rep!, organisationId: org.id, createdAt: at(8) } });
    const contact = await p.contact.create({ data: { organisationId: org.id, firstName: "Tim", lastName: "Line" } });
    await p.auditEvent.create({ data: { actorId: ids.rep!, entity: "Contact", entityId: contact.id, action: "update", at: at(9) } });

    const QUERY = `query($id: ID!, $after: String) { organisation(id: $id) { timeline(first: 4, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { kind at title subjectId actor { email } } } } } }`;
    const kindsOf = async (who: string) => {
      const kinds: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 5; i += 1) {
        const response: Awaited<ReturnType<typeof as>> = await as(who, QUERY, { id: orgGid(org.id), after });
        expect(response.errors).toBeUndefined();
        const timeline = response.data!.organisation.timeline;
        kinds.push(...timeline.edges.map((e: Data) => e.node.kind));
        if (!timeline.pageInfo.hasNextPage) break;
        after = timeline.pageInfo.endCursor;
      }
      return kinds;
    };
    // One query per visible source (two for contact changes), whatever the page size
    const statementsFor = async (first: number) =>
      (await as("rep", `query($id: ID!) { organisation(id: $id) { timeline(first: ${first}) { edges { node { kind } } } } }`, { id: orgGid(org.id) })).statements;
    expect(await statementsFor(200)).toBe(await statementsFor(1));
    // and a list of organisations asking for their timelines does not cost a query per organisation
    const listStatements = async (first: number) => {
      const response = await as("rep", `query { organisations(first: ${first}) { edges { node { timeline(first: 3) { edges { node { kind } } } } } } }`);
      expect(response.errors).toBeUndefined();
      return response.statements;
    };
    expect(await listStatements(100)).toBe(await listStatements(2));
    expect(await kindsOf("rep")).toEqual(["CONTACT_CHANGE", "ORGANISATION_REQUEST", "NOTE", "TASK", "INCIDENT", "ORDER", "QUOTE", "OPPORTUNITY_STAGE_CHANGE", "VISIT"]);
    // tasks, incidents and visits are the field's: neither stewards nor partners without visits:write read them
    expect(await kindsOf("steward")).toEqual(["CONTACT_CHANGE", "ORGANISATION_REQUEST", "NOTE"]);
    // organisation requests are read by those who file them (leads:write), not by these partners
    expect(await kindsOf("partnerOther")).toEqual(["CONTACT_CHANGE", "NOTE"]);
    expect(await kindsOf("partnerOpps")).toEqual(["CONTACT_CHANGE", "NOTE", "QUOTE", "OPPORTUNITY_STAGE_CHANGE"]);
  });
});
