// Upserts of the referential by external id — one definition of the row logic for the GraphQL bulk
// mutations and the CSV imports (csv-import.ts sends its batches through those mutations). Each row goes
// through the services a person's edit goes through (validation, scope, audit, portfolio placement):
// - a known external id with the same values is UNCHANGED, with other values UPDATED (versioned, audited);
// - a new organisation that looks like an existing one (the stewards' duplicate rules, duplicates.ts), like
//   a creation request still pending or like an earlier new row of its batch is never created: it becomes a creation request with its
//   candidates in the stewards' queue (DUPLICATE_CANDIDATE, the request's id), and approving it creates
//   the organisation with the external id — re-sending the row meanwhile finds that request again;
// - a batch is one transaction; with allOrNone a rejected row rolls it back (committed: false).
import { GraphQLError } from "graphql";
import { contactScope } from "../../auth/row-scope.js";
import type { Db } from "../../db/client.js";
import type { Prisma } from "../../db/generated/client.js";
import { badInput, ErrorCode } from "../../errors/api-errors.js";
import type { AuthedContext } from "../../graphql/context.js";
import { parseGlobalId, toGlobalId } from "../../graphql/relay.js";
import { sentFields } from "../../graphql/validation.js";
import { createContact, updateContact } from "../contacts/contact.service.js";
import type { ContactRow } from "../contacts/contact.type.js";
import { MAX_IMPORT_ROWS } from "../orders/import-batch.js";
import { ImportRowStatus, type ImportRowError, type ImportRowResult } from "../orders/order.type.js";
import { findDuplicateCandidatesOfMany, lookAlikesOfEarlierProbes, type DuplicateProbe } from "../organisation-requests/duplicates.js";
import { requestOrganisation } from "../organisation-requests/organisation-request.service.js";
import type { OrganisationFieldsInput } from "../referential/organisation-admin.type.js";
import { assignManyByLocation } from "../referential/assign-by-location.js";
import { applyOrganisationChanges, insertUnplacedOrganisation, readOrganisationFields } from "../referential/organisation-admin.service.js";
import { foldName } from "../organisations/organisation.search.js";
import type { OrganisationRow } from "../organisations/organisation.type.js";
import type { BulkUpsertPayload, ContactUpsertRow, OrganisationUpsertRow } from "./bulk-upsert.type.js";
import { joinTransaction, LONG_TRANSACTION, RollBack } from "./joined-transaction.js";
import { allDefinitions, changesCustomFields, prepareCustomFieldWrite } from "../custom-fields/custom-field.service.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";

type Tx = Prisma.TransactionClient;
type Written = { status: ImportRowStatus; id: string };

/** What an entity decides: what is already stored under the batch's external ids, and how one row is written. */
interface UpsertKind<Row extends { externalId: string }, Known> {
  lookup(ctx: AuthedContext, rows: Row[]): Promise<(row: Row) => Known | undefined>;
  /** writes one row in the batch's transaction (ctx.db joins it); throws BAD_USER_INPUT naming the fields at fault */
  write(ctx: AuthedContext, tx: Tx, row: Row, known: Known | undefined): Promise<Written>;
  /** what the batch's new records need once all are written, in the same transaction (database ids) */
  afterBatch?(ctx: AuthedContext, tx: Tx, createdIds: string[]): Promise<void>;
}

const rowErrors = (error: unknown): ImportRowError[] | null => {
  if (!(error instanceof GraphQLError)) return null;
  const code = error.extensions.code;
  if (code === ErrorCode.BAD_USER_INPUT) {
    const fields = (error.extensions.fields as { field: string; message?: string }[] | undefined) ?? [];
    return fields.length ? fields.map((f) => ({ field: f.field.replace(/^fields\./, ""), message: f.message ?? error.message })) : [{ field: "", message: error.message }];
  }
  if (code === ErrorCode.NOT_FOUND || code === ErrorCode.CONFLICT) return [{ field: "externalId", message: error.message }];
  return null;
};

