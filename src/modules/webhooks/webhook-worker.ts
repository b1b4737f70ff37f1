// The delivery worker (docs/webhooks.md). One pass:
//   1. enqueue — for each active subscription: claim it (FOR UPDATE SKIP LOCKED, then a short read lease so
//      the feed is read outside any transaction), read the owner's change feed as the owner (a viewer built
//      from the stored user or token: deactivated or revoked stops the subscription), and in one transaction
//      write one delivery per change (payload fixed now, fields cut to what the owner may read) and move the
//      cursor — only if it is still where this pass read from, so an event is enqueued once even if a lease
//      ran out;
//   2. send — deliveries that are due, claimed FOR UPDATE SKIP LOCKED with a send lease (lockedUntil): an
//      instance that dies mid-send leaves them to any other once the lease is over (at-least-once).
// Due times and leases follow the server's clock (tests move it); the signature's timestamp is the wall
// clock, which the receiver checks against its own.
import http from "node:http";
import https from "node:https";
import { Webhook } from "standardwebhooks";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { Prisma } from "../../db/generated/client.js";
import { DomainError, ErrorCode } from "../../errors/api-errors.js";
import type { AuthedContext } from "../../graphql/context.js";
import type { NodeFetcher } from "../../graphql/domain-module.js";
import { visibleImage } from "../../graphql/side-image.js";
import { readChanges, type FeedSettings } from "../changes/change-feed.service.js";
import type { Change, ChangeKind } from "../changes/change.type.js";
import { guardedLookup, literalRefusal, type AddressPolicy } from "./webhook-address.js";
import { SerialPass } from "../../jobs/serial-pass.js";

/** Waits after the 1st, 2nd… failed attempt; after the last one the delivery has FAILED (about 31 h in all). */
export const RETRY_SCHEDULE_MS: readonly number[] = [30_000, 120_000, 600_000, 3_600_000, 21_600_000, 86_400_000];
export const REQUEST_TIMEOUT_MS = 10_000;
/** How long a claimed delivery or subscription is held: past it, another instance takes it over. */
export const LEASE_MS = 60_000;
const FEED_PAGE = 200;
const FEED_PAGES_PER_PASS = 5;
const SEND_BATCH = 50;
const MAX_ERROR_LENGTH = 500;

export type WebhookOwner = { userId: string } | { tokenId: string };

export interface WebhookWorkerDeps {
  db: Db;
  clock: () => Date;
  /** the context of a request by this viewer (scope, read policy, clock) */
  contextOf(viewer: Viewer): AuthedContext;
  /** the owner's viewer now; null when the user is deactivated or the token revoked or expired */
  viewerOf(owner: WebhookOwner): Promise<Viewer | null>;
  fetchers: Readonly<Record<string, NodeFetcher>>;
  feed: FeedSettings;
  addresses: AddressPolicy;
  onError(error: unknown, message: string): void;
}

export interface PassResult {
  enqueued: number;
  /** a subscription's feed had more than one pass reads: the next pass runs without a pause */
  more: boolean;
  sent: number;
  failed: number;
}

interface DueDelivery {
  id: string;
  subscription_id: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
  locked_until: Date;
}

type SendOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

