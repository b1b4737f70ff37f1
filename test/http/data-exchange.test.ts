// CSV import and export, bulk upserts: the import goes through the entity's mutation (rules, validation,
// duplicate rules of the stewards), the export through the entity's list (row scope, field rules).
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.js";
import { createServer } from "../../src/app/server.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { principalTokens, type PrincipalSpec } from "../support/principals.js";
import { startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
let steward: string;
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);

async function issue(input: Record<string, unknown>): Promise<string> {
  const response = await gql(`mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`, { input }, await t.login("head.office@demo.test"));
  return response.data!.issueApiToken.token;
}

function postCsv(path: string, csv: string, token?: string) {
  const request = t.http.post(path).set("content-type", "text/csv").buffer(true).parse((res, done) => {
    let text = "";
    res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    res.on("end", () => done(null, text));
  });
  if (token) request.set("authorization", `Bearer ${token}`);
  return request.send(csv).then((response) => ({ status: response.status, body: JSON.parse(response.body as string) as Data }));
}

function getCsv(path: string, token?: string) {
  const request = t.http.get(path).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => done(null, Buffer.concat(chunks)));
  });
  if (token) request.set("authorization", `Bearer ${token}`);
  return request.then((response) => ({ status: response.status, raw: response.body as Buffer, headers: response.headers }));
}

/** A name no other organisation resembles (random letters: trigram similarity far below the stewards' thresholds). */
let named = 0;
function nonsenseName(): string {
  const letters = "bcdfghjklmnpqrstvwxz";
  const vowels = "aeiouy";
  const bytes = createHash("sha256").update(`name ${(named += 1)}`).digest();
  let name = "";
  for (let i = 0; i < 14; i += 1) name += i % 2 ? vowels[bytes[i]! % vowels.length] : letters[bytes[i]! % letters.length];
  return name[0]!.toUpperCase() + name.slice(1);
}

beforeAll(async () => {
  t = await startTestServer();
  steward = await t.login("data.steward@demo.test");
});
afterAll(() => t?.close());