async function upsertBatch<Row extends { externalId: string }, Known>(
  ctx: AuthedContext,
  kind: UpsertKind<Row, Known>,
  rows: Row[],
  allOrNone: boolean,
): Promise<BulkUpsertPayload> {
  if (rows.length > MAX_IMPORT_ROWS) throw badInput(`A batch holds at most ${MAX_IMPORT_ROWS} rows (got ${rows.length})`, { max: MAX_IMPORT_ROWS });
  const results: ImportRowResult[] = rows.map((row) => ({ externalId: row.externalId, status: ImportRowStatus.REJECTED, errors: [], id: null }));
  const seen = new Set<string>();
  const valid: { row: Row; result: ImportRowResult }[] = [];
  rows.forEach((row, index) => {
    const result = results[index]!;
    const externalId = row.externalId.trim();
    if (!externalId || externalId.length > 100) result.errors.push({ field: "externalId", message: "must be 1 to 100 characters" });
    else if (seen.has(externalId)) result.errors.push({ field: "externalId", message: "appears twice in the batch" });
    else valid.push({ row: { ...row, externalId }, result });
    seen.add(externalId);
  });

  // the rows' custom fields are checked inside the transaction against definitions read before it
  await allDefinitions(ctx);
  const write = async (tx: Tx) => {
    const inTx: AuthedContext = { ...ctx, db: joinTransaction(tx) };
    const known = await kind.lookup(inTx, valid.map((v) => v.row));
    for (const { row, result } of valid) {
      try {
        Object.assign(result, await kind.write(inTx, tx, row, known(row)));
      } catch (error) {
        const errors = rowErrors(error);
        if (!errors) throw error;
        result.errors.push(...errors);
      }
    }
    const createdIds = results.filter((r) => r.status === ImportRowStatus.CREATED && r.id).map((r) => parseGlobalId(r.id!)!.id);
    await kind.afterBatch?.(inTx, tx, createdIds);
    if (allOrNone && results.some((r) => r.errors.length)) throw new RollBack(null);
  };
  let committed = true;
  try {
    await ctx.db.$transaction(write, LONG_TRANSACTION);
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    committed = false;
  }
  const count = (status: ImportRowStatus) => results.filter((r) => r.status === status).length;
  return {
    results,
    created: count(ImportRowStatus.CREATED),
    updated: count(ImportRowStatus.UPDATED),
    unchanged: count(ImportRowStatus.UNCHANGED),
    duplicateCandidates: count(ImportRowStatus.DUPLICATE_CANDIDATE),
    rejected: count(ImportRowStatus.REJECTED),
    committed,
  };
}

/** The sent fields of a row (undefined: left out), without the external id. */
function sentColumns<Row extends { externalId: string }>(row: Row): Partial<Omit<Row, "externalId">> {
  const { externalId: _externalId, ...fields } = row;
  return sentFields(fields as Record<string, unknown>) as Partial<Omit<Row, "externalId">>;
}

const differs = (values: Record<string, unknown>, stored: Record<string, unknown>) =>
  Object.keys(values).filter((key) => {
    const a = values[key] ?? null;
    const b = stored[key] ?? null;
    if (a instanceof Date || b instanceof Date) return !(a instanceof Date && b instanceof Date && a.getTime() === b.getTime());
    if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? []) !== JSON.stringify(b ?? []);
    return a !== b;
  });

// ───────────── Organisations ─────────────

/** What an organisation row meets: its stored organisation, its pending creation request, or (new) whether it looks like another. */
type KnownOrganisation = { organisation: OrganisationRow } | { requestId: string } | { lookAlike: boolean };

/** Creation requests still waiting for a steward, by the external id they carry. */
async function pendingRequestsByExternalId(db: Db, externalIds: string[]): Promise<Map<string, string>> {
  if (!externalIds.length) return new Map();
  const rows = await db.$queryRaw<{ externalId: string; id: string }[]>`
    SELECT proposed->>'externalId' AS "externalId", id::text AS id FROM "OrganisationRequest"
    WHERE kind = 'CREATE' AND status = 'PENDING' AND proposed->>'externalId' = ANY(${externalIds}::text[])`;
  return new Map(rows.map((row) => [row.externalId, row.id]));
}

