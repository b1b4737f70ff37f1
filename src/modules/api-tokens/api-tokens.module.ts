// What the api-tokens module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { ApiTokenResolver } from "./api-token.resolver.js";
import { apiTokenColumns, apiTokenRules } from "./api-token.rules.js";
import { getApiToken } from "./api-token.service.js";

export const apiTokensModule: DomainModule = {
  resolvers: [ApiTokenResolver],
  rules: [apiTokenRules],
  nodes: { ApiToken: getApiToken },
  columns: [apiTokenColumns],
};