// 1 000 rows through the duplicate rules, row by row: minutes on a loaded embedded database
describe("POST /import/organisations", { timeout: 300_000 }, () => {
  const lines: string[] = [];
  const lookAlikeLines: number[] = [];
  let existingBefore: number;

  beforeAll(async () => {
    const existing = await t.database.prisma.organisation.findMany({ where: { mergedIntoId: null, postalCode: { not: null } }, orderBy: { id: "asc" }, take: 5 });
    lines.push("externalId,name,postalCode,city,email,segment");
    for (let i = 0; i < 1000; i += 1) {
      const line = i + 2;
      const look = existing[i % 200 === 17 ? (i - 17) / 200 : -1];
      if (look) {
        lookAlikeLines.push(line);
        lines.push(`ERP-${i},"${look.name}",${look.postalCode},"${look.city ?? ""}",,`);
      } else if (i === 100) lines.push(`ERP-${i},${nonsenseName()},59000,Lille,not-an-email,GOLD`);
      else if (i === 400) lines.push(`ERP-${i},${nonsenseName()},59000,Lille,,PLATINUM`);
      else if (i === 900) lines.push(`ERP-${i},,59000,Lille,,`);
      else lines.push(`ERP-${i},${nonsenseName()},${59000 + (i % 90)},Lille,,${i % 3 ? "SILVER" : ""}`);
    }
    existingBefore = await t.database.prisma.organisation.count();
  });

  const csv = () => lines.join("\n") + "\n";
  const badLines = (body: Data) => body.rows.filter((r: Data) => r.status === "REJECTED").map((r: Data) => ({ line: r.line, fields: r.errors.map((e: Data) => e.field) }));
  const EXPECTED_BAD = [
    { line: 102, fields: ["email"] },
    { line: 402, fields: ["segment"] },
    { line: 902, fields: ["name"] },
  ];

  it("allOrNone: the report names the 3 bad lines and their fields, and nothing is written", async () => {
    const requestsBefore = await t.database.prisma.organisationRequest.count();
    const { status, body } = await postCsv("/import/organisations?allOrNone=true", csv(), steward);
    expect(status).toBe(200);
    expect(badLines(body)).toEqual(EXPECTED_BAD);
    expect(body.summary).toMatchObject({ rows: 1000, rejected: 3, committed: false });
    expect(await t.database.prisma.organisation.count()).toBe(existingBefore);
    expect(await t.database.prisma.organisationRequest.count()).toBe(requestsBefore);
  });

  it("without allOrNone: 992 created, the 5 look-alikes queued for the stewards, the 3 bad lines reported", async () => {
    const { status, body } = await postCsv("/import/organisations", csv(), steward);
    expect(status).toBe(200);
    expect(body.summary).toEqual({ rows: 1000, created: 992, updated: 0, unchanged: 0, duplicateCandidates: 5, conflicts: 0, rejected: 3, committed: true });
    expect(badLines(body)).toEqual(EXPECTED_BAD);
    expect(body.rows.filter((r: Data) => r.status === "DUPLICATE_CANDIDATE").map((r: Data) => r.line)).toEqual(lookAlikeLines);
    expect(body.rows[0]).toMatchObject({ line: 2, externalId: "ERP-0", status: "CREATED" });
    expect(await t.database.prisma.organisation.count()).toBe(existingBefore + 992);

    // the look-alikes are creation requests in the stewards' queue, each with its candidate organisation
    const queue = await gql(
      `{ organisationRequests(first: 200, filter: { status: [PENDING], kind: [CREATE] }) { edges { node { id duplicateCandidates { organisation { id } } } } } }`,
      {},
      steward,
    );
    expect(queue.errors).toBeUndefined();
    const ids = new Set(body.rows.filter((r: Data) => r.status === "DUPLICATE_CANDIDATE").map((r: Data) => r.id));
    const queued = queue.data!.organisationRequests.edges.filter((e: Data) => ids.has(e.node.id));
    expect(queued).toHaveLength(5);
    for (const request of queued) expect(request.node.duplicateCandidates.length).toBeGreaterThan(0);
  });

  it("sent again: 0 created, the rest UNCHANGED, the look-alikes still the same 5 requests", async () => {
    const requestsBefore = await t.database.prisma.organisationRequest.count();
    const { body } = await postCsv("/import/organisations", csv(), steward);
    expect(body.summary).toMatchObject({ created: 0, updated: 0, unchanged: 992, duplicateCandidates: 5, rejected: 3 });
    expect(await t.database.prisma.organisation.count()).toBe(existingBefore + 992);
    expect(await t.database.prisma.organisationRequest.count()).toBe(requestsBefore);
  });

  it("a changed row is UPDATED (audited); dryRun reports it and writes nothing", async () => {
    const file = "externalId;name;segment\nERP-1;Renamed Quincaillerie Zyx;GOLD\n";
    const dry = await postCsv("/import/organisations?dryRun=true&separator=%3B", file, steward);
    expect(dry.body.rows).toEqual([expect.objectContaining({ line: 2, status: "UPDATED" })]);
    expect(dry.body.summary.committed).toBe(false);
    expect((await t.database.prisma.organisation.findUnique({ where: { externalId: "ERP-1" } }))!.segment).not.toBe("GOLD");
    const real = await postCsv("/import/organisations?separator=%3B", file, steward);
    expect(real.body.summary).toMatchObject({ updated: 1, committed: true });
    const stored = await t.database.prisma.organisation.findUnique({ where: { externalId: "ERP-1" } });
    expect(stored).toMatchObject({ name: "Renamed Quincaillerie Zyx", segment: "GOLD" });
    expect(await t.database.prisma.auditEvent.count({ where: { entity: "Organisation", entityId: stored!.id, action: "import" } })).toBe(1);
  });

  it("refuses unknown columns by name, and whoever may not write the referential", async () => {
    const unknown = await postCsv("/import/organisations", "externalId,name,turnover,colour\nX,Y,1,red\n", steward);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", columns: ["turnover", "colour"] });
    const rep = await postCsv("/import/organisations", "externalId,name\nX,Y\n", await t.login("rep.lille@demo.test"));
    expect(rep.status).toBe(403);
    const anonymous = await postCsv("/import/organisations", "externalId,name\nX,Y\n");
    expect(anonymous.status).toBe(401);
    const readOnly = await postCsv("/import/organisations", "externalId,name\nX,Y\n", await issue({ kind: "SERVICE", name: "reader", scopes: ["export:read"] }));
    expect(readOnly.status).toBe(403);
  });

  it("two new rows of one file that look alike: the first is created, the second queued with it as candidate", async () => {
    const name = nonsenseName();
    const typo = `${name.slice(0, -1)}${name.endsWith("a") ? "e" : "a"}`;
    const file = `externalId,name,postalCode,city\nTWIN-1,${name} Ferronnerie,44000,Nantes\nTWIN-2,${nonsenseName()},44000,Nantes\nTWIN-3,${typo} Ferronnerie,44000,Nantes\n`;
    const { body } = await postCsv("/import/organisations", file, steward);
    expect(body.rows.map((r: Data) => r.status)).toEqual(["CREATED", "CREATED", "DUPLICATE_CANDIDATE"]);
    const request = await gql(`query($id: ID!) { node(id: $id) { ... on OrganisationRequest { duplicateCandidates { organisation { id } } } } }`, { id: body.rows[2].id }, steward);
    expect(request.data!.node.duplicateCandidates.map((c: Data) => c.organisation.id)).toEqual([body.rows[0].id]);
    // sent again: the twin finds its own request, nothing more is created
    const again = await postCsv("/import/organisations", file, steward);
    expect(again.body.rows.map((r: Data) => [r.status, r.id])).toEqual([["UNCHANGED", body.rows[0].id], ["UNCHANGED", body.rows[1].id], ["DUPLICATE_CANDIDATE", body.rows[2].id]]);
  });

  it("the trigram indexes the lookups read take new rows at insert time: no pending list for every lookup to read", async () => {
    // with GIN's fast update each lookup of a large import read the rows inserted since the last vacuum (see the migration)
    const options = await t.database.prisma.$queryRaw<{ index: string; options: string[] | null }[]>`
      SELECT c.relname AS index, c.reloptions AS options FROM pg_class c
      WHERE c.relname IN ('Organisation_searchName_idx', 'OrganisationRequest_searchName_idx')`;
    expect(options.sort((a, b) => (a.index < b.index ? -1 : 1))).toEqual([
      { index: "OrganisationRequest_searchName_idx", options: ["fastupdate=off"] },
      { index: "Organisation_searchName_idx", options: ["fastupdate=off"] },
    ]);
  });
});

