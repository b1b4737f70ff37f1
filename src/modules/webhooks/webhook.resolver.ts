import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { ChangeKind } from "../changes/change.type.js";
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  redeliverWebhook,
  rotateWebhookSecret,
  setWebhookPaused,
  updateWebhookSubscription,
} from "./webhook.service.js";
import {
  CreateWebhookSubscriptionInput,
  DeleteWebhookSubscriptionPayload,
  RedeliverWebhookPayload,
  UpdateWebhookSubscriptionInput,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookSecretPayload,
  WebhookSubscription,
  WebhookSubscriptionPayload,
  type WebhookDeliveryRow,
  type WebhookSubscriptionRow,
} from "./webhook.type.js";

@Resolver(() => WebhookSubscription)
export class WebhookSubscriptionResolver {
  @Query(() => [WebhookSubscription], { description: "The viewer's own webhook subscriptions (head office, or a token with webhooks:manage)." })
  webhookSubscriptions(@Ctx() ctx: AuthedContext) {
    return listWebhookSubscriptions(ctx);
  }

  @Query(() => WebhookDeliveryConnection, { description: "The delivery log of one of the viewer's subscriptions, newest first." })
  webhookDeliveries(@Arg("subscriptionId", () => ID) subscriptionId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return listWebhookDeliveries(ctx, subscriptionId, page);
  }

  @Mutation(() => WebhookSecretPayload, { description: "Deliveries start with the changes after now; the secret is shown only here (and on rotation)." })
  createWebhookSubscription(@Arg("input", () => CreateWebhookSubscriptionInput) input: CreateWebhookSubscriptionInput, @Ctx() ctx: AuthedContext) {
    return createWebhookSubscription(ctx, input);
  }

  @Mutation(() => WebhookSubscriptionPayload, { description: "Fields left out stay as they are." })
  async updateWebhookSubscription(@Arg("input", () => UpdateWebhookSubscriptionInput) input: UpdateWebhookSubscriptionInput, @Ctx() ctx: AuthedContext) {
    return { webhookSubscription: await updateWebhookSubscription(ctx, input) };
  }

  @Mutation(() => WebhookSubscriptionPayload, { description: "Stops sending; changes keep accumulating and are delivered on resume." })
  async pauseWebhookSubscription(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return { webhookSubscription: await setWebhookPaused(ctx, id, true) };
  }

  @Mutation(() => WebhookSubscriptionPayload, { description: "Restarts a paused or disabled subscription from where it stopped." })
  async resumeWebhookSubscription(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return { webhookSubscription: await setWebhookPaused(ctx, id, false) };
  }

  @Mutation(() => WebhookSecretPayload, { description: "A new signing secret, used from the next attempt on." })
  rotateWebhookSecret(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return rotateWebhookSecret(ctx, id);
  }

  @Mutation(() => DeleteWebhookSubscriptionPayload, { description: "Deletes the subscription and its delivery log." })
  async deleteWebhookSubscription(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return { deletedId: await deleteWebhookSubscription(ctx, id) };
  }

  @Mutation(() => RedeliverWebhookPayload, { description: "Sends a delivery again now (same webhook-id and payload), with a fresh retry schedule." })
  async redeliverWebhook(@Arg("deliveryId", () => ID) deliveryId: string, @Ctx() ctx: AuthedContext) {
    return { delivery: await redeliverWebhook(ctx, deliveryId) };
  }

  @FieldResolver(() => ID)
  id(@Root() subscription: WebhookSubscriptionRow): string {
    return toGlobalId("WebhookSubscription", subscription.id);
  }

  @FieldResolver(() => [ChangeKind])
  kinds(@Root() subscription: WebhookSubscriptionRow): ChangeKind[] {
    return subscription.kinds as ChangeKind[];
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => String)
  payload(@Root() delivery: WebhookDeliveryRow): string {
    return JSON.stringify(delivery.payload);
  }
}
