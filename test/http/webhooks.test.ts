// Webhooks: subscriptions on the owner's change feed, delivered over real HTTP to a local receiver that
// verifies every signature with the standardwebhooks package. Worker passes are run by the test
// (server.runWebhookPass); retries are reached by moving the server's clock, never by waiting.
import { randomBytes } from "node:crypto";
import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.js";
import { createServer } from "../../src/app/server.js";
import { RETRY_SCHEDULE_MS, LEASE_MS } from "../../src/modules/webhooks/webhook-worker.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { usesServer } from "../support/database.js";
import { feedReadsAll, Receiver } from "../support/webhook-receiver.js";
import { principalTokens } from "../support/principals.js";
import { errorCodes, startSecondInstance, startTestServer, TODAY, type SecondInstance, type TestServer } from "../support/server.js";

type Data = Record<string, any>;

const CREATE = `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret webhookSubscription { id url status kinds entities } } }`;
const SUBSCRIPTION = `{ webhookSubscriptions { id status disabledReason } }`;
const DELIVERIES = `query($id: ID!) { webhookDeliveries(subscriptionId: $id, first: 50) { totalCount edges { node { id eventType status attempts lastResponseCode lastError deliveredAt payload } } } }`;
const UPDATE_CONTACT = `mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id version } } }`;

let t: TestServer;
let tokens: Map<string, string | undefined>;
const receiver = new Receiver();
const db = () => t.database.prisma;

async function headOffice(): Promise<string> {
  return t.login("head.office@demo.test");
}

async function subscribe(token: string, input: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const response = await t.gql<Data, Record<string, unknown>>(CREATE, { input: { url: receiver.url, ...input } }, token);
  expect(response.errors).toBeUndefined();
  const created = response.data!.createWebhookSubscription;
  expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  receiver.secret = created.secret;
  return { id: created.webhookSubscription.id, secret: created.secret };
}

async function deliveries(token: string, id: string): Promise<Data[]> {
  const response = await t.gql<Data, Record<string, unknown>>(DELIVERIES, { id }, token);
  expect(response.errors).toBeUndefined();
  return response.data!.webhookDeliveries.edges.map((edge: Data) => edge.node);
}

/** Waits until the feed can read every event written so far (see test/support/webhook-receiver.ts). */
const feedCaughtUp = (server: TestServer = t): Promise<void> => feedReadsAll(server);

/** The rep's organisations today. */
const inLilleCharge = async () => ({
  assignments: { some: { repId: (await db().user.findUniqueOrThrow({ where: { email: "rep.lille@demo.test" } })).id, validFrom: { lte: TODAY }, OR: [{ validTo: null }, { validTo: { gt: TODAY } }] } },
});

/** Updates contacts as their rep: one UPDATED change each. */
async function touchContacts(count: number): Promise<string[]> {
  const token = await t.login("rep.lille@demo.test");
  const contacts = await db().contact.findMany({ where: { organisation: { mergedIntoId: null, ...(await inLilleCharge()) } }, orderBy: { id: "asc" }, take: count });
  expect(contacts).toHaveLength(count);
  for (const contact of contacts) {
    const response = await t.gql<Data, Record<string, unknown>>(UPDATE_CONTACT, { input: { id: toGlobalId("Contact", contact.id), version: contact.version, jobTitle: `Buyer ${randomBytes(3).toString("hex")}` } }, token);
    expect(response.errors).toBeUndefined();
  }
  await feedCaughtUp();
  return contacts.map((contact) => toGlobalId("Contact", contact.id));
}

beforeAll(async () => {
  t = await startTestServer();
  await receiver.start();
  tokens = await principalTokens(t, {
    "rep lille": { login: "rep.lille@demo.test" },
    "data steward": { login: "data.steward@demo.test" },
    partner: { partner: ["contacts:read"], organisationIds: [toGlobalId("Organisation", (await db().organisation.findFirstOrThrow({ orderBy: { id: "asc" } })).id)] },
    "referential hooks": { service: ["organisations:read", "webhooks:manage"] },
    "service without webhooks": { service: ["organisations:read"] },
  });
});

afterEach(async () => {
  await db().webhookSubscription.deleteMany({});
  receiver.received.length = 0;
  receiver.respond = () => 200;
  t.clock.now = TODAY;
});

afterAll(async () => {
  await receiver.close();
  await t?.close();
});