describe("contacts and orders by CSV, bulk upserts", () => {
  it("contacts: created on an organisation named by external id, UNCHANGED when re-sent, UPDATED when changed", async () => {
    const token = await issue({ kind: "SERVICE", name: "crm sync", scopes: ["organisations:import", "contacts:import"] });
    const orgs = await gql(
      `mutation($input: UpsertOrganisationsInput!) { upsertOrganisations(input: $input) { created committed results { status id } } }`,
      { input: { rows: [{ externalId: "CRM-ORG-1", name: "Wixolabu Tryfena", postalCode: "69001", city: "Lyon" }] } },
      token,
    );
    expect(orgs.errors).toBeUndefined();
    expect(orgs.data!.upsertOrganisations).toMatchObject({ created: 1, committed: true });
    const file = "externalId,organisationExternalId,firstName,lastName,email,roles,isPrimary\nC-1,CRM-ORG-1,Anna,Zyx,anna@wixolabu.fr,BUYER|DECISION_MAKER,true\nC-2,CRM-ORG-1,Bob,Qwv,,,no\n";
    const first = await postCsv("/import/contacts", file, token);
    expect(first.body.rows.map((r: Data) => [r.line, r.status, r.errors.map((e: Data) => e.field)])).toEqual([
      [2, "CREATED", []],
      [3, "REJECTED", ["isPrimary"]],
    ]);
    const again = await postCsv("/import/contacts", file.replace(",no\n", ",false\n"), token);
    expect(again.body.rows.map((r: Data) => r.status)).toEqual(["UNCHANGED", "CREATED"]);
    const changed = await postCsv("/import/contacts", "externalId,jobTitle\nC-1,Buyer\n", token);
    expect(changed.body.rows[0].status).toBe("UPDATED");
    const read = await gql(`query($id: ID!) { node(id: $id) { ... on Contact { externalId jobTitle roles isPrimary } } }`, { id: changed.body.rows[0].id }, token);
    expect(read.data!.node).toEqual({ externalId: "C-1", jobTitle: "Buyer", roles: ["BUYER", "DECISION_MAKER"], isPrimary: true });
  });

  it("bulk upsert with allOrNone: one bad row, nothing written, committed false", async () => {
    const token = await issue({ kind: "SERVICE", name: "crm sync 2", scopes: ["organisations:import"] });
    const response = await gql(
      `mutation($input: UpsertOrganisationsInput!) { upsertOrganisations(input: $input) { created rejected committed results { status errors { field } } } }`,
      { input: { allOrNone: true, rows: [{ externalId: "AON-1", name: "Qezupagi Lomavo", city: "Lyon" }, { externalId: "AON-2", name: "Vyxo", email: "nope" }] } },
      token,
    );
    expect(response.data!.upsertOrganisations).toMatchObject({ rejected: 1, committed: false, results: [{ status: "CREATED" }, { status: "REJECTED", errors: [{ field: "email" }] }] });
    expect(await t.database.prisma.organisation.count({ where: { externalId: { in: ["AON-1", "AON-2"] } } })).toBe(0);
  });

  it("orders: an ERP script imports a CSV and reads the orders back from the export", async () => {
    const token = await issue({ kind: "SERVICE", name: "erp", scopes: ["orders:import"] });
    const organisation = await t.database.prisma.organisation.findFirstOrThrow({ where: { mergedIntoId: null }, orderBy: { id: "asc" } });
    const global = toGlobalId("Organisation", organisation.id);
    const file = `externalId,organisationId,orderedAt,amount\nCSV-ORD-1,${global},2026-10-01,1250.50\nCSV-ORD-2,${global},2026-10-02,12;5\n`;
    const imported = await postCsv("/import/orders", file, token);
    expect(imported.body.rows.map((r: Data) => [r.status, r.errors.map((e: Data) => e.field)])).toEqual([["CREATED", []], ["REJECTED", ["amount"]]]);
    const exported = await getCsv(`/export/orders.csv?organisationId=${encodeURIComponent(global)}`, token);
    expect(exported.status).toBe(200);
    const rows = parse(exported.raw, { columns: true }) as Data[];
    expect(rows.find((r) => r.externalId === "CSV-ORD-1")).toMatchObject({ amount: "1250.50", orderedAt: "2026-10-01" });
  });
});

