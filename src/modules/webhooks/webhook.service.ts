// Webhook subscriptions: head office users and tokens with webhooks:manage manage their own (another
// owner's subscription is NOT_FOUND). The owner is the creator: deliveries carry what the owner may read.
import { randomBytes } from "node:crypto";
import { isTokenViewer, isUserViewer, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import { badInput, forbidden, notFound } from "../../errors/api-errors.js";
import type { AuthedContext } from "../../graphql/context.js";
import { expectGlobalId, lazyConnection, pageWindow, readPage, type PageArgs } from "../../graphql/relay.js";
import { FEED_ENTITIES, feedEntity } from "../changes/change-feed.catalogue.js";
import { currentCursor } from "../changes/change-feed.service.js";
import { checkWebhookUrl } from "./webhook-address.js";
import type { CreateWebhookSubscriptionInput, UpdateWebhookSubscriptionInput, WebhookDeliveryRow, WebhookSubscriptionRow } from "./webhook.type.js";

/** Who may manage webhooks: head office users and tokens granted webhooks:manage. */
export function mayManageWebhooks(viewer: Viewer): boolean {
  return viewer.kind === "HEAD_OFFICE" || (isTokenViewer(viewer) && viewer.scopes.has("webhooks:manage"));
}

/** The viewer as an owner (its subscriptions, or a new one's owner columns); FORBIDDEN for who may not manage webhooks. */
function ownerWhere(ctx: AuthedContext): { ownerUserId: string } | { ownerTokenId: string } {
  if (!mayManageWebhooks(ctx.viewer)) throw forbidden();
  return isUserViewer(ctx.viewer) ? { ownerUserId: ctx.viewer.userId } : { ownerTokenId: ctx.viewer.tokenId };
}

/** A Standard Webhooks secret: whsec_ + base64 of 32 random bytes. */
const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

function checkEntities(entities: readonly string[] | null | undefined): string[] {
  const unknown = (entities ?? []).filter((entity) => !feedEntity.has(entity));
  if (unknown.length) throw badInput(`Not carried by the change feed: ${unknown.join(", ")} (known: ${FEED_ENTITIES.map((e) => e.entity).join(", ")})`, { field: "entities" });
  return [...new Set(entities ?? [])];
}

function checkActions(actions: readonly string[] | null | undefined): string[] {
  const bad = (actions ?? []).filter((action) => !/^[A-Za-z]{1,40}$/.test(action));
  if (bad.length) throw badInput(`Not an action name: ${bad.join(", ")}`, { field: "actions" });
  return [...new Set(actions ?? [])];
}

export async function getWebhookSubscription(ctx: AuthedContext, globalId: string): Promise<WebhookSubscriptionRow> {
  const id = expectGlobalId(globalId, "WebhookSubscription");
  const found = await ctx.db.webhookSubscription.findFirst({ where: { id, ...ownerWhere(ctx) } });
  if (!found) throw notFound("WebhookSubscription");
  return found;
}

/** Through node(id): what the viewer may not manage is reported as missing. */
export function fetchWebhookSubscriptionNode(ctx: AuthedContext, globalId: string): Promise<WebhookSubscriptionRow> {
  if (!mayManageWebhooks(ctx.viewer)) throw notFound("WebhookSubscription");
  return getWebhookSubscription(ctx, globalId);
}

export function listWebhookSubscriptions(ctx: AuthedContext): Promise<WebhookSubscriptionRow[]> {
  return ctx.db.webhookSubscription.findMany({ where: ownerWhere(ctx), orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

export async function createWebhookSubscription(ctx: AuthedContext, input: CreateWebhookSubscriptionInput): Promise<{ webhookSubscription: WebhookSubscriptionRow; secret: string }> {
  const owner = ownerWhere(ctx);
  const url = await checkWebhookUrl(ctx.webhookAddresses, input.url);
  const secret = newSecret();
  const webhookSubscription = await ctx.db.webhookSubscription.create({
    data: {
      ...owner,
      url: url.toString(),
      kinds: [...new Set(input.kinds ?? [])],
      actions: checkActions(input.actions),
      entities: checkEntities(input.entities),
      secret,
      // deliveries start with what changes from now on
      cursor: await currentCursor(ctx),
    },
  });
  return { webhookSubscription, secret };
}

export async function updateWebhookSubscription(ctx: AuthedContext, input: UpdateWebhookSubscriptionInput): Promise<WebhookSubscriptionRow> {
  const current = await getWebhookSubscription(ctx, input.id);
  const data: Prisma.WebhookSubscriptionUpdateInput = {};
  if (input.url != null) data.url = (await checkWebhookUrl(ctx.webhookAddresses, input.url)).toString();
  if (input.kinds != null) data.kinds = [...new Set(input.kinds)];
  if (input.actions != null) data.actions = checkActions(input.actions);
  if (input.entities != null) data.entities = checkEntities(input.entities);
  return ctx.db.webhookSubscription.update({ where: { id: current.id }, data });
}

/** Pause (owner) or resume: a resumed subscription delivers what changed meanwhile, from where it stopped. */
export async function setWebhookPaused(ctx: AuthedContext, globalId: string, paused: boolean): Promise<WebhookSubscriptionRow> {
  const current = await getWebhookSubscription(ctx, globalId);
  return ctx.db.webhookSubscription.update({
    where: { id: current.id },
    data: paused ? { status: "PAUSED" } : { status: "ACTIVE", disabledReason: null },
  });
}

export async function rotateWebhookSecret(ctx: AuthedContext, globalId: string): Promise<{ webhookSubscription: WebhookSubscriptionRow; secret: string }> {
  const current = await getWebhookSubscription(ctx, globalId);
  const secret = newSecret();
  const webhookSubscription = await ctx.db.webhookSubscription.update({ where: { id: current.id }, data: { secret } });
  return { webhookSubscription, secret };
}

export async function deleteWebhookSubscription(ctx: AuthedContext, globalId: string): Promise<string> {
  const current = await getWebhookSubscription(ctx, globalId);
  await ctx.db.webhookSubscription.delete({ where: { id: current.id } });
  return globalId;
}

/** The delivery log of one subscription, newest first. */
export async function listWebhookDeliveries(ctx: AuthedContext, subscriptionId: string, pageArgs: PageArgs) {
  const subscription = await getWebhookSubscription(ctx, subscriptionId);
  const page = readPage(pageArgs);
  const where = { subscriptionId: subscription.id };
  return lazyConnection(
    () => ctx.db.webhookDelivery.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...pageWindow(page) }),
    page,
    () => ctx.db.webhookDelivery.count({ where }),
  );
}

/** Sends a delivery again (same webhook-id, same payload), now, with a fresh retry schedule. */
export async function redeliverWebhook(ctx: AuthedContext, deliveryId: string): Promise<WebhookDeliveryRow> {
  const where = ownerWhere(ctx);
  const delivery = /^[0-9a-f-]{36}$/i.test(deliveryId) ? await ctx.db.webhookDelivery.findFirst({ where: { id: deliveryId, subscription: where } }) : null;
  if (!delivery) throw notFound("WebhookDelivery");
  return ctx.db.webhookDelivery.update({
    where: { id: delivery.id },
    data: { status: "PENDING", attempts: 0, nextAttemptAt: ctx.now, lockedUntil: null },
  });
}
