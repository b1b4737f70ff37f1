// The row-level scope of every entity, written once as a Condition (condition.ts) from the viewer and a day.
// What is outside is never read, and is reported exactly like a missing row. Each definition has two outputs
// (a Prisma `where` and SQL for an alias); request-scope.ts hands them to services as `ctx.scope`.
import { hasScope, isUserViewer, seesFieldWork, type TokenViewer, type Viewer } from "../viewer.js";
import { ALL, and, idIn, idIs, inForce, isNull, NONE, not, notNull, or, textIs, through, type Condition, type Day, type Relation } from "./condition.js";

// --- relations the scopes walk (Prisma relation field ↔ the columns that join them) ---------------------

const one = (field: string, table: string, from: string): Relation => ({ field, cardinality: "one", table, from, to: "id" });

export const RELATIONS = {
  organisation: one("organisation", "Organisation", "organisationId"),
  request: one("request", "OrganisationRequest", "requestId"),
  opportunity: one("opportunity", "Opportunity", "opportunityId"),
} as const;

/**
 * The effective-dated rows of an organisation, reached from the column holding its id: `id` on an
 * Organisation row; `organisationId` on a fact (an order, a visit) that a dashboard credits — the same
 * conditions then apply to the fact without joining the organisation (SQL only: Prisma reaches
 * assignments from an Organisation row).
 */
export const assignmentsOf = (via: string): Relation => ({ field: "assignments", cardinality: "many", table: "OrganisationAssignment", from: via, to: "organisationId" });
const membershipsOf = (via: string): Relation => ({ field: "territoryMemberships", cardinality: "many", table: "TerritoryMembership", from: via, to: "organisationId" });

// --- who is in charge of what, on a day -----------------------------------------------------------------

/** Organisations in the charge of these reps on `day`, by the assignment history. */
export const portfolioOf = (repIds: readonly string[], day: Day, via = "id"): Condition =>
  through(assignmentsOf(via), and(inForce(day), idIn("repId", repIds)));

/** Organisations the territories were in charge of on `day` (the assignment history credits territories too). */
export const territoryCharge = (territoryIds: readonly string[], day: Day, via = "id"): Condition =>
  through(assignmentsOf(via), and(inForce(day), idIn("territoryId", territoryIds)));

export interface Restriction {
  organisationIds: readonly string[];
  territoryIds: readonly string[];
}

/** A partner token's restriction: its organisations, and the members of its territories on `day`. */
export const partnerRestriction = (restriction: Restriction, day: Day, via = "id"): Condition =>
  or(idIn(via, restriction.organisationIds), through(membershipsOf(via), and(inForce(day), idIn("territoryId", restriction.territoryIds))));

export const tokenRestriction = (viewer: TokenViewer): Restriction => ({ organisationIds: viewer.restrictOrganisationIds, territoryIds: viewer.restrictTerritoryIds });

/** Reps whose work a viewer sees: themselves, their team, everyone for head office; nobody else's. */
export function visibleRepIds(viewer: Viewer): readonly string[] | "all" {
  if (viewer.kind === "HEAD_OFFICE") return "all";
  if (viewer.kind === "MANAGER") return viewer.teamRepIds;
  if (viewer.kind === "REP") return [viewer.userId];
  return [];
}

// --- entities ---------------------------------------------------------------------------------------------

const live = idIs("mergedIntoId", null);

/** Organisations the viewer may see in full on `day` (merged records resolve elsewhere, never listed). */
export function organisations(viewer: Viewer, day: Day): Condition {
  switch (viewer.kind) {
    case "PARTNER":
      return and(live, partnerRestriction(tokenRestriction(viewer), day));
    case "SERVICE":
      return hasScope(viewer, "organisations:read") ? live : NONE;
    case "HEAD_OFFICE":
    case "DATA_STEWARD":
      return live;
    case "MANAGER":
      return and(live, portfolioOf(viewer.teamRepIds, day));
    case "REP":
      return and(live, portfolioOf([viewer.userId], day));
  }
}

/**
 * Rows (of a table with an organisationId, set) whose organisation the viewer may see. Where that is every live
 * organisation (head office, stewards, services), it is stated as "not of a merged organisation" — the same
 * rows, since a row's organisation exists — because merged organisations are few: the database subtracts a
 * handful rather than matching each row against every live one (company-wide counts and aggregates).
 */
function ofOrganisations(viewer: Viewer, day: Day): Condition {
  const scope = organisations(viewer, day);
  return scope === live ? not(through(RELATIONS.organisation, notNull("mergedIntoId"))) : through(RELATIONS.organisation, scope);
}

