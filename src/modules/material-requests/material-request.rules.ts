import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { anyOf, COMMERCIAL_ROLES, everyone, role, scope, type RuleMap } from "../../auth/rules.js";

/**
 * Material requests are filed by visit reports: the commercial roles and partners granted visits:write see
 * them (which ones: material-request.scope.ts). Data stewards and service tokens never.
 */
export const readMaterialRequests = anyOf(role(...COMMERCIAL_ROLES), scope("visits:write"));
/** Deciding and shipping: managers (for their team's reps, checked by the service) and head office. */
const decideMaterialRequests = role("MANAGER", "HEAD_OFFICE");
/** Delivery is confirmed in the field by whoever sees the request. */
const confirmDelivery = readMaterialRequests;

export const materialRequestRules: RuleMap = {
  Query: { materialRequests: readMaterialRequests, materialRequest: readMaterialRequests },
  Mutation: {
    decideMaterialRequest: decideMaterialRequests,
    markMaterialRequestShipped: decideMaterialRequests,
    markMaterialRequestDelivered: confirmDelivery,
  },
  MaterialRequest: { "*": readMaterialRequests },
  MaterialItem: { "*": everyone },
  MaterialRequestConnection: { "*": everyone },
  MaterialRequestEdge: { "*": everyone },
  MaterialRequestPayload: { "*": everyone },
};

/** A request filed through a token shows as requested by its issuer. */
export const materialRequestColumns: ColumnFieldMap = { MaterialRequest: { requestedByTokenJti: "requestedBy" } };
