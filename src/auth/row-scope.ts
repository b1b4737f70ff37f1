// Row-level scope as Prisma `where`s for the services that take a viewer rather than `ctx.scope`. The
// definitions live in src/auth/scope/entities.ts (one per entity, SQL and Prisma from the same condition).
import type { Prisma } from "../db/generated/client.js";
import { inForce, toSql, toWhere, type InForceWhere } from "./scope/condition.js";
import * as scopes from "./scope/entities.js";
import type { Viewer } from "./viewer.js";

/** Rows of an effective-dated table (assignments, holdings) in force on `day`; validTo is exclusive. */
export const assignmentInForce = (day: Date) => toWhere<InForceWhere>(inForce(day));

/** Organisations the viewer may see in full, on `day` (merged records resolve elsewhere, never listed). */
export const organisationScope = (viewer: Viewer, day: Date) => toWhere<Prisma.OrganisationWhereInput>(scopes.organisations(viewer, day));

/** Contacts follow their organisation; partners and services also need a contacts scope. */
export const contactScope = (viewer: Viewer, day: Date) => toWhere<Prisma.ContactWhereInput>(scopes.contacts(viewer, day));

export const visibleRepIds = scopes.visibleRepIds;

/** SQL: the row of `alias` (a contact, deal, quote, visit or task) is not in the recycle bin — the condition
 * every scope of those entities includes, for the readers that credit facts without the entity's scope. */
export const notBinned = (alias: string) => toSql(scopes.NOT_BINNED, alias);
