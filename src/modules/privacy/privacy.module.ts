// What the privacy module (a contact's GDPR rights) hands the composition root (src/modules/index.ts).
import type { DomainModule } from "../../graphql/domain-module.js";
import { PrivacyResolver } from "./privacy.resolver.js";
import { privacyEntities, privacyRules } from "./privacy.rules.js";

export const privacyModule: DomainModule = {
  resolvers: [PrivacyResolver],
  rules: [privacyRules],
  entityAliases: [privacyEntities],
};