// --- the recycle bin ---------------------------------------------------------------------------------------

/**
 * Contacts, deals, quotes, visits and tasks are soft-deleted: a row with `deletedAt` set is in the recycle bin.
 * Each entity's scope below is its *reach* (the rows the viewer would see, deleted or not) cut to the live
 * rows — here, once, so that every reader of the scope (lists, node(id), nested fields, counts, dashboards,
 * exports, timeline, audit, change feed) ignores the bin. `trash` gives the bin's rows within the same reach.
 * NOT_BINNED itself is for the raw fact readers that credit by history rather than by today's scope
 * (dashboards, visit briefs, portfolio sums: `notBinned(alias)` of row-scope.ts).
 */
export const NOT_BINNED: Condition = isNull("deletedAt");
const kept = (reach: Condition): Condition => and(NOT_BINNED, reach);
const binned = (reach: Condition): Condition => and(notNull("deletedAt"), reach);

/** Contacts follow their organisation; partners and services also need a contacts scope. */
function contactReach(viewer: Viewer, day: Day): Condition {
  if ((viewer.kind === "PARTNER" || viewer.kind === "SERVICE") && !hasScope(viewer, "contacts:read")) return NONE;
  return ofOrganisations(viewer, day);
}

export const contacts = (viewer: Viewer, day: Day): Condition => kept(contactReach(viewer, day));

/** Requests: stewards and head office all; a manager their team's; others their own (users, or the token). */
export function requests(viewer: Viewer): Condition {
  switch (viewer.kind) {
    case "HEAD_OFFICE":
    case "DATA_STEWARD":
      return ALL;
    case "MANAGER":
      return idIn("requestedById", [viewer.userId, ...viewer.teamRepIds]);
    case "REP":
      return and(idIs("requestedById", viewer.userId), textIs("requestedByTokenJti", null));
    case "PARTNER":
      return textIs("requestedByTokenJti", viewer.jti);
    default:
      return NONE;
  }
}

/** Who reads visits: commercial users and partners with visits:write; never stewards or services. */
export const mayReadVisits = (viewer: Viewer): boolean => seesFieldWork(viewer, "visits:write");

/** A visit follows its organisation's scope; one logged against a pending request follows the request's. */
function visitReach(viewer: Viewer, day: Day): Condition {
  if (!mayReadVisits(viewer)) return NONE;
  return or(
    and(notNull("organisationId"), ofOrganisations(viewer, day)),
    and(idIs("organisationId", null), through(RELATIONS.request, requests(viewer))),
  );
}

/** Who reads deals and quotes: commercial users and partners with an opportunities scope. */
export const mayReadOpportunities = (viewer: Viewer): boolean => seesFieldWork(viewer, "opportunities:read");

export const visits = (viewer: Viewer, day: Day): Condition => kept(visitReach(viewer, day));

function opportunityReach(viewer: Viewer, day: Day): Condition {
  if (!mayReadOpportunities(viewer)) return NONE;
  return ofOrganisations(viewer, day);
}

export const opportunities = (viewer: Viewer, day: Day): Condition => kept(opportunityReach(viewer, day));

/** A quote follows its deal: a deleted deal's quotes are out of sight (and back with it). */
const quoteReach = (viewer: Viewer, day: Day): Condition => through(RELATIONS.opportunity, opportunities(viewer, day));

export const quotes = (viewer: Viewer, day: Day): Condition => kept(quoteReach(viewer, day));

/** Who reads and writes tasks: the commercial roles, and partners granted visits:write (tasks are field
 * work: a visit's preparation and report create them). */
export const maySeeTasks = (viewer: Viewer): boolean => seesFieldWork(viewer, "visits:write");

/** Who reads and writes action plans: portfolio steering, for the commercial roles only. */
export const maySeeActionPlans = (viewer: Viewer): boolean => viewer.kind === "REP" || viewer.kind === "MANAGER" || viewer.kind === "HEAD_OFFICE";

/** The people whose own tasks and plans the viewer sees: themselves and those whose work they see. */
function peopleOf(viewer: Viewer): readonly string[] | "all" {
  const reps = visibleRepIds(viewer);
  if (reps === "all" || !isUserViewer(viewer)) return reps;
  return [...new Set([viewer.userId, ...reps])];
}

/**
 * A task follows what it hangs on: its organisation (a deal's, a visit's or a plan's tasks carry that
 * organisation), else the pending request it was logged against. Whatever it hangs on, it is also seen by
 * its assignee, the people who see the assignee's work (their manager) and head office; a personal task
 * (hanging on nothing) is seen only that way. Stewards and services: none.
 */