/** A new row's fields as the duplicate rules compare them; null when the row is refused anyway (write says why). */
function duplicateProbeOf(row: OrganisationUpsertRow): DuplicateProbe | null {
  try {
    const values = readOrganisationFields(sentColumns(row) as OrganisationFieldsInput);
    return values.name ? { ...values, searchName: foldName(values.name) } : null;
  } catch {
    return null;
  }
}

/**
 * The batch's new rows that look like an organisation, a pending creation request, or an earlier new row of
 * the batch (which is created, or queued, first) — three statements for the batch instead of two per row.
 */
async function lookAlikeRows(db: Db, rows: OrganisationUpsertRow[]): Promise<Set<OrganisationUpsertRow>> {
  const probed = rows.flatMap((row) => {
    const probe = duplicateProbeOf(row);
    return probe ? [{ row, probe }] : [];
  });
  const probes = probed.map((p) => p.probe);
  const [organisations, requests, earlier] = [
    await findDuplicateCandidatesOfMany(db, probes),
    await findDuplicateCandidatesOfMany(db, probes, [], "pendingRequests"),
    await lookAlikesOfEarlierProbes(db, probes),
  ];
  return new Set(probed.filter((_, i) => organisations[i]!.length > 0 || requests[i]!.length > 0 || earlier.has(i)).map((p) => p.row));
}

const ORGANISATIONS: UpsertKind<OrganisationUpsertRow, KnownOrganisation> = {
  async lookup(ctx, rows) {
    const externalIds = rows.map((row) => row.externalId);
    const stored = await ctx.db.organisation.findMany({ where: { externalId: { in: externalIds } } });
    const byExternalId = new Map(stored.map((o) => [o.externalId!, o]));
    const pending = await pendingRequestsByExternalId(ctx.db, externalIds.filter((id) => !byExternalId.has(id)));
    const lookAlikes = await lookAlikeRows(ctx.db, rows.filter((row) => !byExternalId.has(row.externalId) && !pending.has(row.externalId)));
    return (row) => {
      const organisation = byExternalId.get(row.externalId);
      if (organisation) return { organisation };
      const requestId = pending.get(row.externalId);
      return requestId ? { requestId } : { lookAlike: lookAlikes.has(row) };
    };
  },
  async write(ctx, tx, row, known) {
    if (known && "requestId" in known) return { status: ImportRowStatus.DUPLICATE_CANDIDATE, id: toGlobalId("OrganisationRequest", known.requestId) };
    const { customFields, ...fields } = sentColumns(row);
    const values = readOrganisationFields(fields as OrganisationFieldsInput);
    const stored = known && "organisation" in known ? known.organisation : undefined;
    const custom = await prepareCustomFieldWrite(ctx, CustomFieldEntity.ORGANISATION, customFields, stored ? "update" : "create");
    if (stored) {
      if (stored.mergedIntoId) throw badInput("was merged into another organisation by a data steward", { fields: [{ field: "externalId", message: "was merged into another organisation by a data steward" }] });
      const changed = differs(values, stored);
      const id = toGlobalId("Organisation", stored.id);
      if (!changed.length && !changesCustomFields(custom, stored.customFields)) return { status: ImportRowStatus.UNCHANGED, id };
      const changes = Object.fromEntries(changed.map((key) => [key, values[key as keyof typeof values]]));
      await applyOrganisationChanges(tx, ctx.viewer, ctx.today, stored.id, null, changes, "import", custom);
      return { status: ImportRowStatus.UPDATED, id };
    }
    if (!values.name) throw badInput("name is required", { fields: [{ field: "name", message: "is required to create an organisation" }] });
    const withExternalId = { ...values, externalId: row.externalId };
    if (known && "lookAlike" in known && known.lookAlike) {
      // the row's custom values travel on the request (checked there as this creation would be), for approval to write
      const request = await requestOrganisation(ctx, { kind: "CREATE", fields: withExternalId as OrganisationFieldsInput, customFields, note: `Import of ${row.externalId}: looks like an existing organisation` });
      return { status: ImportRowStatus.DUPLICATE_CANDIDATE, id: toGlobalId("OrganisationRequest", request.id) };
    }
    const organisation = await insertUnplacedOrganisation(tx, ctx.viewer, withExternalId, custom);
    return { status: ImportRowStatus.CREATED, id: toGlobalId("Organisation", organisation.id) };
  },
  // the batch's new organisations placed in portfolios with one evaluation of the territory rules
  afterBatch: async (ctx, tx, createdIds) => void (await assignManyByLocation(tx, ctx.viewer, createdIds, ctx.today)),
};