// ───────────── Export: the list, row for row, for every principal ─────────────

const PRINCIPALS: Record<string, PrincipalSpec> = {
  rep: { login: "rep.lille@demo.test" },
  manager: { login: "manager.north@demo.test" },
  headOffice: { login: "head.office@demo.test" },
  steward: { login: "data.steward@demo.test" },
  service: { service: ["export:read"] },
  partner: { partner: ["organisations:read", "contacts:read", "opportunities:read", "visits:write"], organisationIds: [] },
};
const ENTITIES = ["organisations", "contacts", "opportunities", "quotes", "orders", "invoices", "visits", "tasks"] as const;

/** The GraphQL selection of CSV columns (address.city → address { city }). */
function selectionOf(columns: string[]): string {
  const nested = new Map<string, string[]>();
  const leaves: string[] = [];
  for (const column of columns) {
    const [head, leaf] = column.split(".");
    if (leaf) nested.set(head!, [...(nested.get(head!) ?? []), leaf]);
    else leaves.push(head!);
  }
  return [...leaves, ...[...nested].map(([head, fields]) => `${head} { ${fields.join(" ")} }`)].join(" ");
}

const asCell = (value: unknown): string => (value == null ? "" : Array.isArray(value) ? value.join("|") : typeof value === "object" ? JSON.stringify(value) : String(value));

