// What the webhooks module hands the composition root (src/modules/index.ts). Its delivery worker reads
// records through every module's node fetchers, so it is built there (createWebhookWorker).
import type { DomainModule } from "../../graphql/domain-module.js";
import { WebhookDeliveryResolver, WebhookSubscriptionResolver } from "./webhook.resolver.js";
import { webhookColumns, webhookRules } from "./webhook.rules.js";
import { fetchWebhookSubscriptionNode } from "./webhook.service.js";

export const webhooksModule: DomainModule = {
  resolvers: [WebhookSubscriptionResolver, WebhookDeliveryResolver],
  rules: [webhookRules],
  nodes: { WebhookSubscription: fetchWebhookSubscriptionNode },
  columns: [webhookColumns],
};
