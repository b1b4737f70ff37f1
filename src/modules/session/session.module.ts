// What the session module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { SessionResolver } from "./session.resolver.js";
import { sessionRules } from "./session.rules.js";

export const sessionModule: DomainModule = {
  resolvers: [SessionResolver],
  rules: [sessionRules],
};