describe("GET /export/<entity>.csv", () => {
  let tokens: Map<string, string | undefined>;
  beforeAll(async () => {
    const organisations = await t.database.prisma.organisation.findMany({ where: { mergedIntoId: null }, orderBy: { id: "asc" }, take: 3 });
    PRINCIPALS.partner = { ...(PRINCIPALS.partner as { partner: string[] }), organisationIds: organisations.map((o) => toGlobalId("Organisation", o.id)) };
    tokens = await principalTokens(t, PRINCIPALS);
  });

  for (const principal of Object.keys(PRINCIPALS)) {
    for (const entity of ENTITIES) {
      it(`${principal}: ${entity}.csv is the ${entity} list, row for row, with only readable columns`, async () => {
        const token = tokens.get(principal);
        const exported = await getCsv(`/export/${entity}.csv`, token);
        const probe = await gql(`{ ${entity}(first: 1) { edges { node { id } } } }`, {}, token);
        if (probe.errors?.length) {
          expect(exported.status).toBe(probe.errors[0]!.extensions!.code === "UNAUTHENTICATED" ? 401 : 403);
          return;
        }
        expect(exported.status).toBe(200);
        const [header, ...rows] = parse(exported.raw) as string[][];
        expect(header!.length).toBeGreaterThan(0);
        // every column is one the principal may ask of the list: the same query with them is answered in full
        const listed: string[][] = [];
        let after: string | null = null;
        for (;;) {
          const page: Awaited<ReturnType<typeof gql>> = await gql(
            `query($after: String) { ${entity}(first: 200, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${selectionOf(header!)} } } } }`,
            { after },
            token,
          );
          expect(page.errors).toBeUndefined();
          for (const { node } of page.data![entity].edges) listed.push(header!.map((column) => asCell(column.split(".").reduce<any>((value, key) => value?.[key], node))));
          if (!page.data![entity].pageInfo.hasNextPage) break;
          after = page.data![entity].pageInfo.endCursor;
        }
        expect(rows).toEqual(listed);
        if (principal === "steward") expect(header!.filter((column) => /amount|revenue|value/i.test(column))).toEqual([]);
      });
    }
  }

  it("a partner's organisations are its restriction; a steward's have no commercial column", async () => {
    const partner = parse((await getCsv("/export/organisations.csv", tokens.get("partner"))).raw, { columns: true }) as Data[];
    expect(partner).toHaveLength(3);
    const stewardHeader = (parse((await getCsv("/export/organisations.csv", tokens.get("steward"))).raw) as string[][])[0]!;
    const headOfficeHeader = (parse((await getCsv("/export/organisations.csv", tokens.get("headOffice"))).raw) as string[][])[0]!;
    expect(headOfficeHeader.length).toBeGreaterThanOrEqual(stewardHeader.length);
  });

  it("filters are the list's filter; unknown parameters are refused; BOM and ; for spreadsheets", async () => {
    const token = tokens.get("headOffice");
    const filtered = parse((await getCsv("/export/organisations.csv?segment=GOLD", token)).raw, { columns: true }) as Data[];
    const listed = await gql(`{ organisations(first: 1, filter: { segment: [GOLD] }) { totalCount } }`, {}, token);
    expect(filtered).toHaveLength(listed.data!.organisations.totalCount);
    expect(new Set(filtered.map((r) => r.segment))).toEqual(new Set(["GOLD"]));
    const unknown = await getCsv("/export/organisations.csv?colour=red", token);
    expect(unknown.status).toBe(400);
    const french = await getCsv("/export/contacts.csv?bom=true&separator=%3B", token);
    expect([...french.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(french.raw.toString("utf8").split("\n")[0]).toContain(";");
    expect((await getCsv("/export/contacts.csv")).status).toBe(401);
  });
});

describe("an upload over IMPORT_MAX_BYTES", () => {
  it("is refused with 413 before any row is written, leaves no temporary file, and a smaller one is imported", async () => {
    const capped = await createServer({ config: { ...t.config, IMPORT_MAX_BYTES: 4096 }, database: t.database, logger: createLogger("silent"), keyRing: t.keyRing, clock: () => t.clock.now });
    const spools = async () => (await readdir(tmpdir())).filter((name) => name.startsWith("crm-import-")).length;
    const imported = () => t.database.prisma.organisation.count({ where: { externalId: { startsWith: "CAP-" } } });
    try {
      const port = await capped.listen(0);
      const post = (csv: string) =>
        fetch(`http://127.0.0.1:${port}/import/organisations`, { method: "POST", headers: { "content-type": "text/csv", authorization: `Bearer ${steward}` }, body: csv });
      const spoolsBefore = await spools();
      const large = ["externalId,name,postalCode,city", ...Array.from({ length: 400 }, (_, i) => `CAP-${i},${nonsenseName()},59000,Lille`)].join("\n");
      expect(Buffer.byteLength(large)).toBeGreaterThan(4096);
      const refused = await post(large);
      expect(refused.status).toBe(413);
      expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: "QUERY_TOO_COMPLEX", limit: "upload", max: 4096 } }] });
      expect(await imported()).toBe(0);
      expect(await spools()).toBe(spoolsBefore);

      const small = ["externalId,name,postalCode,city", ...Array.from({ length: 3 }, (_, i) => `CAP-${i},${nonsenseName()},59000,Lille`)].join("\n");
      const accepted = await post(small);
      expect(accepted.status).toBe(200);
      expect(((await accepted.json()) as Data).summary).toMatchObject({ rows: 3, created: 3, committed: true });
      expect(await imported()).toBe(3);
      expect(await spools()).toBe(spoolsBefore);
    } finally {
      await capped.stop();
    }
  });
});