export class WebhookWorker {
  private readonly passes: SerialPass<PassResult>;
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly deps: WebhookWorkerDeps) {
    this.passes = new SerialPass(
      () => this.pass(),
      (error) => deps.onError(error, "webhook pass failed"),
    );
  }

  private get stopped(): boolean {
    return this.passes.stopped;
  }

  /** A pass when changes were committed (`news` resolves), every `pollMs` at the latest (the feed is the
   * source: a lost notice only delays a delivery to the next poll). */
  start(pollMs: number, news?: (timeoutMs: number, halted: AbortSignal) => Promise<unknown>): void {
    this.passes.every(pollMs, { news, again: (result) => result.more });
  }

  /** Stops polling; sends in flight are abandoned unrecorded (their lease runs out; any instance retries them). */
  stop(): Promise<void> {
    return this.passes.stop(() => {
      for (const controller of this.inFlight) controller.abort();
    });
  }

  /** One pass (passes of one instance never overlap: a second call waits for the first and runs after it). */
  runPass(): Promise<PassResult> {
    return this.passes.run();
  }

  private async pass(): Promise<PassResult> {
    if (this.stopped) return { enqueued: 0, more: false, sent: 0, failed: 0 };
    const { enqueued, more } = await this.enqueueAll();
    const { sent, failed } = await this.sendDue();
    return { enqueued, more, sent, failed };
  }

  // ── 1. enqueue ──

  private async enqueueAll(): Promise<{ enqueued: number; more: boolean }> {
    const { db } = this.deps;
    const active = await db.webhookSubscription.findMany({ where: { status: "ACTIVE" }, select: { id: true }, orderBy: { id: "asc" } });
    let enqueued = 0;
    let more = false;
    for (const { id } of active) {
      if (this.stopped) break;
      try {
        const read = await this.enqueue(id);
        enqueued += read.enqueued;
        more ||= read.more;
      } catch (error) {
        this.deps.onError(error, "webhook enqueue failed");
      }
    }
    return { enqueued, more };
  }

  private async enqueue(subscriptionId: string): Promise<{ enqueued: number; more: boolean }> {
    const { db } = this.deps;
    const now = this.deps.clock();
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    // claim: another instance holding the row (or its lease) has it; this one moves on
    const [claimed] = await db.$queryRaw<{ id: string }[]>`
      UPDATE "WebhookSubscription" SET "readLockedUntil" = ${leaseUntil}
       WHERE "id" = (SELECT "id" FROM "WebhookSubscription"
                      WHERE "id" = ${subscriptionId}::uuid AND "status" = 'ACTIVE' AND ("readLockedUntil" IS NULL OR "readLockedUntil" < ${now})
                      FOR UPDATE SKIP LOCKED)
       RETURNING "id"::text AS id`;
    const none = { enqueued: 0, more: false };
    if (!claimed) return none;
    const subscription = await db.webhookSubscription.findUniqueOrThrow({ where: { id: subscriptionId } });
    const release = () => db.webhookSubscription.updateMany({ where: { id: subscriptionId, readLockedUntil: leaseUntil }, data: { readLockedUntil: null } });
    const owner: WebhookOwner | null = subscription.ownerUserId ? { userId: subscription.ownerUserId } : subscription.ownerTokenId ? { tokenId: subscription.ownerTokenId } : null;
    const viewer = owner ? await this.deps.viewerOf(owner) : null;
    if (!viewer) {
      await this.disable(subscriptionId, "The owner can no longer sign in (user deactivated, or token revoked or expired)");
      return none;
    }
    const ctx = this.deps.contextOf(viewer);
    let cursor = subscription.cursor;
    const changes: Change[] = [];
    let more = false;
    try {
      for (let page = 0; page < FEED_PAGES_PER_PASS; page++) {
        const read = await readChanges(ctx, this.deps.fetchers, this.deps.feed, {
          after: cursor,
          first: FEED_PAGE,
          entities: subscription.entities.length ? subscription.entities : null,
          kinds: subscription.kinds.length ? (subscription.kinds as ChangeKind[]) : null,
        });
        changes.push(...read.changes.filter((change) => !subscription.actions.length || subscription.actions.includes(change.action)));
        cursor = read.cursor;
        more = read.hasMore;
        if (!more) break;
      }
    } catch (error) {
      if (error instanceof DomainError && error.extensions.code === ErrorCode.BAD_USER_INPUT) {
        await this.disable(subscriptionId, `The change feed refused the subscription's position: ${error.message}`);
        return none;
      }
      await release();
      throw error;
    }
    if (!changes.length && cursor === subscription.cursor) {
      await release();
      return none;
    }
    const rows = await Promise.all(changes.map(async (change) => ({ subscriptionId, eventType: `${change.entity}.${change.kind}`, payload: await payloadOf(ctx, change), nextAttemptAt: now })));
    const moved = await db.$transaction(async (tx) => {
      const advanced = await tx.webhookSubscription.updateMany({ where: { id: subscriptionId, cursor: subscription.cursor }, data: { cursor, readLockedUntil: null } });
      if (advanced.count !== 1) return false; // another instance enqueued from this position meanwhile
      if (rows.length) await tx.webhookDelivery.createMany({ data: rows });
      return true;
    });
    return moved ? { enqueued: rows.length, more } : none;
  }

  private async disable(subscriptionId: string, reason: string): Promise<void> {
    await this.deps.db.webhookSubscription.update({ where: { id: subscriptionId }, data: { status: "DISABLED", disabledReason: reason, readLockedUntil: null } });
  }

  // ── 2. send ──

  private async sendDue(): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (;;) {
      if (this.stopped) break;
      const due = await this.claimDue();
      if (!due.length) break;
      const outcomes = await Promise.all(due.map((delivery) => this.send(delivery)));
      const delivered: { delivery: DueDelivery; status: number }[] = [];
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome === null) continue; // abandoned by stop()
        if (outcome.ok) {
          delivered.push({ delivery: due[i]!, status: outcome.status });
          sent++;
        } else {
          await this.recordFailure(due[i]!, outcome);
          failed++;
        }
      }
      await this.recordSuccesses(delivered);
      if (due.length < SEND_BATCH) break;
    }
    return { sent, failed };
  }

  private claimDue(): Promise<DueDelivery[]> {
    const now = this.deps.clock();
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    return this.deps.db.$queryRaw<DueDelivery[]>`
      WITH due AS (
        SELECT d."id" FROM "WebhookDelivery" d JOIN "WebhookSubscription" s ON s."id" = d."subscriptionId"
         WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= ${now} AND (d."lockedUntil" IS NULL OR d."lockedUntil" < ${now}) AND s."status" = 'ACTIVE'
         ORDER BY d."nextAttemptAt", d."id" LIMIT ${SEND_BATCH}
         FOR UPDATE OF d SKIP LOCKED)
      UPDATE "WebhookDelivery" d SET "lockedUntil" = ${leaseUntil}
        FROM due, "WebhookSubscription" s
       WHERE d."id" = due."id" AND s."id" = d."subscriptionId"
      RETURNING d."id"::text AS id, d."subscriptionId"::text AS subscription_id, d."payload"::text AS payload, d."attempts",
                s."url", s."secret", d."lockedUntil" AS locked_until`;
  }

  /** One attempt; null when stop() abandoned it. */
  private async send(delivery: DueDelivery): Promise<SendOutcome | null> {
    const url = new URL(delivery.url);
    const refusal = literalRefusal(this.deps.addresses, url);
    if (refusal) return { ok: false, status: null, error: `Refused: ${refusal}` };
    const body = delivery.payload;
    // the signature covers the timestamp: both from the same instant
    const sentAt = new Date();
    const headers = {
      "content-type": "application/json",
      "user-agent": "fieldsales-crm-webhooks",
      "webhook-id": delivery.id,
      "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
      "webhook-signature": new Webhook(delivery.secret).sign(delivery.id, sentAt, body),
    };
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      return await post(url, headers, body, this.deps.addresses, controller.signal);
    } catch (error) {
      if (controller.signal.aborted && this.stopped) return null;
      return { ok: false, status: null, error: String((error as Error).message ?? error).slice(0, MAX_ERROR_LENGTH) };
    } finally {
      this.inFlight.delete(controller);
    }
  }

  /** Writes a claim's successful attempts in one statement, where this instance still holds their lease
   * (one claim sets one lease on all its deliveries). */
  private async recordSuccesses(delivered: readonly { delivery: DueDelivery; status: number }[]): Promise<void> {
    if (!delivered.length) return;
    const now = this.deps.clock();
    const lease = delivered[0]!.delivery.locked_until;
    await this.deps.db.$executeRaw`
      UPDATE "WebhookDelivery" d SET "status" = 'SUCCEEDED', "attempts" = d."attempts" + 1, "lastAttemptAt" = ${now}, "deliveredAt" = ${now},
             "lastResponseCode" = sent.code, "lastError" = NULL, "lockedUntil" = NULL
        FROM unnest(${delivered.map((d) => d.delivery.id)}::uuid[], ${delivered.map((d) => d.status)}::int[]) AS sent(id, code)
       WHERE d."id" = sent.id AND d."lockedUntil" = ${lease}`;
  }

  /** Writes a failed attempt (retry or give up), if this instance still holds the delivery's lease. */
  private async recordFailure(delivery: DueDelivery, outcome: Extract<SendOutcome, { ok: false }>): Promise<void> {
    const { db } = this.deps;
    const now = this.deps.clock();
    const attempts = delivery.attempts + 1;
    const held = { id: delivery.id, lockedUntil: delivery.locked_until };
    const wait = RETRY_SCHEDULE_MS[attempts - 1];
    const exhausted = wait === undefined;
    await db.$transaction(async (tx) => {
      const written = await tx.webhookDelivery.updateMany({
        where: held,
        data: {
          status: exhausted ? "FAILED" : "PENDING",
          attempts,
          lastAttemptAt: now,
          lastResponseCode: outcome.status,
          lastError: outcome.error,
          lockedUntil: null,
          nextAttemptAt: exhausted ? now : new Date(now.getTime() + wait),
        },
      });
      // sustained failure: every retry of a delivery failed, over more than a day
      if (written.count && exhausted) {
        await tx.webhookSubscription.updateMany({
          where: { id: delivery.subscription_id, status: "ACTIVE" },
          data: {
            status: "DISABLED",
            disabledReason: `Delivery ${delivery.id} failed ${attempts} times over ${Math.round(RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0) / 3_600_000)} h (last: ${outcome.error}); fix the receiver, then resume`,
          },
        });
      }
    });
  }

  /** Deliveries waiting to be sent (the webhook_queue_depth gauge). */
  async queueDepth(): Promise<number> {
    return this.deps.db.webhookDelivery.count({ where: { status: "PENDING" } });
  }
}

