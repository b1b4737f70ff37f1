// Organisation requests: reps and partners ask, data stewards resolve (approve with corrections, reject
// with a reason, or merge). Provisional work logged against a pending request follows it on approval.
import { z } from "zod";
import { organisationScope } from "../../auth/row-scope.js";
import { actorOf, isUserViewer, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { badInput, conflict, notFound } from "../../errors/api-errors.js";
import { type Connection, expectGlobalId, lazyConnection, type PageArgs, pageWindow, readPage } from "../../graphql/relay.js";
import { prismaDirection } from "../../graphql/sorting.js";
import { validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { applyOrganisationChanges, insertOrganisation, readOrganisationFields, type OrganisationFieldValues } from "../referential/organisation-admin.service.js";
import { regionOf } from "../organisations/organisation.region.js";
import { foldName } from "../organisations/organisation.search.js";
import { prepareCustomFieldWrite, prepareHeldCustomFieldWrite } from "../custom-fields/custom-field.service.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";
import { findDuplicateCandidates, type DuplicateCandidateRow } from "./duplicates.js";
import { mergeInTransaction } from "./organisation-merge.service.js";
import { candidatesByRequest, duplicateRequestsByRequest, requestById } from "./organisation-request.loaders.js";
import { requestScope } from "./organisation-request.scope.js";
export { requestScope };
import {
  OrganisationRequestOrderField,
  type ApproveOrganisationRequestInput,
  type FindDuplicateOrganisationsInput,
  type MergeOrganisationRequestInput,
  type OrganisationRequestFilter,
  type OrganisationRequestOrder,
  type OrganisationRequestRow,
  type RejectOrganisationRequestInput,
  type RequestOrganisationInput,
} from "./organisation-request.type.js";

type Tx = Prisma.TransactionClient;
const ORDER_COLUMN: Record<OrganisationRequestOrderField, "createdAt" | "updatedAt"> = { CREATED_AT: "createdAt", UPDATED_AT: "updatedAt" };

export function listOrganisationRequests(
  ctx: AuthedContext,
  filter: OrganisationRequestFilter | null | undefined,
  order: OrganisationRequestOrder | null | undefined,
  pageArgs: PageArgs,
): Connection<OrganisationRequestRow> {
  const page = readPage(pageArgs);
  const and: Prisma.OrganisationRequestWhereInput[] = [requestScope(ctx.viewer)];
  if (filter?.status?.length) and.push({ status: { in: filter.status } });
  if (filter?.kind?.length) and.push({ kind: { in: filter.kind } });
  if (filter?.createdBefore) and.push({ createdAt: { lt: filter.createdBefore } });
  if (filter?.createdAfter) and.push({ createdAt: { gte: filter.createdAfter } });
  if (filter?.requestedById) and.push({ requestedById: expectGlobalId(filter.requestedById, "User") });
  if (filter?.region?.length) and.push({ region: { in: filter.region } });
  if (filter?.updatedAfter) and.push({ updatedAt: { gt: filter.updatedAfter } });
  const where = { AND: and };
  const column = ORDER_COLUMN[order?.field ?? OrganisationRequestOrderField.CREATED_AT];
  // Default: oldest first, the order a queue is worked in.
  const direction = order ? prismaDirection(order.direction) : "asc";
  return lazyConnection(
    () =>
      ctx.db.organisationRequest.findMany({
        where,
        orderBy: [{ [column]: direction }, { id: direction }],
        ...pageWindow(page),
      }),
    page,
    () => ctx.db.organisationRequest.count({ where }),
  );
}

export async function getOrganisationRequest(ctx: AuthedContext, globalId: string): Promise<OrganisationRequestRow> {
  const request = await ctx.loaders.get(requestById).load(expectGlobalId(globalId, "OrganisationRequest"));
  if (!request) throw notFound("OrganisationRequest");
  return request;
}

export function loadRequest(ctx: RequestContext, id: string | null) {
  return id ? ctx.loaders.get(requestById).load(id) : null;
}

export function duplicateCandidatesOf(ctx: RequestContext, requestId: string) {
  return ctx.loaders.get(candidatesByRequest).load(requestId);
}

const ProposedNote = z.string().trim().max(2000).nullish();

/** Who files: a user, or the issuer of a partner token (and the token's jti). */
function requester(viewer: Viewer): { requestedById: string; requestedByTokenJti: string | null } {
  const actor = actorOf(viewer);
  return { requestedById: actor.actorId!, requestedByTokenJti: isUserViewer(viewer) ? null : actor.tokenJti };
}

async function visibleOrganisation(ctx: AuthedContext, globalId: string | null | undefined, field: string) {
  if (!globalId) throw badInput(`${field} is required for this kind of request`, { fields: [{ field }] });
  const organisation = await ctx.db.organisation.findFirst({ where: { id: expectGlobalId(globalId, "Organisation"), ...organisationScope(ctx.viewer, ctx.today) } });
  if (!organisation) throw notFound("Organisation");
  return organisation;
}

const onlyCreationCarriesCustomFields = () =>
  badInput("Only a creation request carries custom fields (an organisation's own are set with setCustomFields)", { fields: [{ field: "customFields" }] });

/**
 * A creation request's custom values, checked for its author as a creation is (unknown key, wrong value,
 * not writable, required): nothing is filed when one is refused. The other kinds carry none.
 */
async function proposedCustomFields(ctx: AuthedContext, input: RequestOrganisationInput): Promise<Prisma.InputJsonObject> {
  if (input.kind !== "CREATE") {
    if (input.customFields?.length) throw onlyCreationCarriesCustomFields();
    return {};
  }
  const write = await prepareCustomFieldWrite(ctx, CustomFieldEntity.ORGANISATION, input.customFields, "create");
  return write({}).customFields ?? {};
}

export async function requestOrganisation(ctx: AuthedContext, input: RequestOrganisationInput): Promise<OrganisationRequestRow> {
  const fields = readOrganisationFields(input.fields);
  const note = validate(ProposedNote, input.note);
  const customFields = await proposedCustomFields(ctx, input);
  let organisationId: string | null = null;
  let otherOrganisationId: string | null = null;
  let probe: OrganisationFieldValues = fields;
  if (input.kind === "CREATE") {
    if (!fields.name || !(fields.city || fields.postalCode)) {
      throw badInput("A creation request needs at least a name and a town (or postal code)", { fields: [{ field: "fields.name" }, { field: "fields.city" }] });
    }
  } else if (input.kind === "UPDATE") {
    const target = await visibleOrganisation(ctx, input.organisationId, "organisationId");
    if (!Object.keys(fields).length) throw badInput("An update request needs at least one field", { fields: [{ field: "fields" }] });
    organisationId = target.id;
    probe = { ...target, ...fields } as OrganisationFieldValues;
  } else {
    const one = await visibleOrganisation(ctx, input.organisationId, "organisationId");
    const other = await visibleOrganisation(ctx, input.otherOrganisationId, "otherOrganisationId");
    if (one.id === other.id) throw badInput("A merge suggestion needs two different organisations", { fields: [{ field: "otherOrganisationId" }] });
    organisationId = one.id;
    otherOrganisationId = other.id;
    probe = one as OrganisationFieldValues;
  }
  // The region drives the stewards' queue filter; a town is often all a rep knows.
  const region = await regionOf(ctx.db, probe);
  const duplicateProbe = { ...probe, searchName: foldName(probe.name ?? "") };
  const candidates = await findDuplicateCandidates(ctx.db, duplicateProbe, [organisationId, otherOrganisationId].filter((id): id is string => !!id));
  // A prospect someone else asked for already, not approved yet, is a candidate too.
  const requestCandidates = input.kind === "CREATE" ? await findDuplicateCandidates(ctx.db, duplicateProbe, [], "pendingRequests") : [];
  return ctx.db.$transaction(async (tx) => {
    const request = await tx.organisationRequest.create({
      data: {
        kind: input.kind,
        ...requester(ctx.viewer),
        organisationId,
        otherOrganisationId,
        proposed: JSON.parse(JSON.stringify(fields)) as Prisma.InputJsonValue,
        customFields,
        name: fields.name ?? null,
        searchName: fields.name ? foldName(fields.name) : "",
        legalId: fields.legalId ?? null,
        postalCode: fields.postalCode ?? null,
        city: fields.city ?? null,
        region,
        phone: fields.phone ?? null,
        email: fields.email ?? null,
        note: note ?? null,
      },
    });
    await storeCandidates(tx, request.id, candidates);
    await storeRequestCandidates(tx, request.id, requestCandidates);
    // … and the earlier requests learn of this one (the steward sees the pair from either side).
    if (requestCandidates.length) {
      await tx.requestDuplicateRequest.createMany({
        data: requestCandidates.map((c) => ({ requestId: c.organisationId, candidateId: request.id, reasons: c.reasons, score: c.score })),
        skipDuplicates: true,
      });
    }
    await recordAudit(tx, ctx.viewer, { entity: "OrganisationRequest", entityId: request.id, action: "create", after: { ...request, candidates, requestCandidates } });
    return request;
  });
}

async function storeCandidates(tx: Tx, requestId: string, candidates: DuplicateCandidateRow[]) {
  await tx.requestDuplicateCandidate.deleteMany({ where: { requestId } });
  if (candidates.length) await tx.requestDuplicateCandidate.createMany({ data: candidates.map((c) => ({ requestId, ...c })) });
}

/** Pending creation requests that look like this one (candidate rows name the request in `organisationId`). */
async function storeRequestCandidates(tx: Tx, requestId: string, candidates: DuplicateCandidateRow[]) {
  await tx.requestDuplicateRequest.deleteMany({ where: { requestId } });
  const others = candidates.filter((c) => c.organisationId !== requestId);
  if (others.length) {
    await tx.requestDuplicateRequest.createMany({ data: others.map((c) => ({ requestId, candidateId: c.organisationId, reasons: c.reasons, score: c.score })) });
  }
}

/**
 * A creation request resolved into an organisation (approved, or merged into an existing one): requests
 * that had it as a candidate now have that organisation as a candidate, with the same reasons.
 */
async function carryOverCandidates(tx: Tx, requestId: string, organisationId: string) {
  await tx.$executeRaw`
    INSERT INTO "RequestDuplicateCandidate" ("requestId", "organisationId", "reasons", "score")
    SELECT d."requestId", ${organisationId}::uuid, d."reasons", d."score" FROM "RequestDuplicateRequest" d WHERE d."candidateId" = ${requestId}::uuid
    ON CONFLICT DO NOTHING`;
}

export async function findDuplicateOrganisations(ctx: AuthedContext, input: FindDuplicateOrganisationsInput) {
  const values = readOrganisationFields(input);
  const rows = await findDuplicateCandidates(ctx.db, { ...values, searchName: foldName(values.name ?? "") });
  return withIdentities(ctx, rows);
}

/** Recomputes a request's candidates now (the referential moves while a request waits). */
export async function refreshDuplicateCandidates(ctx: AuthedContext, globalId: string) {
  const request = await getOrganisationRequest(ctx, globalId);
  const proposed = request.proposed as OrganisationFieldValues;
  const probe = { ...proposed, searchName: request.searchName };
  const rows = await findDuplicateCandidates(ctx.db, probe, [request.organisationId, request.otherOrganisationId].filter((id): id is string => !!id));
  const requestRows = request.kind === "CREATE" ? await findDuplicateCandidates(ctx.db, probe, [request.id], "pendingRequests") : [];
  await ctx.db.$transaction(async (tx) => {
    await storeCandidates(tx, request.id, rows);
    await storeRequestCandidates(tx, request.id, requestRows);
    await recordAudit(tx, ctx.viewer, { entity: "OrganisationRequest", entityId: request.id, action: "refreshDuplicateCandidates", after: { candidates: rows, requestCandidates: requestRows } });
  });
  return request;
}

export async function withIdentities(ctx: RequestContext, rows: DuplicateCandidateRow[]) {
  const organisations = await ctx.db.organisation.findMany({
    where: { id: { in: rows.map((row) => row.organisationId) } },
    select: { id: true, name: true, city: true, postalCode: true, legalId: true, status: true },
  });
  const byId = new Map(organisations.map((o) => [o.id, o]));
  return rows.flatMap((row) => {
    const organisation = byId.get(row.organisationId);
    return organisation ? [{ organisation, reasons: row.reasons, score: row.score }] : [];
  });
}

/** Locks the request for resolution: it must exist, be pending and carry the version the steward read. */
async function pendingRequest(tx: Tx, globalId: string, version: number | null): Promise<OrganisationRequestRow> {
  const request = await tx.organisationRequest.findUnique({ where: { id: expectGlobalId(globalId, "OrganisationRequest") } });
  if (!request) throw notFound("OrganisationRequest");
  if (version !== null && request.version !== version) {
    throw conflict(`OrganisationRequest was changed by someone else (version ${request.version}, you sent ${version})`, { currentVersion: request.version });
  }
  if (request.status !== "PENDING") throw conflict(`OrganisationRequest is already ${request.status}`, { currentVersion: request.version });
  return request;
}

/** Resolves a pending request (read and checked by pendingRequest); "still PENDING" in the guarded write makes a concurrent resolution lose. */
function resolve(
  tx: Tx,
  viewer: Viewer,
  request: OrganisationRequestRow,
  data: { status: "APPROVED" | "REJECTED" | "MERGED"; organisationId?: string | null; resolutionNote?: string | null },
  now: Date,
): Promise<OrganisationRequestRow> {
  return applyVersionedChange(tx, viewer, {
    entity: "OrganisationRequest",
    action: data.status.toLowerCase(),
    version: request.version,
    find: async () => request,
    table: (db) => db.organisationRequest,
    still: { status: "PENDING" },
    change: () => ({ ...data, resolverId: actorOf(viewer).actorId, resolvedAt: now }),
  });
}

/** Provisional work (visits, tasks, notes, leads) logged against the request now belongs to the organisation. */
export async function reattachProvisionalWork(tx: Tx, viewer: Viewer, requestId: string, organisationId: string): Promise<void> {
  const moved = {
    visits: (await tx.visit.updateMany({ where: { requestId }, data: { organisationId } })).count,
    tasks: (await tx.task.updateMany({ where: { requestId }, data: { organisationId } })).count,
    notes: (await tx.note.updateMany({ where: { requestId }, data: { organisationId } })).count,
    leads: (await tx.lead.updateMany({ where: { organisationRequestId: requestId }, data: { organisationId } })).count,
  };
  await recordAudit(tx, viewer, { entity: "OrganisationRequest", entityId: requestId, action: "reattachProvisionalWork", after: { organisationId, moved } });
}

export async function approveOrganisationRequest(ctx: AuthedContext, input: ApproveOrganisationRequestInput): Promise<OrganisationRequestRow> {
  const corrections = readOrganisationFields(input.corrections);
  const note = validate(ProposedNote, input.note) ?? null;
  // the request's custom values with the steward's corrections, checked against the definitions of today (read before the transaction)
  const heldCustomFields = await prepareHeldCustomFieldWrite(ctx, CustomFieldEntity.ORGANISATION, input.customFields);
  return ctx.db.$transaction(async (tx) => {
    const request = await pendingRequest(tx, input.id, input.version);
    const proposed = { ...(request.proposed as OrganisationFieldValues), ...corrections };
    if (request.kind !== "CREATE" && input.customFields?.length) throw onlyCreationCarriesCustomFields();
    if (request.kind === "CREATE") {
      const organisation = await insertOrganisation(tx, ctx.viewer, ctx.today, proposed, heldCustomFields(request.customFields));
      await reattachProvisionalWork(tx, ctx.viewer, request.id, organisation.id);
      await carryOverCandidates(tx, request.id, organisation.id);
      return resolve(tx, ctx.viewer, request, { status: "APPROVED", organisationId: organisation.id, resolutionNote: note }, ctx.now);
    }
    if (request.kind === "UPDATE") {
      await applyOrganisationChanges(tx, ctx.viewer, ctx.today, request.organisationId!, null, proposed);
      return resolve(tx, ctx.viewer, request, { status: "APPROVED", resolutionNote: note }, ctx.now);
    }
    // Approving a merge suggestion merges the second organisation into the first.
    await mergeInTransaction(tx, ctx.viewer, ctx.today, request.otherOrganisationId!, request.organisationId!);
    return resolve(tx, ctx.viewer, request, { status: "MERGED", resolutionNote: note }, ctx.now);
  });
}

export async function rejectOrganisationRequest(ctx: AuthedContext, input: RejectOrganisationRequestInput): Promise<OrganisationRequestRow> {
  const reason = validate(z.string().trim().min(1, "must not be empty").max(2000), input.reason);
  return ctx.db.$transaction(async (tx) => {
    const request = await pendingRequest(tx, input.id, input.version);
    // Provisional work stays attached to the request: its author still sees it, nobody else does.
    return resolve(tx, ctx.viewer, request, { status: "REJECTED", resolutionNote: reason }, ctx.now);
  });
}

/** Merge source into target; with a request, the request is resolved (MERGED into the target) in the same transaction. */
export async function mergeOrganisations(ctx: AuthedContext, input: { sourceId: string; targetId: string; requestId?: string | null }) {
  const sourceId = expectGlobalId(input.sourceId, "Organisation");
  const targetId = expectGlobalId(input.targetId, "Organisation");
  return ctx.db.$transaction(async (tx) => {
    const target = await mergeInTransaction(tx, ctx.viewer, ctx.today, sourceId, targetId);
    let request: OrganisationRequestRow | null = null;
    if (input.requestId) {
      // Checked last, on purpose: the status guard is what protects against a concurrent resolution,
      // and a failure here must roll the whole merge back.
      const pending = await pendingRequest(tx, input.requestId, null);
      await reattachProvisionalWork(tx, ctx.viewer, pending.id, targetId);
      request = await resolve(tx, ctx.viewer, pending, { status: "MERGED", organisationId: targetId }, ctx.now);
    }
    return { organisation: target, organisationRequest: request };
  });
}

/**
 * A creation request for an organisation that exists already: resolved MERGED into it, without creating a
 * record; the work logged on the request (visits, tasks, notes, leads) moves to the organisation.
 */
export async function mergeOrganisationRequest(ctx: AuthedContext, input: MergeOrganisationRequestInput): Promise<OrganisationRequestRow> {
  const targetId = expectGlobalId(input.organisationId, "Organisation");
  const note = validate(ProposedNote, input.note) ?? null;
  return ctx.db.$transaction(async (tx) => {
    const request = await pendingRequest(tx, input.id, input.version);
    if (request.kind !== "CREATE") throw badInput("Only a creation request merges into an existing organisation (approve the others)", { fields: [{ field: "id" }] });
    const target = await tx.organisation.findFirst({ where: { id: targetId, mergedIntoId: null }, select: { id: true } });
    if (!target) throw notFound("Organisation");
    await reattachProvisionalWork(tx, ctx.viewer, request.id, targetId);
    await carryOverCandidates(tx, request.id, targetId);
    return resolve(tx, ctx.viewer, request, { status: "MERGED", organisationId: targetId, resolutionNote: note }, ctx.now);
  });
}

export function duplicateRequestsOf(ctx: RequestContext, requestId: string) {
  return ctx.loaders.get(duplicateRequestsByRequest).load(requestId);
}