// ───────────── Contacts ─────────────

type KnownContact = { contact?: ContactRow; organisationId?: string };

const CONTACTS: UpsertKind<ContactUpsertRow, KnownContact> = {
  async lookup(ctx, rows) {
    // the viewer's contacts, and those of its recycle bin (an external id stays theirs until the purge)
    const stored = await ctx.db.contact.findMany({
      where: { externalId: { in: rows.map((row) => row.externalId) }, OR: [contactScope(ctx.viewer, ctx.today), ctx.scope.trash.where.contacts()] },
    });
    const byExternalId = new Map(stored.map((c) => [c.externalId!, c]));
    const organisationExternalIds = [...new Set(rows.map((row) => row.organisationExternalId?.trim()).filter((id): id is string => !!id))];
    const organisations = organisationExternalIds.length
      ? await ctx.db.organisation.findMany({ where: { externalId: { in: organisationExternalIds }, mergedIntoId: null }, select: { id: true, externalId: true } })
      : [];
    const organisationByExternalId = new Map(organisations.map((o) => [o.externalId!, o.id]));
    return (row) => ({
      contact: byExternalId.get(row.externalId),
      organisationId: row.organisationExternalId ? organisationByExternalId.get(row.organisationExternalId.trim()) : undefined,
    });
  },
  async write(ctx, _tx, row, known) {
    const { organisationId: globalId, organisationExternalId, customFields, ...fields } = sentColumns(row);
    const organisationId = globalId ? parseGlobalId(globalId)?.id : known?.organisationId;
    const stored = known?.contact;
    if (stored?.deletedAt) throw badInput("belongs to a deleted contact", { fields: [{ field: "externalId", message: "belongs to a contact in the recycle bin: restore it (restoreContact) first" }] });
    if (stored) {
      if (organisationId && organisationId !== stored.organisationId) {
        throw badInput("a contact does not move between organisations", { fields: [{ field: globalId ? "organisationId" : "organisationExternalId", message: "is not the contact's organisation (a contact does not move)" }] });
      }
      const changed = differs(fields, stored);
      const id = toGlobalId("Contact", stored.id);
      const customChanged = customFields ? changesCustomFields(await prepareCustomFieldWrite(ctx, CustomFieldEntity.CONTACT, customFields, "update"), stored.customFields) : false;
      if (!changed.length && !customChanged) return { status: ImportRowStatus.UNCHANGED, id };
      await updateContact(ctx, { id, version: stored.version, ...Object.fromEntries(changed.map((key) => [key, fields[key as keyof typeof fields]])), ...(customChanged ? { customFields } : {}) });
      return { status: ImportRowStatus.UPDATED, id };
    }
    if (!organisationId) {
      const field = organisationExternalId ? "organisationExternalId" : "organisationId";
      throw badInput("no such organisation", { fields: [{ field, message: organisationExternalId ? "no organisation has this external id" : "is required to create a contact" }] });
    }
    const contact = await createContact(ctx, { ...fields, customFields, firstName: fields.firstName ?? "", lastName: fields.lastName ?? "", externalId: row.externalId, organisationId: toGlobalId("Organisation", organisationId) });
    return { status: ImportRowStatus.CREATED, id: toGlobalId("Contact", contact.id) };
  },
};

export const upsertOrganisations = (ctx: AuthedContext, rows: OrganisationUpsertRow[], allOrNone: boolean) => upsertBatch(ctx, ORGANISATIONS, rows, allOrNone);
export const upsertContacts = (ctx: AuthedContext, rows: ContactUpsertRow[], allOrNone: boolean) => upsertBatch(ctx, CONTACTS, rows, allOrNone);
