// GraphQL subscriptions to the change feed over WebSocket (graphql-ws): each subscriber gets exactly what the
// `changes` query gives it from the same cursor (one scope, one set of field rules), woken by the notice a
// committed mutation sends — in memory on one instance, through Redis across two. The poll interval is an
// hour here, so a page can only have come from a notice. Refusals: no or bad token, a query over the socket,
// the HTTP limits, a bad cursor; a token revoked meanwhile ends the subscription.
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { createClient, type Client } from "graphql-ws";
import type { FormattedExecutionResult } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createLogger } from "../../src/app/logger.js";
import { createServer, type AppServer } from "../../src/app/server.js";
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from "../../src/app/subscriptions.js";
import { loadConfig } from "../../src/config/config.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { contactInPortfolio, customerWithOpenDeal } from "../support/portfolio.js";
import { principalTokens } from "../support/principals.js";
import { connectTestRedis, releaseTestRedis } from "../support/redis.js";
import { startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
const QUIET = { SUBSCRIPTION_POLL_MS: "3600000" };
const SELECTION = `cursor hasMore changes { kind entity id action version changedFields removal { reason }
  node { id ... on Contact { firstName lastName jobTitle } ... on Opportunity { name amount } } }`;
const SUBSCRIBE = `subscription($after: String) { changes(after: $after) { ${SELECTION} } }`;
const QUERY = `query($after: String!) { changes(after: $after, first: 500) { ${SELECTION} } }`;
const UPDATE_CONTACT = `mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id version } } }`;
/** a guard against a hang (a notice that never came), not a speed check */
const HANG_MS = 60_000;

const clients: Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
});