function taskReach(viewer: Viewer, day: Day): Condition {
  if (!maySeeTasks(viewer)) return NONE;
  const people = peopleOf(viewer);
  if (people === "all") return ALL;
  return or(
    and(notNull("organisationId"), ofOrganisations(viewer, day)),
    and(idIs("organisationId", null), notNull("requestId"), through(RELATIONS.request, requests(viewer))),
    idIn("assigneeId", people),
  );
}

export const tasks = (viewer: Viewer, day: Day): Condition => kept(taskReach(viewer, day));

/** The recycle bin's rows of each soft-deleted entity that the viewer's reach covers. */
export const trash = {
  contacts: (viewer: Viewer, day: Day) => binned(contactReach(viewer, day)),
  opportunities: (viewer: Viewer, day: Day) => binned(opportunityReach(viewer, day)),
  quotes: (viewer: Viewer, day: Day) => binned(quoteReach(viewer, day)),
  visits: (viewer: Viewer, day: Day) => binned(visitReach(viewer, day)),
  tasks: (viewer: Viewer, day: Day) => binned(taskReach(viewer, day)),
} as const;

export type BinnedEntity = keyof typeof trash;

/** Whether an entity's rows can be in the recycle bin. */
export const isBinned = (entity: string): entity is BinnedEntity => Object.hasOwn(trash, entity);

export function actionPlans(viewer: Viewer, day: Day): Condition {
  if (!maySeeActionPlans(viewer)) return NONE;
  const people = peopleOf(viewer);
  if (people === "all") return ALL;
  return or(and(notNull("organisationId"), ofOrganisations(viewer, day)), idIn("repId", people));
}

/** Who sees material requests: the commercial roles, partners with visits:write (their reports file them). */
export const maySeeMaterialRequests = (viewer: Viewer): boolean => seesFieldWork(viewer, "visits:write");

/** Material requests on organisations of the scope, for the reps whose work the viewer sees, or asked for by
 * the viewer themselves. Stewards and services: none. */
export function materialRequests(viewer: Viewer, day: Day): Condition {
  if (!maySeeMaterialRequests(viewer)) return NONE;
  const reps = visibleRepIds(viewer);
  if (reps === "all") return ALL;
  return or(
    ofOrganisations(viewer, day),
    idIn("repId", reps),
    isUserViewer(viewer) ? and(idIs("requestedById", viewer.userId), textIs("requestedByTokenJti", null)) : NONE,
  );
}

/**
 * ERP documents (orders, invoices): the sales force reads those of its portfolio today and those credited to
 * it (the rep in charge on the document's date: what its activity dashboard adds up); head office all. A
 * service token that imports a kind reads back every document of that kind (a rotated or second token of
 * the same ERP must read back what an earlier one imported). Stewards and partners never (no figures).
 */
function erpDocuments(viewer: Viewer, day: Day, importScope: "orders:import" | "invoices:import"): Condition {
  switch (viewer.kind) {
    case "HEAD_OFFICE":
      return ALL;
    case "REP":
    case "MANAGER": {
      const reps = visibleRepIds(viewer);
      return or(ofOrganisations(viewer, day), idIn("repId", reps === "all" ? [] : reps));
    }
    case "SERVICE":
      return hasScope(viewer, importScope) ? ALL : NONE;
    default:
      return NONE;
  }
}

export const orders = (viewer: Viewer, day: Day): Condition => erpDocuments(viewer, day, "orders:import");
export const invoices = (viewer: Viewer, day: Day): Condition => erpDocuments(viewer, day, "invoices:import");

/** Incidents follow their organisation for whoever sees field work (they read them in visit briefs); a service
 * token that imports incidents reads back all of them. Stewards and other tokens none. */
export function incidents(viewer: Viewer, day: Day): Condition {
  if (viewer.kind === "SERVICE") return hasScope(viewer, "incidents:import") ? ALL : NONE;
  return seesFieldWork(viewer, "visits:write") ? ofOrganisations(viewer, day) : NONE;
}

/** Leads: reps their own and the unassigned ones of their portfolio; managers their team's; head office
 * all; a partner only those its own token brought. */
export function leads(viewer: Viewer, day: Day): Condition {
  switch (viewer.kind) {
    case "HEAD_OFFICE":
      return ALL;
    case "REP":
    case "MANAGER": {
      const owners = viewer.kind === "REP" ? [viewer.userId] : [viewer.userId, ...viewer.teamRepIds];
      return or(idIn("ownerId", owners), and(idIs("ownerId", null), ofOrganisations(viewer, day)));
    }
    case "PARTNER":
      return idIs("partnerTokenId", viewer.tokenId);
    default:
      return NONE;
  }
}

