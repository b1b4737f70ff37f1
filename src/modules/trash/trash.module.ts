// What the recycle bin hands the composition root (src/modules/index.ts); its purge is built there
// (createTrashPurger) beside the webhook worker.
import type { DomainModule } from "../../graphql/domain-module.js";
import { TrashResolver } from "./trash.resolver.js";
import { trashRules } from "./trash.rules.js";

export const trashModule: DomainModule = {
  resolvers: [TrashResolver],
  rules: [trashRules],
};