describe("webhook deliveries", () => {
  it("signs each change (Standard Webhooks) and logs the delivery", async () => {
    const token = await headOffice();
    const subscription = await subscribe(token, { entities: ["Contact"] });
    const [contactId] = await touchContacts(1);
    const pass = await t.server.runWebhookPass();
    expect(pass).toMatchObject({ enqueued: 1, sent: 1, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    const [received] = receiver.received;
    expect(received!.verified).toBe(true);
    expect(received!.body).toMatchObject({ type: "Contact.UPDATED", data: { kind: "UPDATED", entity: "Contact", id: contactId, action: "update", changedFields: ["jobTitle"] } });
    expect(received!.body.data.node).toMatchObject({ id: contactId, jobTitle: expect.stringMatching(/^Buyer /) });
    const [logged] = await deliveries(token, subscription.id);
    expect(logged).toMatchObject({ id: received!.id, eventType: "Contact.UPDATED", status: "SUCCEEDED", attempts: 1, lastResponseCode: 200, lastError: null });
    expect(JSON.parse(logged!.payload)).toEqual(received!.body);
    // nothing new: nothing sent again
    expect(await t.server.runWebhookPass()).toMatchObject({ enqueued: 0, sent: 0 });
  });

  it("retries a receiver that is down on the schedule, then succeeds; redelivery sends the same webhook-id", async () => {
    const token = await headOffice();
    const subscription = await subscribe(token, { entities: ["Contact"], kinds: ["UPDATED"] });
    await touchContacts(1);
    receiver.respond = () => 503;
    expect(await t.server.runWebhookPass()).toMatchObject({ enqueued: 1, sent: 0, failed: 1 });
    let [logged] = await deliveries(token, subscription.id);
    expect(logged).toMatchObject({ status: "PENDING", attempts: 1, lastResponseCode: 503, lastError: "HTTP 503" });
    // not due yet: no request
    expect(await t.server.runWebhookPass()).toMatchObject({ sent: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    receiver.respond = () => 204;
    t.clock.now = new Date(TODAY.getTime() + RETRY_SCHEDULE_MS[0]! + 1_000);
    expect(await t.server.runWebhookPass()).toMatchObject({ sent: 1, failed: 0 });
    [logged] = await deliveries(token, subscription.id);
    expect(logged).toMatchObject({ status: "SUCCEEDED", attempts: 2, lastResponseCode: 204, lastError: null });
    expect(receiver.received.map((r) => r.id)).toEqual([logged!.id, logged!.id]);
    expect(receiver.received.every((r) => r.verified)).toBe(true);

    const again = await t.gql<Data, Record<string, unknown>>(`mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { delivery { id status attempts } } }`, { id: logged!.id }, token);
    expect(again.data?.redeliverWebhook.delivery).toMatchObject({ id: logged!.id, status: "PENDING", attempts: 0 });
    expect(await t.server.runWebhookPass()).toMatchObject({ sent: 1 });
    expect(receiver.received.map((r) => r.id)).toEqual([logged!.id, logged!.id, logged!.id]);
  });

  it("disables a subscription whose receiver keeps failing, with the reason; resume restarts it", async () => {
    const token = await headOffice();
    const subscription = await subscribe(token, { entities: ["Contact"] });
    await touchContacts(1);
    receiver.respond = () => 500;
    let now = TODAY.getTime();
    expect(await t.server.runWebhookPass()).toMatchObject({ failed: 1 });
    for (const wait of RETRY_SCHEDULE_MS) {
      now += wait;
      t.clock.now = new Date(now);
      expect(await t.server.runWebhookPass()).toMatchObject({ failed: 1 });
    }
    expect(receiver.received).toHaveLength(RETRY_SCHEDULE_MS.length + 1);
    const [logged] = await deliveries(await headOffice(), subscription.id);
    expect(logged).toMatchObject({ status: "FAILED", attempts: RETRY_SCHEDULE_MS.length + 1, lastResponseCode: 500 });
    const listed = await t.gql<Data, Record<string, unknown>>(SUBSCRIPTION, {}, await headOffice());
    expect(listed.data!.webhookSubscriptions).toEqual([{ id: subscription.id, status: "DISABLED", disabledReason: expect.stringContaining(`failed ${RETRY_SCHEDULE_MS.length + 1} times`) }]);
    // disabled: a later change is not sent
    await touchContacts(1);
    expect(await t.server.runWebhookPass()).toMatchObject({ enqueued: 0, sent: 0, failed: 0 });
    receiver.respond = () => 200;
    const resumed = await t.gql<Data, Record<string, unknown>>(`mutation($id: ID!) { resumeWebhookSubscription(id: $id) { webhookSubscription { status disabledReason } } }`, { id: subscription.id }, await headOffice());
    expect(resumed.data?.resumeWebhookSubscription.webhookSubscription).toEqual({ status: "ACTIVE", disabledReason: null });
    expect(await t.server.runWebhookPass()).toMatchObject({ enqueued: 1, sent: 1 });
    void token;
  });

  it("stops the subscriptions of a revoked token", async () => {
    const token = tokens.get("referential hooks")!;
    const subscription = await subscribe(token, { entities: ["Organisation"] });
    const issued = await db().apiToken.findFirstOrThrow({ where: { name: "referential hooks" } });
    await db().apiToken.update({ where: { id: issued.id }, data: { revokedAt: TODAY } });
    try {
      await t.server.runWebhookPass();
      const row = await db().webhookSubscription.findFirstOrThrow({ where: { ownerTokenId: issued.id } });
      expect(toGlobalId("WebhookSubscription", row.id)).toBe(subscription.id);
      expect(row).toMatchObject({ status: "DISABLED", disabledReason: expect.stringContaining("token revoked") });
    } finally {
      await db().apiToken.update({ where: { id: issued.id }, data: { revokedAt: null } });
    }
  });
});

describe("payloads carry what the owner may read", () => {
  it("a referential-only token's subscription never receives an opportunity or an amount", async () => {
    const service = tokens.get("referential hooks")!;
    await subscribe(service, {});
    const token = await headOffice();
    const rep = await t.login("rep.lille@demo.test");
    const opportunity = await db().opportunity.findFirstOrThrow({ where: { status: "OPEN", organisation: { mergedIntoId: null, ...(await inLilleCharge()) } }, orderBy: { id: "asc" } });
    const moved = await t.gql<Data, Record<string, unknown>>(`mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id } } }`, { input: { id: toGlobalId("Opportunity", opportunity.id), version: opportunity.version, amount: "12345.67" } }, rep);
    expect(moved.errors).toBeUndefined();
    const organisation = await db().organisation.findUniqueOrThrow({ where: { id: opportunity.organisationId } });
    const renamed = await t.gql<Data, Record<string, unknown>>(`mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { organisation { id } } }`, { input: { id: toGlobalId("Organisation", organisation.id), version: organisation.version, phone: "+33 1 00 00 00 09" } }, tokens.get("data steward"));
    expect(renamed.errors).toBeUndefined();
    await feedCaughtUp();
    await t.server.runWebhookPass();
    const bodies = receiver.received.map((r) => r.body);
    expect(bodies.map((b) => b.type)).toEqual(["Organisation.UPDATED"]);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(JSON.stringify(bodies)).not.toMatch(/amount|12345/);
    // field filtering by the read policy: the internal search key of the stored row is not sent
    expect(bodies[0]!.data.node).toMatchObject({ phone: "+33 1 00 00 00 09" });
    expect(bodies[0]!.data.node).not.toHaveProperty("searchName");
    // head office, on the same change, receives the amount
    receiver.received.length = 0;
    await subscribe(token, { entities: ["Opportunity"] });
    const again = await db().opportunity.findUniqueOrThrow({ where: { id: opportunity.id } });
    await t.gql(`mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id } } }`, { input: { id: toGlobalId("Opportunity", opportunity.id), version: again.version, amount: "222.00" } }, rep);
    await feedCaughtUp();
    await t.server.runWebhookPass();
    expect(receiver.received.map((r) => Number(r.body.data.node.amount))).toEqual([222]);
  });
});

describe("who manages webhooks", () => {
  it("refuses reps, stewards, partners and tokens without webhooks:manage; another owner's subscription is NOT_FOUND", async () => {
    for (const label of ["rep lille", "data steward", "partner", "service without webhooks"]) {
      const token = tokens.get(label)!;
      const created = await t.gql<Data, Record<string, unknown>>(CREATE, { input: { url: receiver.url } }, token);
      expect(errorCodes(created), label).toEqual(["FORBIDDEN"]);
      const listed = await t.gql<Data, Record<string, unknown>>(SUBSCRIPTION, {}, token);
      expect(errorCodes(listed), label).toEqual(["FORBIDDEN"]);
    }
    const mine = await subscribe(await headOffice(), {});
    await touchContacts(1);
    await t.server.runWebhookPass();
    const [delivery] = await db().webhookDelivery.findMany({});
    const other = tokens.get("referential hooks")!;
    const attempts: [string, Record<string, unknown>][] = [
      [`mutation($id: ID!) { pauseWebhookSubscription(id: $id) { webhookSubscription { id } } }`, { id: mine.id }],
      [`mutation($id: ID!) { deleteWebhookSubscription(id: $id) { deletedId } }`, { id: mine.id }],
      [`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: mine.id }],
      [`mutation($input: UpdateWebhookSubscriptionInput!) { updateWebhookSubscription(input: $input) { webhookSubscription { id } } }`, { input: { id: mine.id, entities: ["Contact"] } }],
      [DELIVERIES, { id: mine.id }],
      [`mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { delivery { id } } }`, { id: delivery!.id }],
    ];
    for (const [document, variables] of attempts) {
      const response = await t.gql<Data, Record<string, unknown>>(document, variables, other);
      expect(errorCodes(response), document).toEqual(["NOT_FOUND"]);
    }
    expect((await t.gql<Data, Record<string, unknown>>(SUBSCRIPTION, {}, other)).data!.webhookSubscriptions).toEqual([]);
  });

  it("validates the URL and the filters", async () => {
    const token = await headOffice();
    for (const input of [{ url: "ftp://example.test/x" }, { url: "not a url" }, { url: "http://user:pw@127.0.0.1/x" }, { url: receiver.url, entities: ["Nope"] }, { url: "http://10.0.0.1/hook" }]) {
      const response = await t.gql<Data, Record<string, unknown>>(CREATE, { input }, token);
      expect(errorCodes(response), JSON.stringify(input)).toEqual(["BAD_USER_INPUT"]);
    }
  });
});

describe("SSRF guard in production", () => {
  let production: TestServer;
  beforeAll(async () => {
    production = await startTestServer({ env: { NODE_ENV: "production", JWT_KEYS: `k1:${randomBytes(24).toString("hex")}` } });
  });
  afterAll(async () => {
    await production?.close();
  });

  it("refuses loopback, private, link-local and IPv4-mapped addresses, at creation and when sending", async () => {
    const token = await production.login("head.office@demo.test");
    const port = new URL(receiver.url).port;
    for (const url of [receiver.url, `http://localhost:${port}/hook`, `http://[::1]:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`, `http://[::ffff:a9fe:a9fe]/`, "http://169.254.169.254/latest/meta-data", "http://192.168.1.10/", "http://[fd00::1]/", "http://[fe80::1]/", "http://0.0.0.0/"]) {
      const response = await production.gql<Data, Record<string, unknown>>(CREATE, { input: { url } }, token);
      expect(errorCodes(response), url).toEqual(["BAD_USER_INPUT"]);
      expect(response.errors![0]!.message, url).toMatch(/private, loopback, link-local or reserved/);
    }
    // checked again when sending: a stored loopback URL is refused without any request
    const owner = await production.database.prisma.user.findFirstOrThrow({ where: { email: "head.office@demo.test" } });
    const cursor = (await production.gql<Data, Record<string, unknown>>(`{ changesCursor }`, {}, token)).data!.changesCursor;
    const stored = await production.database.prisma.webhookSubscription.create({ data: { ownerUserId: owner.id, url: receiver.url, kinds: [], actions: [], entities: ["Contact"], secret: `whsec_${randomBytes(32).toString("base64")}`, cursor } });
    const contact = await production.database.prisma.contact.findFirstOrThrow({ orderBy: { id: "asc" } });
    const updated = await production.gql(UPDATE_CONTACT, { input: { id: toGlobalId("Contact", contact.id), version: contact.version, jobTitle: "Refused" } }, await production.login("data.steward@demo.test"));
    expect(updated.errors).toBeUndefined();
    await feedCaughtUp(production);
    expect(await production.server.runWebhookPass()).toMatchObject({ enqueued: 1, sent: 0, failed: 1 });
    const [delivery] = await production.database.prisma.webhookDelivery.findMany({ where: { subscriptionId: stored.id } });
    expect(delivery!.lastError).toMatch(/private, loopback, link-local or reserved/);
    expect(receiver.received).toEqual([]);
  });
});

describe("several instances on one PostgreSQL", () => {
  let second: SecondInstance | null = null;
  if (!usesServer) console.warn("webhooks: the two-instance tests need PostgreSQL (TEST_DATABASE_URL); skipped on the embedded database");
  beforeAll(async () => {
    if (usesServer) second = await startSecondInstance(t);
  });
  afterAll(async () => {
    await second?.close();
  });

  it.skipIf(!usesServer)("delivers each event exactly once with two workers running at the same time", async () => {
    const token = await headOffice();
    await subscribe(token, { entities: ["Contact"] });
    const ids = await touchContacts(12);
    for (let round = 0; round < 3; round++) await Promise.all([t.server.runWebhookPass(), second!.server.runWebhookPass(), t.server.runWebhookPass(), second!.server.runWebhookPass()]);
    const byId = new Map<string, number>();
    for (const r of receiver.received) byId.set(r.id, (byId.get(r.id) ?? 0) + 1);
    expect(receiver.received).toHaveLength(12);
    expect([...byId.values()].every((n) => n === 1)).toBe(true);
    expect(receiver.received.map((r) => r.body.data.id).sort()).toEqual([...ids].sort());
    expect(await db().webhookDelivery.count({ where: { status: "SUCCEEDED" } })).toBe(12);
  });

  it.skipIf(!usesServer)("retries, after its lease, a delivery a stopped instance was sending", async () => {
    const token = await headOffice();
    const subscription = await subscribe(token, { entities: ["Contact"] });
    await touchContacts(1);
    receiver.respond = () => "hang";
    const arrived = receiver.next();
    const abandoned = second!.server.runWebhookPass();
    await arrived;
    await second!.close();
    second = null;
    expect(await abandoned).toMatchObject({ sent: 0, failed: 0 });
    receiver.respond = () => 200;
    // still leased by the stopped instance: not sent yet
    expect(await t.server.runWebhookPass()).toMatchObject({ sent: 0 });
    t.clock.now = new Date(TODAY.getTime() + LEASE_MS + 1_000);
    expect(await t.server.runWebhookPass()).toMatchObject({ sent: 1 });
    const [logged] = await deliveries(await headOffice(), subscription.id);
    expect(logged).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
    expect(receiver.received.map((r) => r.id)).toEqual([logged!.id, logged!.id]);
  });
});

describe("the delivery loop", () => {
  // On the embedded database only: on PostgreSQL the feed reads below the oldest transaction open on the
  // whole server, so another test file's transaction could hold the woken pass back and leave the loop
  // waiting for its hour-long poll. What is tested — a commit wakes the loop — is the same on both.
  it.skipIf(usesServer)("is woken by a commit: with a poll of an hour, the change reaches the receiver without a pass asked for", async () => {
    const looping = await createServer({
      config: { ...t.config, WEBHOOK_WORKER: "on", WEBHOOK_POLL_MS: 3_600_000 },
      database: t.database,
      logger: createLogger("silent"),
      keyRing: t.keyRing,
      clock: () => t.clock.now,
    });
    try {
      await subscribe(await headOffice(), { entities: ["Contact"] });
      const contact = await db().contact.findFirstOrThrow({ where: { organisation: { mergedIntoId: null, ...(await inLilleCharge()) } }, orderBy: { id: "asc" } });
      const contactId = toGlobalId("Contact", contact.id);
      const arrived = (): boolean => receiver.received.some((r) => r.body.data.id === contactId && r.body.data.version === contact.version + 1);
      const response = await request(looping.app)
        .post("/graphql")
        .set("authorization", `Bearer ${await t.login("rep.lille@demo.test")}`)
        .send({ query: UPDATE_CONTACT, variables: { input: { id: contactId, version: contact.version, jobTitle: "Woken buyer" } } });
      expect(response.body.errors).toBeUndefined();
      while (!arrived()) await receiver.next();
      expect(receiver.received.find((r) => r.body.data.id === contactId)).toMatchObject({ verified: true, body: { data: { node: { jobTitle: "Woken buyer" } } } });
    } finally {
      await looping.stop();
    }
  });
});