function connect(port: number, token: string | undefined): Client {
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

/** The next event of a subscription (its result, or what ended it: an error list or a close event). */
async function nextEvent(events: AsyncIterator<FormattedExecutionResult<Data, unknown>>): Promise<FormattedExecutionResult<Data, unknown>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no event within ${HANG_MS} ms`)), HANG_MS)));
  try {
    const step = await Promise.race([events.next(), hang]);
    if (step.done) throw new Error("the subscription completed");
    return step.value;
  } finally {
    clearTimeout(timer);
  }
}

/** Subscription pages until they hold as many changes as `expected` (a wrong page shows as a difference). */
async function collect(events: AsyncIterator<FormattedExecutionResult<Data, unknown>>, expected: number): Promise<Data[]> {
  const changes: Data[] = [];
  while (changes.length < expected) {
    const event = await nextEvent(events);
    expect(event.errors).toBeUndefined();
    expect(event.data!.changes.changes.length).toBeGreaterThan(0); // an empty page is never sent
    changes.push(...event.data!.changes.changes);
  }
  return changes;
}

/** What an ended subscription reported: its error codes, or the close code of a refused connection. */
async function refusal(events: AsyncIterator<FormattedExecutionResult<Data, unknown>>): Promise<string[] | number> {
  try {
    const event = await nextEvent(events);
    return (event.errors ?? []).map((error) => String(error.extensions?.code));
  } catch (error) {
    if (Array.isArray(error)) return error.map((e: { extensions?: { code?: string } }) => String(e.extensions?.code));
    if (typeof (error as { code?: unknown }).code === "number") return (error as { code: number }).code;
    throw error;
  }
}

describe("one instance", () => {
  let t: TestServer;
  let port: number;
  let tokens: Map<string, string | undefined>;
  const db = () => t.database.prisma;

  async function cursorOf(token: string | undefined): Promise<string> {
    const response = await t.gql<Data, Record<string, unknown>>(`{ changesCursor }`, {}, token);
    expect(response.errors).toBeUndefined();
    return response.data!.changesCursor;
  }

  async function queried(token: string | undefined, after: string): Promise<Data[]> {
    const response = await t.gql<Data, Record<string, unknown>>(QUERY, { after }, token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.changes.hasMore).toBe(false);
    return response.data!.changes.changes;
  }

  const contactOf = (repEmail: string) => contactInPortfolio(db(), repEmail);

  async function retitle(contactId: string, jobTitle: string, token: string | undefined) {
    const current = await db().contact.findUniqueOrThrow({ where: { id: contactId } });
    const response = await t.gql<Data, Record<string, unknown>>(UPDATE_CONTACT, { input: { id: toGlobalId("Contact", contactId), version: current.version, jobTitle } }, token);
    expect(response.errors).toBeUndefined();
  }

  let partnerOrg: string;
  beforeAll(async () => {
    t = await startTestServer({ env: QUIET });
    port = await t.server.listen(0);
    partnerOrg = (await customerWithOpenDeal(db(), "rep.lille@demo.test")).id;
    tokens = await principalTokens(t, {
      "rep lille": { login: "rep.lille@demo.test" },
      "rep lyon": { login: "rep.lyon@demo.test" },
      "data steward": { login: "data.steward@demo.test" },
      "head office": { login: "head.office@demo.test" },
      partner: { partner: ["contacts:read", "opportunities:read"], organisationIds: [toGlobalId("Organisation", partnerOrg)] },
    });
  });
  afterAll(async () => t?.close());

  it("a rep receives what the changes query gives it from the same cursor, and never another rep's change", async () => {
    const lille = tokens.get("rep lille");
    const after = await cursorOf(lille);
    const events = connect(port, lille).iterate<Data>({ query: SUBSCRIBE, variables: { after } });
    const [theirs, mine] = [await contactOf("rep.lyon@demo.test"), await contactOf("rep.lille@demo.test")];
    await retitle(theirs.id, "Directeur des achats", tokens.get("rep lyon"));
    await retitle(mine.id, "Acheteuse", tokens.get("data steward"));
    const expected = await queried(lille, after);
    expect(expected.map((change) => [change.entity, change.id, change.node.jobTitle])).toEqual([["Contact", toGlobalId("Contact", mine.id), "Acheteuse"]]);
    expect(await collect(events, expected.length)).toEqual(expected);
    await events.return?.();
  });

  it("a partner token and a data steward get their own feed — the restriction, no amounts — as the query does", async () => {
    const readers = ["partner", "data steward", "head office"] as const;
    const cursors = new Map<string, string>();
    const streams = new Map<string, AsyncIterator<FormattedExecutionResult<Data, unknown>>>();
    for (const reader of readers) {
      const after = await cursorOf(tokens.get(reader));
      cursors.set(reader, after);
      streams.set(reader, connect(port, tokens.get(reader)).iterate<Data>({ query: SUBSCRIBE, variables: { after } }));
    }
    const inside = await db().contact.findFirstOrThrow({ where: { organisationId: partnerOrg }, orderBy: { id: "asc" } });
    await retitle(inside.id, "Responsable magasin", tokens.get("rep lille"));
    await retitle((await contactOf("rep.lyon@demo.test")).id, "Gérant", tokens.get("rep lyon"));
    const opportunity = await db().opportunity.findFirstOrThrow({ where: { organisationId: partnerOrg, status: "OPEN" }, orderBy: { id: "asc" } });
    const renamed = await t.gql<Data, Record<string, unknown>>(
      `mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id } } }`,
      { input: { id: toGlobalId("Opportunity", opportunity.id), version: opportunity.version, name: `${opportunity.name} (bis)` } },
      tokens.get("rep lille"),
    );
    expect(renamed.errors).toBeUndefined();

    const expected = new Map<string, Data[]>();
    for (const reader of readers) expected.set(reader, await queried(tokens.get(reader), cursors.get(reader)!));
    expect(expected.get("partner")!.map((c) => c.entity).sort()).toEqual(["Contact", "Opportunity"]);
    expect(expected.get("data steward")!.map((c) => c.entity)).toEqual(["Contact", "Contact"]);
    expect(expected.get("head office")!.map((c) => c.entity).sort()).toEqual(["Contact", "Contact", "Opportunity"]);
    for (const reader of readers) {
      const received = await collect(streams.get(reader)!, expected.get(reader)!.length);
      expect(received).toEqual(expected.get(reader));
      await streams.get(reader)!.return?.();
    }
  });

  it("over HTTP, a subscription is told where it is served", async () => {
    const response = await t.gql(`subscription { changes { cursor } }`, {}, tokens.get("head office"));
    expect(response.status).toBe(400);
    expect(response.errors!.map((error) => [error.extensions?.code, error.message])).toEqual([["BAD_REQUEST", expect.stringMatching(/WebSocket at \/graphql/)]]);
  });

  it("refuses a connection without a valid token (4403 Forbidden)", async () => {
    expect(await refusal(connect(port, undefined).iterate({ query: SUBSCRIBE }))).toBe(4403);
    expect(await refusal(connect(port, "not.a.token").iterate({ query: SUBSCRIBE }))).toBe(4403);
  });

  it("serves only subscriptions, within the HTTP limits, and names a bad argument", async () => {
    const token = tokens.get("head office");
    const ask = async (query: string, variables?: Record<string, unknown>) => refusal(connect(port, token).iterate({ query, variables }));
    expect(await ask(`{ me { email } }`)).toEqual(["BAD_REQUEST"]);
    expect(await ask(`subscription { changes { cursor nope } }`)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(await ask(`subscription { changes { cursor `)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    const deep = `subscription { changes { changes { node { ... on Contact { organisation { ${"parent { ".repeat(t.config.MAX_QUERY_DEPTH)} name ${"} ".repeat(t.config.MAX_QUERY_DEPTH)} } } } } } }`;
    expect(await ask(deep)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(await ask(SUBSCRIBE, { after: "not-a-cursor" })).toEqual(["BAD_USER_INPUT"]);
    expect(await ask(`subscription { changes(entities: ["Nope\u0000"]) { cursor } }`)).toEqual(["BAD_USER_INPUT"]);
  });

  it("runs at most MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions on one connection, and a stopped one frees its place at once", async () => {
    const token = tokens.get("head office");
    const after = await cursorOf(token);
    await retitle((await contactOf("rep.lille@demo.test")).id, "Acheteur régional", tokens.get("rep lille"));
    const client = connect(port, token);
    // from that cursor each subscription has a page at once: receiving it shows the subscription runs
    const start = async () => {
      const events = client.iterate<Data>({ query: SUBSCRIBE, variables: { after } });
      // a refusal before the subscription starts comes as the iterator's error (a list of GraphQL errors)
      const first = await nextEvent(events).catch((errors: FormattedExecutionResult<Data, unknown>["errors"]) => ({ errors }));
      return { events, first };
    };
    const running = [];
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_CONNECTION; i++) {
      const started = await start();
      expect(started.first.errors).toBeUndefined();
      running.push(started.events);
    }
    const refused = await start();
    expect(refused.first.errors?.map((error) => [error.extensions?.code, error.extensions?.limit])).toEqual([["QUERY_TOO_COMPLEX", "subscriptions"]]);
    // stopped while waiting for a notice (the poll is an hour away): its place is free again
    await running.pop()!.return?.();
    let accepted = false;
    for (let attempt = 0; attempt < 50 && !accepted; attempt++) {
      const next = await start();
      accepted = next.first.errors === undefined;
      if (accepted) running.push(next.events);
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(accepted).toBe(true);
    await Promise.all(running.map((events) => events.return?.()));
  });

  it("ends with UNAUTHENTICATED at the next change once its token is revoked", async () => {
    const headOffice = tokens.get("head office");
    const issued = await t.gql<Data, Record<string, unknown>>(
      `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token apiToken { id } } }`,
      { input: { kind: "SERVICE", name: "live reader", scopes: ["organisations:read", "contacts:read"] } },
      headOffice,
    );
    expect(issued.errors).toBeUndefined();
    const { token, apiToken } = issued.data!.issueApiToken;
    const events = connect(port, token).iterate<Data>({ query: SUBSCRIBE, variables: { after: await cursorOf(token) } });
    await retitle((await contactOf("rep.lille@demo.test")).id, "Chef de rayon", tokens.get("rep lille"));
    expect((await collect(events, 1))[0]).toMatchObject({ entity: "Contact", node: { jobTitle: "Chef de rayon" } });
    const revoked = await t.gql<Data, Record<string, unknown>>(`mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { apiToken { id } } }`, { input: { id: apiToken.id } }, headOffice);
    expect(revoked.errors).toBeUndefined();
    expect(await refusal(events)).toEqual(["UNAUTHENTICATED"]);
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) console.warn("subscriptions.test.ts: TEST_REDIS_URL is not set, so the two-instance notice test is SKIPPED (set it, e.g. redis://127.0.0.1:6379)");

describe.skipIf(!redisUrl)("two instances — needs TEST_REDIS_URL", () => {
  const prefix = `crm-live-test-${randomBytes(6).toString("hex")}`;
  let t: TestServer;
  let second: AppServer;
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectTestRedis(redisUrl!);
    const env = { ...QUIET, REDIS_URL: redisUrl!, RATE_LIMIT_KEY_PREFIX: prefix };
    t = await startTestServer({ env });
    const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", TOKEN_STATE_CACHE_MS: "0", WEBHOOK_WORKER: "off", ...env });
    second = await createServer({ config, database: t.database, logger: createLogger("silent"), keyRing: t.keyRing, clock: () => t.clock.now });
  });
  afterAll(async () => {
    await second?.stop();
    await t?.close();
    await releaseTestRedis(redis, prefix);
  });

  it("a mutation on one instance wakes a subscriber on the other through Redis", async () => {
    const rep = await t.login("rep.lille@demo.test");
    const after = (await t.gql<Data, Record<string, unknown>>(`{ changesCursor }`, {}, rep)).data!.changesCursor;
    const events = connect(await second.listen(0), rep).iterate<Data>({ query: SUBSCRIBE, variables: { after } });
    const contact = await contactInPortfolio(t.database.prisma, "rep.lille@demo.test");
    const updated = await t.gql<Data, Record<string, unknown>>(UPDATE_CONTACT, { input: { id: toGlobalId("Contact", contact.id), version: contact.version, jobTitle: "Acheteur national" } }, rep);
    expect(updated.errors).toBeUndefined();
    const [change] = await collect(events, 1);
    expect(change).toMatchObject({ entity: "Contact", id: toGlobalId("Contact", contact.id), node: { jobTitle: "Acheteur national" } });
    await events.return?.();
  });
});
