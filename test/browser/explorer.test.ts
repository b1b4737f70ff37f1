// The API explorer in a real browser (Debian's chromium driven by playwright-core), offline: every request
// that does not go to this server is refused. A rep logs in through the page and runs a query in GraphiQL.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../src/demo/demo-company.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { startTestServer, type TestServer } from "../support/server.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = path.resolve("test-artifacts");
const REP = "rep.lyon@demo.test";
const QUERY = "{ organisations(first: 5) { edges { node { name } } } }";
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === "true";

if (!haveChromium && !inCi) {
  console.warn(`test/browser/explorer.test.ts: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

describe("browser available", () => {
  // in CI the browser test must run: a missing chromium fails instead of skipping
  it.runIf(inCi)(`${CHROMIUM} is installed (CI)`, () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: .ci/run installs it with apt-get`).toBe(true);
  });
});

describe.skipIf(!haveChromium)(`the API explorer in chromium${haveChromium ? "" : ` (skipped: ${CHROMIUM} is missing)`}`, () => {
  let t: TestServer;
  let origin: string;
  let context: BrowserContext;
  let userDataDir: string;
  const blocked: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, ["scripts/build-explorer.mjs"], { stdio: "inherit" });
    t = await startTestServer({ seedDemo: true });
    const port = await t.server.listen(0);
    origin = `http://127.0.0.1:${port}`;
    userDataDir = mkdtempSync(path.join(os.tmpdir(), "crm-explorer-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1400, height: 900 },
    });
    // offline: only this server answers
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === "127.0.0.1") return route.continue();
      blocked.push(url.href);
      return route.abort("internetdisconnected");
    });
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await t?.close();
  });

  it("a rep logs in on the page and runs a query through GraphiQL: the response pane shows the rep's organisations", async () => {
    const token = await t.login(REP);
    const expected = await t.gql<{ organisations: { edges: { node: { name: string } }[] } }, object>(QUERY, {}, token);
    const names = expected.data!.organisations.edges.map((e) => e.node.name);
    expect(names.length).toBeGreaterThan(0);

    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text().slice(0, 300));
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    // (messages cut short: a refused data: font would quote the whole font)
    const graphqlRequests: { login: boolean; authorization?: string }[] = [];
    page.on("request", (request) => {
      if (request.method() !== "POST" || new URL(request.url()).pathname !== "/graphql") return;
      graphqlRequests.push({ login: /\blogin\(/.test(request.postData() ?? ""), authorization: request.headers()["authorization"] });
    });

    await page.goto(`${origin}/graphql`);
    // the demo accounts are listed on the page
    await page.getByText("Demo users").click();
    await expect.poll(() => page.getByRole("button", { name: REP }).count()).toBe(1);

    await page.locator('input[name="email"]').fill(REP);
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("status").filter({ hasText: `Logged in as ${REP}` }).waitFor();

    // the query editor (Monaco): replace its content with the query, then run it
    const editor = page.locator(".graphiql-query-editor .monaco-editor").first();
    await editor.waitFor();
    await editor.click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(QUERY);
    await page.locator(".graphiql-execute-button").click();

    const responsePane = page.locator(".graphiql-response");
    const paneText = async () => ((await responsePane.innerText()) ?? "").replace(/\u00a0/g, " ");
    await expect.poll(paneText, { timeout: 60_000 }).toContain(names[0]);
    const shown = await paneText();
    for (const name of names) expect(shown).toContain(name);
    expect(shown).not.toContain("UNAUTHENTICATED");

    // the schema was introspected with the token: the documentation explorer lists the query fields
    await page.getByRole("button", { name: /Documentation Explorer/i }).click();
    const docs = page.locator(".graphiql-doc-explorer");
    await docs.getByText("Query", { exact: true }).first().click();
    await docs.getByText("organisations", { exact: true }).first().waitFor();

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "explorer.png") });

    // every GraphQL request after the login carried the token (introspection included)
    const afterLogin = graphqlRequests.slice(graphqlRequests.findIndex((r) => r.login) + 1);
    expect(afterLogin.length).toBeGreaterThan(1);
    expect(afterLogin.map((r) => r.authorization)).toEqual(afterLogin.map(() => `Bearer ${afterLogin[0].authorization?.slice(7)}`));
    expect(afterLogin[0].authorization).toMatch(/^Bearer \S+/);
    expect(blocked).toEqual([]);
    console.info(`explorer page: ${graphqlRequests.length} GraphQL requests, console errors: ${JSON.stringify(consoleErrors)}`);
    expect(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
  });

  it("a subscription run in GraphiQL goes over WebSocket with the token and shows a change made meanwhile", async () => {
    const token = await t.login(REP);
    const cursor = (await t.gql<{ changesCursor: string }, object>("{ changesCursor }", {}, token)).data!.changesCursor;
    const page = context.pages()[0]!;
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(new URL(socket.url()).pathname));
    const editor = page.locator(".graphiql-query-editor .monaco-editor").first();
    await editor.click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(`subscription { changes(after: "${cursor}") { changes { entity node { id ... on Contact { jobTitle } } } } }`);
    await page.locator(".graphiql-execute-button").click();
    await expect.poll(() => sockets.length, { timeout: 60_000 }).toBe(1);

    const contact = await t.database.prisma.contact.findFirstOrThrow({
      where: { organisation: { mergedIntoId: null, assignments: { some: { rep: { email: REP }, validTo: null } } } },
      orderBy: { id: "asc" },
    });
    const updated = await t.gql(
      `mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } } }`,
      { input: { id: toGlobalId("Contact", contact.id), version: contact.version, jobTitle: "Vu dans l'explorateur" } },
      token,
    );
    expect(updated.errors).toBeUndefined();
    const responsePane = page.locator(".graphiql-response");
    await expect.poll(async () => (await responsePane.innerText()).replace(/\u00a0/g, " "), { timeout: 60_000 }).toContain("Vu dans l'explorateur");
    expect(sockets).toEqual(["/graphql"]);
    await page.screenshot({ path: path.join(ARTIFACTS, "explorer-subscription.png") });
    expect(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
  });
});