/** The body of a delivery: the change as its owner may read it (stored columns cut by the read policy, custom values by their fields). */
async function payloadOf(ctx: AuthedContext, change: Change): Promise<Prisma.InputJsonValue> {
  const node = change.node ? await visibleImage(ctx, change.entity, change.node) : null;
  const data = {
    kind: change.kind,
    entity: change.entity,
    id: change.id,
    action: change.action,
    version: change.version,
    changedFields: change.changedFields,
    at: change.at,
    node: node ? { ...node, id: change.id } : null,
    removal: change.removal,
  };
  const event = { type: `${change.entity}.${change.kind}`, timestamp: change.at, data };
  // Dates as ISO strings, decimals as strings, bigints as strings: what JSON.stringify gives a receiver
  return JSON.parse(JSON.stringify(event, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))) as Prisma.InputJsonValue;
}

function post(url: URL, headers: Record<string, string>, body: string, addresses: AddressPolicy, signal: AbortSignal): Promise<SendOutcome> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) }, lookup: guardedLookup(addresses), timeout: REQUEST_TIMEOUT_MS, signal },
      (response) => {
        response.resume(); // the body is not read: only the status counts
        const status = response.statusCode ?? 0;
        response.on("end", () => resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`No response within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    request.on("error", reject);
    request.end(body);
  });
}
