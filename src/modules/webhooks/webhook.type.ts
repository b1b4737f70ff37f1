import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { WebhookDelivery as WebhookDeliveryRow, WebhookSubscription as WebhookSubscriptionRow } from "../../db/generated/client.js";
import { WebhookDeliveryStatus, WebhookStatus } from "../../db/generated/enums.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { ChangeKind } from "../changes/change.type.js";

export type { WebhookDeliveryRow, WebhookSubscriptionRow };

registerEnumType(WebhookStatus, {
  name: "WebhookStatus",
  description: "ACTIVE: delivering; PAUSED: by its owner (events wait, delivered on resume); DISABLED: by the server, see `disabledReason` (resume to restart).",
});
registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  description: "PENDING: not delivered yet (see nextAttemptAt); SUCCEEDED: the receiver answered 2xx; FAILED: every retry failed (redeliverWebhook sends it again).",
});

@ObjectType({ implements: Node, description: "Changes of its owner's feed, signed and sent to a URL (docs/webhooks.md). The secret is shown once." })
export class WebhookSubscription extends Node {
  @Field() url!: string;
  @Field(() => [ChangeKind], { description: "Kinds delivered (empty: all)." }) kinds!: ChangeKind[];
  @Field(() => [String], { description: "Actions delivered: create, update, moveStage… (empty: all)." }) actions!: string[];
  @Field(() => [String], { description: "Entities delivered (empty: all the feed carries)." }) entities!: string[];
  @Field(() => WebhookStatus) status!: WebhookStatus;
  @Field(() => String, { nullable: true, description: "Why the server disabled it." }) disabledReason!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType({ description: "One change sent (or to send) to a subscription." })
export class WebhookDelivery {
  @Field(() => ID, { description: "Also the webhook-id header: the same on every attempt." }) id!: string;
  @Field({ description: "<Entity>.<KIND>, e.g. Contact.UPDATED." }) eventType!: string;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int) attempts!: number;
  @Field(() => DateTimeScalar, { description: "When it is sent next (while PENDING)." }) nextAttemptAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true, description: "HTTP status of the last attempt." }) lastResponseCode!: number | null;
  @Field(() => String, { nullable: true, description: "Why the last attempt failed (timeout, refused address, status…)." }) lastError!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field({ description: "The JSON body sent (fixed when the change was enqueued)." }) payload!: string;
}

export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, "WebhookDelivery");

@InputType()
export class CreateWebhookSubscriptionInput {
  @Field({ description: "http(s) URL; in production never a private, loopback or link-local address (unless WEBHOOK_ALLOWED_HOSTS lists it)." })
  url!: string;
  @Field(() => [ChangeKind], { nullable: true }) kinds?: ChangeKind[] | null;
  @Field(() => [String], { nullable: true }) actions?: string[] | null;
  @Field(() => [String], { nullable: true }) entities?: string[] | null;
}

@InputType()
export class UpdateWebhookSubscriptionInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => [ChangeKind], { nullable: true }) kinds?: ChangeKind[] | null;
  @Field(() => [String], { nullable: true }) actions?: string[] | null;
  @Field(() => [String], { nullable: true }) entities?: string[] | null;
}

@ObjectType()
export class WebhookSubscriptionPayload {
  @Field(() => WebhookSubscription) webhookSubscription!: WebhookSubscriptionRow;
}

@ObjectType()
export class WebhookSecretPayload {
  @Field(() => WebhookSubscription) webhookSubscription!: WebhookSubscriptionRow;
  @Field({ description: "The signing secret (whsec_…, Standard Webhooks). Shown once: keep it with the receiver." }) secret!: string;
}

@ObjectType()
export class DeleteWebhookSubscriptionPayload {
  @Field(() => ID) deletedId!: string;
}

@ObjectType()
export class RedeliverWebhookPayload {
  @Field(() => WebhookDelivery) delivery!: WebhookDeliveryRow;
}
