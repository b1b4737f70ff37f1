// Leads: created by reps, managers, head office and partners (leads:write); qualified, disqualified, and
// converted into an opportunity (known company) or an organisation request (unknown company).
import { z } from "zod";
import { assignmentInForce, organisationScope } from "../../auth/row-scope.js";
import { isUserViewer } from "../../auth/viewer.js";
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { type Connection, expectGlobalId, lazyConnection, type PageArgs, pageWindow, readPage, toGlobalId } from "../../graphql/relay.js";
import { validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { foldName } from "../organisations/organisation.search.js";
import { insertOpportunity, openStage } from "../pipeline/opportunity.service.js";
import { leadScope } from "./lead.scope.js";
import type { ConvertLeadInput, CreateLeadInput, DisqualifyLeadInput, LeadFilter, LeadRow, QualifyLeadInput } from "./lead.type.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";
import { prepareCustomFieldWrite } from "../custom-fields/custom-field.service.js";

type Tx = Prisma.TransactionClient;

const text = (max: number) => z.string().trim().max(max).nullish();
const LeadFields = z.object({
  companyName: z.string().trim().min(1, "must not be empty").max(200),
  score: z.number().int().min(0, "must be between 0 and 100").max(100, "must be between 0 and 100").nullish(),
  contactName: text(200),
  email: z.string().trim().toLowerCase().email("is not a valid email address").max(254).nullish(),
  phone: z.string().trim().regex(/^\+?[0-9 ().-]{6,20}$/, "is not a valid phone number").nullish(),
  city: text(100),
  postalCode: text(10),
  notes: text(4000),
});

export function listLeads(ctx: AuthedContext, filter: LeadFilter | null | undefined, pageArgs: PageArgs): Connection<LeadRow> {
  const page = readPage(pageArgs);
  const and: Prisma.LeadWhereInput[] = [leadScope(ctx.viewer, ctx.today)];
  if (filter?.status?.length) and.push({ status: { in: filter.status } });
  if (filter?.source?.length) and.push({ source: { in: filter.source } });
  if (filter?.minScore != null) and.push({ score: { gte: filter.minScore } });
  if (filter?.updatedAfter) and.push({ updatedAt: { gt: filter.updatedAfter } });
  const where = { AND: and };
  return lazyConnection(
    () =>
      ctx.db.lead.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        ...pageWindow(page),
      }),
    page,
    () => ctx.db.lead.count({ where }),
  );
}

export async function getLead(ctx: AuthedContext, globalId: string): Promise<LeadRow> {
  const lead = await ctx.db.lead.findFirst({ where: { id: expectGlobalId(globalId, "Lead"), ...leadScope(ctx.viewer, ctx.today) } });
  if (!lead) throw notFound("Lead");
  return lead;
}

async function repInCharge(ctx: AuthedContext, tx: Tx, organisationId: string): Promise<string | null> {
  const row = await tx.organisationAssignment.findFirst({ where: { organisationId, ...assignmentInForce(ctx.today) }, orderBy: { validFrom: "desc" }, select: { repId: true } });
  return row?.repId ?? null;
}

export async function createLead(ctx: AuthedContext, input: CreateLeadInput): Promise<LeadRow> {
  const fields = validate(LeadFields, input);
  const viewer = ctx.viewer;
  return ctx.db.$transaction(async (tx) => {
    let organisationId: string | null = null;
    if (input.organisationId) {
      organisationId = expectGlobalId(input.organisationId, "Organisation");
      const visible = await tx.organisation.findFirst({ where: { id: organisationId, ...organisationScope(viewer, ctx.today) }, select: { id: true } });
      if (!visible) throw notFound("Organisation");
    }
    let ownerId: string | null = null;
    if (viewer.kind === "REP") ownerId = viewer.userId;
    else if (input.ownerId && (viewer.kind === "MANAGER" || viewer.kind === "HEAD_OFFICE")) {
      ownerId = expectGlobalId(input.ownerId, "User");
      const allowed = ctx.scope.mayManage(ownerId) && (await tx.user.count({ where: { id: ownerId, role: "REP", active: true } }));
      if (!allowed) throw badInput("The owner must be an active rep you manage", { fields: [{ field: "ownerId" }] });
    } else if (organisationId) ownerId = await repInCharge(ctx, tx, organisationId);
    const partner = viewer.kind === "PARTNER";
    const lead = await tx.lead.create({
      data: {
        ...fields,
        score: fields.score ?? 0,
        source: input.source ?? (partner ? "PARTNER" : viewer.kind === "REP" ? "REP" : "MARKETING"),
        organisationId,
        ownerId,
        createdByTokenJti: isUserViewer(viewer) ? null : viewer.jti,
        partnerTokenId: partner ? viewer.tokenId : null,
        createdAt: ctx.now,
      },
    });
    await recordAudit(tx, viewer, { entity: "Lead", entityId: lead.id, action: "create", after: lead });
    return lead;
  });
}

