// What the material-requests module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { MaterialRequestResolver } from "./material-request.resolver.js";
import { materialRequestColumns, materialRequestRules } from "./material-request.rules.js";
import { getMaterialRequest } from "./material-request.service.js";

export const materialRequestsModule: DomainModule = {
  resolvers: [MaterialRequestResolver],
  rules: [materialRequestRules],
  nodes: { MaterialRequest: getMaterialRequest },
  columns: [materialRequestColumns],
};
