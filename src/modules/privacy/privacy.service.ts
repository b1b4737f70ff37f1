// A contact's GDPR rights (docs/trash.md, "Personal data"): head office exports everything the CRM holds
// about one person (access), and erases a person (erasure). Erasure is irreversible: the personal fields are
// pseudonymised in the row (the id stays, so visits, deals and the audit trail keep "a contact"), and the
// person's values are removed from every stored image that held them — the audit trail's before/after of the
// contact (the change feed's source) and the webhook payloads built from them, and the free text of the
// organisation that names them (./free-text.ts). The audit trail keeps the fact ("erase", who, when), not
// the data. A contact in the recycle bin may be exported and erased too.
import { Prisma } from "../../db/generated/client.js";
import type { Contact } from "../../db/generated/client.js";
import { notFound } from "../../errors/api-errors.js";
import type { AuthedContext } from "../../graphql/context.js";
import { expectGlobalId, toGlobalId } from "../../graphql/relay.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { eraseMentions } from "./free-text.js";

type Tx = Prisma.TransactionClient;

/** The stored columns that identify the person: cleared by an erasure, removed from every stored image. */
export const PERSONAL_COLUMNS = ["firstName", "lastName", "jobTitle", "department", "email", "phone", "externalId"] as const;

/** What an erased contact shows instead of the person. */
export const ERASED = { firstName: "Erased", lastName: "contact" } as const;

/** The audit entity of an export (not a change of the contact: the change feed does not carry it). */
export const EXPORT_ENTITY = "ContactDataExport";

/** The contact in the viewer's reach, live or in the recycle bin. */
async function reachableContact(tx: Tx, ctx: AuthedContext, id: string): Promise<Contact | null> {
  return tx.contact.findFirst({ where: { id, OR: [ctx.scope.where.contacts(), ctx.scope.trash.where.contacts()] } });
}

/** Everything held about one contact, as JSON (the record, its organisation, its roles on deals, the visits
 * that name it, and its history in the audit trail). The export itself is audited. */
export async function contactDataExport(ctx: AuthedContext, globalId: string): Promise<Record<string, unknown>> {
  const id = expectGlobalId(globalId, "Contact");
  return ctx.db.$transaction(async (tx) => {
    const contact = await reachableContact(tx, ctx, id);
    if (!contact) throw notFound("Contact");
    const [organisation, deals, visits, history] = await Promise.all([
      tx.organisation.findUnique({ where: { id: contact.organisationId }, select: { id: true, name: true } }),
      tx.opportunityContact.findMany({ where: { contactId: id }, select: { roles: true, opportunity: { select: { id: true, name: true } } }, orderBy: { opportunityId: "asc" } }),
      tx.visit.findMany({
        where: { OR: [{ contactIdsToMeet: { has: id } }, { contactIdsMet: { has: id } }] },
        select: { id: true, plannedAt: true, status: true, contactIdsToMeet: true, contactIdsMet: true },
        orderBy: [{ plannedAt: "asc" }, { id: "asc" }],
      }),
      tx.auditEvent.findMany({ where: { entity: "Contact", entityId: id }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
    ]);
    await recordAudit(tx, ctx.viewer, { entity: EXPORT_ENTITY, entityId: id, action: "export" });
    const { id: _id, organisationId: _org, ...fields } = contact;
    return JSON.parse(
      JSON.stringify({
        exportedAt: ctx.now,
        contact: { id: globalId, ...fields },
        organisation: organisation ? { id: toGlobalId("Organisation", organisation.id), name: organisation.name } : null,
        opportunities: deals.map((deal) => ({ id: toGlobalId("Opportunity", deal.opportunity.id), name: deal.opportunity.name, roles: deal.roles })),
        visits: visits.map((visit) => ({
          id: toGlobalId("Visit", visit.id),
          plannedAt: visit.plannedAt,
          status: visit.status,
          toMeet: visit.contactIdsToMeet.includes(id),
          met: visit.contactIdsMet.includes(id),
        })),
        history: history.map((event) => ({
          action: event.action,
          at: event.at,
          actorId: event.actorId ? toGlobalId("User", event.actorId) : null,
          tokenJti: event.tokenJti,
          before: event.before,
          after: event.after,
        })),
      }),
    ) as Record<string, unknown>;
  });
}

/** Erases the person behind a contact (irreversible; see the header). */
export async function eraseContact(ctx: AuthedContext, globalId: string): Promise<string> {
  const id = expectGlobalId(globalId, "Contact");
  await ctx.db.$transaction(async (tx) => {
    await applyVersionedChange(tx, ctx.viewer, {
      entity: "Contact",
      action: "erase",
      version: null,
      find: (db) => reachableContact(db, ctx, id),
      table: (db) => db.contact,
      change: () => ({
        ...ERASED,
        jobTitle: null,
        department: null,
        email: null,
        phone: null,
        externalId: null,
        roles: [],
        isPrimary: false,
        lastVerifiedAt: null,
        updatedAt: ctx.now,
      }),
      afterWrite: (db, before) => eraseMentions(db, ctx.viewer, ctx.now, before.organisationId, before),
    });
    const personal = [...PERSONAL_COLUMNS];
    // the person's values leave every stored image of the contact, this erasure's own included
    await tx.$executeRaw`
      UPDATE "AuditEvent" SET
        "before" = CASE WHEN jsonb_typeof("before") = 'object' THEN "before" - ${personal}::text[] ELSE "before" END,
        "after" = CASE WHEN jsonb_typeof("after") = 'object' THEN "after" - ${personal}::text[] ELSE "after" END
      WHERE "entity" = 'Contact' AND "entityId" = ${id}`;
    await tx.$executeRaw`
      UPDATE "WebhookDelivery" SET "payload" = jsonb_set("payload", '{data,node}', ("payload" #> '{data,node}') - ${personal}::text[])
      WHERE "payload" #>> '{data,entity}' = 'Contact' AND "payload" #>> '{data,id}' = ${globalId}
        AND jsonb_typeof("payload" #> '{data,node}') = 'object'`;
  });
  return globalId;
}