async function versionedLeadChange(
  ctx: AuthedContext,
  globalId: string,
  version: number,
  action: string,
  change: (tx: Tx, before: LeadRow) => Promise<Prisma.LeadUncheckedUpdateManyInput>,
): Promise<LeadRow> {
  const id = expectGlobalId(globalId, "Lead");
  return ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: "Lead",
      action,
      version,
      find: (db) => db.lead.findFirst({ where: { id, ...leadScope(ctx.viewer, ctx.today) } }),
      table: (db) => db.lead,
      change: (before, db) => change(db, before),
    }),
  );
}

export function qualifyLead(ctx: AuthedContext, input: QualifyLeadInput): Promise<LeadRow> {
  const { score } = validate(LeadFields.pick({ score: true }), { score: input.score });
  return versionedLeadChange(ctx, input.id, input.version, "qualify", async (_tx, before) => {
    if (before.status !== "NEW") throw badInput(`Only a new lead can be qualified (this one is ${before.status})`);
    return { status: "QUALIFIED", qualifiedAt: ctx.now, ...(score != null ? { score } : {}) };
  });
}

export function disqualifyLead(ctx: AuthedContext, input: DisqualifyLeadInput): Promise<LeadRow> {
  const reason = input.reason.trim();
  if (!reason) throw badInput("A reason is required", { fields: [{ field: "reason" }] });
  return versionedLeadChange(ctx, input.id, input.version, "disqualify", async (_tx, before) => {
    if (before.status === "CONVERTED" || before.status === "DISQUALIFIED") throw badInput(`The lead is already ${before.status}`);
    return { status: "DISQUALIFIED", disqualifiedReason: reason };
  });
}

/**
 * Known company → an opportunity on it (status CONVERTED, linked). Unknown company → an organisation
 * request of kind CREATE with the lead's company data (the lead stays QUALIFIED, linked to the request);
 * once the stewards approve it, converting again with the new organisation opens the opportunity.
 */
export async function convertLead(ctx: AuthedContext, input: ConvertLeadInput): Promise<LeadRow> {
  // read before the transaction: nothing inside it may wait on another connection
  const stage = await openStage(ctx, null);
  const custom = await prepareCustomFieldWrite(ctx, CustomFieldEntity.OPPORTUNITY, input.opportunityCustomFields, "create");
  return versionedLeadChange(ctx, input.id, input.version, "convert", async (tx, before) => {
    if (before.status === "CONVERTED" || before.status === "DISQUALIFIED") throw badInput(`The lead is already ${before.status}`);
    const organisationId = input.organisationId ? expectGlobalId(input.organisationId, "Organisation") : before.organisationId;
    if (organisationId) {
      const opportunity = await insertOpportunity(ctx, tx, {
        organisationId: toGlobalId("Organisation", organisationId),
        name: input.opportunityName?.trim() || before.companyName,
        amount: input.amount ?? new Prisma.Decimal(0),
        source: before.source,
        ownerId: null,
      }, stage, custom);
      return { status: "CONVERTED", organisationId, opportunityId: opportunity.id, qualifiedAt: before.qualifiedAt ?? ctx.now };
    }
    if (before.organisationRequestId) throw badInput("An organisation request is already pending for this lead: convert it once approved, with its organisation");
    const viewer = ctx.viewer;
    const request = await tx.organisationRequest.create({
      data: {
        kind: "CREATE",
        requestedById: isUserViewer(viewer) ? viewer.userId : viewer.issuedById,
        requestedByTokenJti: isUserViewer(viewer) ? null : viewer.jti,
        name: before.companyName,
        searchName: foldName(before.companyName),
        postalCode: before.postalCode,
        city: before.city,
        phone: before.phone,
        email: before.email,
        proposed: { name: before.companyName, postalCode: before.postalCode, city: before.city, phone: before.phone, email: before.email, contactName: before.contactName },
        note: `From lead ${before.id}`,
      },
    });
    await recordAudit(tx, viewer, { entity: "OrganisationRequest", entityId: request.id, action: "create", after: request });
    return { status: "QUALIFIED", organisationRequestId: request.id, qualifiedAt: before.qualifiedAt ?? ctx.now };
  });
}
