import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { anyOf, everyone, role, scope, type RuleMap } from "../../auth/rules.js";

const managers = anyOf(role("HEAD_OFFICE"), scope("webhooks:manage"));

export const webhookRules: RuleMap = {
  Query: { webhookSubscriptions: managers, webhookDeliveries: managers },
  Mutation: {
    createWebhookSubscription: managers,
    updateWebhookSubscription: managers,
    pauseWebhookSubscription: managers,
    resumeWebhookSubscription: managers,
    rotateWebhookSecret: managers,
    deleteWebhookSubscription: managers,
    redeliverWebhook: managers,
  },
  WebhookSubscription: { "*": managers },
  WebhookDelivery: { "*": managers },
  WebhookDeliveryConnection: { "*": everyone },
  WebhookDeliveryEdge: { "*": everyone },
  WebhookSubscriptionPayload: { "*": everyone },
  WebhookSecretPayload: { "*": everyone },
  DeleteWebhookSubscriptionPayload: { "*": everyone },
  RedeliverWebhookPayload: { "*": everyone },
};

/** The secret is shown once and the feed position is bookkeeping: no field carries them. */
export const webhookColumns: ColumnFieldMap = {
  WebhookSubscription: { secret: null, cursor: null, readLockedUntil: null, ownerUserId: null, ownerTokenId: null },
};
