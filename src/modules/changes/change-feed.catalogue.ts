// What the change feed carries: the entities a front end keeps a copy of, each with the scope that decides
// who sees it (the one definition of src/auth/scope/entities.ts, through ctx.scope) and, for the records
// that follow an organisation, which of them a device holds (a rep's offline portfolio). When who is in
// charge of an organisation changes, the feed re-evaluates the organisation and these dependents.
import type { ScopedEntity } from "../../auth/scope/request-scope.js";

export interface FeedEntity {
  /** the entity name of the audit trail, also its GraphQL type and its table */
  entity: string;
  scope: ScopedEntity;
  /** for records hanging on an organisation: which rows a device holds (SQL about alias x) */
  heldWithOrganisation?: string;
}

export const FEED_ENTITIES: readonly FeedEntity[] = [
  { entity: "Organisation", scope: "organisations" },
  { entity: "Contact", scope: "contacts", heldWithOrganisation: "TRUE" },
  { entity: "Opportunity", scope: "opportunities", heldWithOrganisation: `x."status" = 'OPEN'` },
  { entity: "Visit", scope: "visits", heldWithOrganisation: `x."status" IN ('PLANNED', 'PREPARED')` },
  { entity: "Task", scope: "tasks", heldWithOrganisation: `x."status" = 'OPEN'` },
  { entity: "Quote", scope: "quotes" },
  { entity: "ActionPlan", scope: "actionPlans" },
  { entity: "Lead", scope: "leads" },
  { entity: "MaterialRequest", scope: "materialRequests" },
  { entity: "Order", scope: "orders" },
  { entity: "Invoice", scope: "invoices" },
  { entity: "Incident", scope: "incidents" },
  { entity: "OrganisationRequest", scope: "requests" },
];

export const feedEntity = new Map(FEED_ENTITIES.map((entry) => [entry.entity, entry]));

/** The audit action of a change of who is in charge (territory materialisation). */
export const CHARGE_CHANGED = "chargeChanged";
