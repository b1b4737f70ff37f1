// Opportunities: reads through the viewer's scope; writes validated, versioned (CONFLICT when stale),
// audited, and every change of stage, amount or probability kept in the stage history, in one transaction.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { assignmentInForce, contactScope, organisationScope } from "../../auth/row-scope.js";
import { isUserViewer, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { filterTreeCondition, someFilterNode } from "../../graphql/filter-tree.js";
import { and, compare, idIn, idIs, not, NULLABLE, oneOf, or, toWhere, type Condition } from "../../auth/scope/condition.js";
import { CustomFieldEntity, ForecastCategory } from "../../db/generated/enums.js";
import { customFieldFilterOf, prepareCustomFieldWrite, type CustomFieldWrite } from "../custom-fields/custom-field.service.js";
import { type Connection, expectGlobalId, lazyConnection, type PageArgs, pageOfList, pageWindow, readPage } from "../../graphql/relay.js";
import type { ColumnSelect } from "../../graphql/projection.js";
import { listOrder, type OrderColumn } from "../../graphql/sorting.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { contactsByOpportunity, opportunitiesByOrganisation, opportunityById, stageHistoryByOpportunity } from "./opportunity.loaders.js";
import { opportunityScope } from "./opportunity.scope.js";
import {
  CloseOutcome,
  OpportunityOrderField,
  type CloseOpportunityInput,
  type CreateOpportunityInput,
  type MoveOpportunityStageInput,
  type OpportunityContactInput,
  type OpportunityFilter,
  type OpportunityOrder,
  type OpportunityRow,
  type StageChangeRow,
  type UpdateOpportunityInput,
} from "./opportunity.type.js";
import { listStages, stageById } from "./stage.service.js";
import type { StageRow } from "./stage.type.js";
import { forecastAtClose, forecastCategoryOf } from "./forecast.js";
import { weightedAmount } from "./weighted-amount.js";

type Tx = Prisma.TransactionClient;
const DAY_MS = 86_400_000;

const probability = z.number().int().min(0, "must be between 0 and 100").max(100, "must be between 0 and 100");
const positiveMoney = z.custom<Prisma.Decimal>((value) => (value as Prisma.Decimal | null)?.isNegative?.() === false, "must not be negative");
const OpportunityFields = z.object({
  name: z.string().trim().min(1, "must not be empty").max(200),
  amount: positiveMoney,
  probability: probability.nullish(),
  expectedCloseDate: z.date().nullish(),
  desiredDeliveryDate: z.date().nullish(),
  needs: z.string().trim().max(4000).nullish(),
  budget: positiveMoney.nullish(),
  competitors: z.array(z.string().trim().min(1).max(100)).max(20).nullish(),
  source: z.string().nullish(),
  forecastCategory: z
    .enum([ForecastCategory.PIPELINE, ForecastCategory.BEST_CASE, ForecastCategory.COMMIT, ForecastCategory.OMITTED], "must be PIPELINE, BEST_CASE, COMMIT or OMITTED (CLOSED is for won deals)")
    .nullish(),
});

// Built once: zod compiles a schema on first use, which costs more than the validation itself.
const OpportunityChanges = OpportunityFields.partial();
const ProbabilityField = z.object({ probability });

// ---------------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------------

const ORDER_COLUMNS: Record<OpportunityOrderField, OrderColumn> = {
  EXPECTED_CLOSE_DATE: { column: "expectedCloseDate", nulls: "database" },
  AMOUNT: { column: "amount" },
  CREATED_AT: { column: "createdAt" },
  UPDATED_AT: { column: "updatedAt" },
  NAME: { column: "name" },
};

/** Open deals longer in their stage than its maximum: one condition per stage (a handful), set-based. */
function staleCondition(stages: StageRow[], now: Date): Condition {
  const limited = stages.filter((stage) => stage.maxDaysInStage != null);
  return and(
    oneOf("status", ["OPEN"]),
    or(...limited.map((stage) => and(idIs("stageId", stage.id), compare("stageEnteredAt", "lt", new Date(now.getTime() - stage.maxDaysInStage! * DAY_MS))))),
  );
}

/** One filter node's own conditions (AND / OR / NOT are composed by filterTreeCondition); `stale`: staleCondition, when a node uses it. */
function nodeConditions(filter: OpportunityFilter, stale: Condition | null, custom: (node: OpportunityFilter) => Condition[]): Condition[] {
  const conditions = custom(filter);
  if (filter.status?.length) conditions.push(oneOf("status", filter.status));
  if (filter.stage?.length) conditions.push(idIn("stageId", filter.stage.map((id) => expectGlobalId(id, "PipelineStage"))));
  if (filter.owner) conditions.push(idIs("ownerId", expectGlobalId(filter.owner, "User")));
  if (filter.organisation) conditions.push(idIs("organisationId", expectGlobalId(filter.organisation, "Organisation")));
  if (filter.closingBefore) conditions.push(compare("expectedCloseDate", "lt", { day: filter.closingBefore }, NULLABLE));
  if (filter.closingAfter) conditions.push(compare("expectedCloseDate", "gte", { day: filter.closingAfter }, NULLABLE));
  if (filter.stale != null && stale) conditions.push(filter.stale ? stale : not(stale));
  if (filter.updatedAfter) conditions.push(compare("updatedAt", "gt", filter.updatedAfter));
  return conditions;
}

/** THE meaning of an opportunity filter (the list reads it as a Prisma `where`, the aggregates as SQL); the scope is the caller's. */
export async function opportunityFilterCondition(ctx: AuthedContext, filter: OpportunityFilter | null | undefined): Promise<Condition> {
  const custom = await customFieldFilterOf<OpportunityFilter>(ctx, CustomFieldEntity.OPPORTUNITY, filter);
  // the stale condition compares with each stage's maximum: the stages are read once, if a node asks for it
  const stale = someFilterNode(filter, (node) => node.stale != null) ? staleCondition(await listStages(ctx), ctx.now) : null;
  return filterTreeCondition(filter, (node) => nodeConditions(node, stale, custom));
}

/** `columns`: what the operation reads of each opportunity (connectionColumns with OPPORTUNITY_COLUMNS). */
export async function listOpportunities(
  ctx: AuthedContext,
  filter: OpportunityFilter | null | undefined,
  order: readonly OpportunityOrder[] | null | undefined,
  pageArgs: PageArgs,
  columns: ColumnSelect,
): Promise<Connection<OpportunityRow>> {
  const { orderBy, signature } = listOrder<OpportunityOrderField, Prisma.OpportunityOrderByWithRelationInput>(order, ORDER_COLUMNS, {
    field: OpportunityOrderField.EXPECTED_CLOSE_DATE,
  });
  const page = readPage(pageArgs, signature);
  const filtered = await opportunityFilterCondition(ctx, filter);
  const where: Prisma.OpportunityWhereInput = { AND: [opportunityScope(ctx.viewer, ctx.today), toWhere<Prisma.OpportunityWhereInput>(filtered)] };
  const rows = async () => {
    // Prisma's cursor also pages correctly over NULL close dates (tested).
    const list = (await ctx.db.opportunity.findMany({
      where,
      orderBy,
      ...pageWindow(page),
      ...(columns ? { select: columns } : {}),
    })) as OpportunityRow[];
    if (!columns) {
      const byId = ctx.loaders.get(opportunityById);
      for (const row of list) byId.prime(row.id, row);
    }
    return list;
  };
  return lazyConnection(rows, page, () => ctx.db.opportunity.count({ where }));
}

export async function getOpportunity(ctx: AuthedContext, globalId: string): Promise<OpportunityRow> {
  const opportunity = await ctx.loaders.get(opportunityById).load(expectGlobalId(globalId, "Opportunity"));
  if (!opportunity) throw notFound("Opportunity");
  return opportunity;
}

export const loadOpportunity = (ctx: RequestContext, id: string) => ctx.loaders.get(opportunityById).load(id);

/** `columns`: what the operation reads of each opportunity (connectionColumns with OPPORTUNITY_COLUMNS). */
export async function opportunitiesOfOrganisation(ctx: RequestContext, organisationId: string, pageArgs: PageArgs, columns: ColumnSelect) {
  const page = readPage(pageArgs);
  return pageOfList(await ctx.loaders.get(opportunitiesByOrganisation).load({ parentId: organisationId, columns }), page);
}

export const stageHistoryOf = (ctx: RequestContext, opportunityId: string) => ctx.loaders.get(stageHistoryByOpportunity).load(opportunityId);
export const contactRolesOf = (ctx: RequestContext, opportunityId: string) => ctx.loaders.get(contactsByOpportunity).load(opportunityId);

// ---------------------------------------------------------------------------------------------------
// Derived signals
// ---------------------------------------------------------------------------------------------------

export const weightedAmountOf = (opportunity: OpportunityRow) => weightedAmount(opportunity.amount, opportunity.probability);

export function daysInStage(ctx: RequestContext, opportunity: OpportunityRow): number {
  const end = opportunity.closedAt ?? ctx.now;
  return Math.max(0, Math.floor((end.getTime() - opportunity.stageEnteredAt.getTime()) / DAY_MS));
}

export async function isStale(ctx: RequestContext, opportunity: OpportunityRow): Promise<boolean> {
  if (opportunity.status !== "OPEN") return false;
  const max = (await stageById(ctx, opportunity.stageId))?.maxDaysInStage;
  // longer in the stage than its maximum to the millisecond, as the `stale` filter and the dashboard count
  // (whole days would call a deal in its stage for 30 days and an hour not stale where they list it)
  return max != null && ctx.now.getTime() - opportunity.stageEnteredAt.getTime() > max * DAY_MS;
}

/**
 * True when, in the history, the stage moved forward while the probability went down. Closing is not a
 * move forward: a lost deal drops to 0 % because it closed, not because someone lowered its chances.
 */
export async function probabilityRegressed(ctx: RequestContext, opportunity: OpportunityRow): Promise<boolean> {
  const [history, stages] = await Promise.all([stageHistoryOf(ctx, opportunity.id), listStages(ctx)]);
  const byId = new Map(stages.map((stage) => [stage.id, stage]));
  const position = (stageId: string) => byId.get(stageId)?.position ?? 0;
  const closes = (stageId: string) => Boolean(byId.get(stageId)?.isWon || byId.get(stageId)?.isLost);
  return history.some((change, i) => {
    const previous = history[i - 1];
    if (!previous || closes(change.toStageId)) return false;
    return position(change.toStageId) > position(previous.toStageId) && change.probability < previous.probability;
  });
}

/** The rep's category for an open deal, else its stage's (forecast.ts). */
export async function forecastCategory(ctx: RequestContext, opportunity: OpportunityRow): Promise<ForecastCategory | null> {
  const stage = await stageById(ctx, opportunity.stageId);
  return stage ? forecastCategoryOf(opportunity, stage) : null;
}

export function closeDateSlipped(opportunity: OpportunityRow): boolean {
  const { expectedCloseDate: current, initialCloseDate: initial } = opportunity;
  return current != null && initial != null && current.getTime() > initial.getTime();
}

// ---------------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------------

/**
 * One row of the stage history, in one statement. History is read in `at` order: the row's time is kept
 * strictly after the deal's previous row even when two changes share a clock tick (or an instance's clock is
 * behind), so the order of the rows is the order of the changes (times are kept to the millisecond). The time
 * goes as epoch milliseconds: UTC like every stored time, whatever the session's time zone.
 */
async function recordStageChange(tx: Tx, viewer: Viewer, opportunity: OpportunityRow, fromStageId: string | null, now: Date): Promise<void> {
  const [changedById, tokenJti] = isUserViewer(viewer) ? [viewer.userId, null] : [null, viewer.jti];
  await tx.$executeRaw`
    INSERT INTO "OpportunityStageChange" ("id", "opportunityId", "fromStageId", "toStageId", "amount", "probability", "changedById", "tokenJti", "at")
    SELECT ${randomUUID()}::uuid, ${opportunity.id}::uuid, ${fromStageId}::uuid, ${opportunity.stageId}::uuid, ${opportunity.amount.toString()}::numeric,
           ${opportunity.probability}::int, ${changedById}::uuid, ${tokenJti}::text,
           GREATEST(to_timestamp(${now.getTime()}::float8 / 1000) AT TIME ZONE 'UTC', (SELECT max("at") + interval '1 millisecond' FROM "OpportunityStageChange" WHERE "opportunityId" = ${opportunity.id}::uuid))`;
}

export async function openStage(ctx: AuthedContext, globalId: string | null | undefined): Promise<StageRow> {
  const stages = (await listStages(ctx)).filter((stage) => stage.active);
  if (!globalId) {
    const first = stages.find((stage) => !stage.isWon && !stage.isLost);
    if (!first) throw badInput("No open pipeline stage is configured");
    return first;
  }
  const stage = stages.find((s) => s.id === expectGlobalId(globalId, "PipelineStage"));
  if (!stage) throw notFound("PipelineStage");
  if (stage.isWon || stage.isLost) throw badInput("Won and lost stages are reached with closeOpportunity", { fields: [{ field: "stageId" }] });
  return stage;
}

/** Who owns a deal: reps their own; managers their team; head office any commercial user. */
async function resolveOwner(ctx: AuthedContext, tx: Tx, organisationId: string, ownerGlobalId: string | null | undefined): Promise<string> {
  const viewer = ctx.viewer;
  if (ownerGlobalId) {
    const ownerId = expectGlobalId(ownerGlobalId, "User");
    const owner = await tx.user.findFirst({ where: { id: ownerId, active: true, role: { in: ["REP", "MANAGER", "HEAD_OFFICE"] } } });
    if (!owner || !ctx.scope.mayAssignTo(ownerId)) throw badInput("The owner must be a commercial user you manage (or yourself)", { fields: [{ field: "ownerId" }] });
    return ownerId;
  }
  if (viewer.kind === "REP") return viewer.userId;
  const inCharge = await tx.organisationAssignment.findFirst({
    where: { organisationId, ...assignmentInForce(ctx.today) },
    orderBy: { validFrom: "desc" },
    select: { repId: true },
  });
  if (inCharge) return inCharge.repId;
  return isUserViewer(viewer) ? viewer.userId : viewer.issuedById;
}

async function checkContacts(ctx: AuthedContext, tx: Tx, organisationId: string, contacts: OpportunityContactInput[]) {
  const ids = contacts.map((c) => expectGlobalId(c.contactId, "Contact"));
  if (new Set(ids).size !== ids.length) throw badInput("A contact is listed twice", { fields: [{ field: "contacts" }] });
  const found = await tx.contact.count({ where: { id: { in: ids }, organisationId, ...contactScope(ctx.viewer, ctx.today) } });
  if (found !== ids.length) throw badInput("Contacts must belong to the opportunity's organisation", { fields: [{ field: "contacts" }] });
  return contacts.map((c, i) => ({ contactId: ids[i]!, roles: c.roles }));
}

export async function createOpportunity(ctx: AuthedContext, input: CreateOpportunityInput): Promise<OpportunityRow> {
  const stage = await openStage(ctx, input.stageId);
  const custom = await prepareCustomFieldWrite(ctx, CustomFieldEntity.OPPORTUNITY, input.customFields, "create");
  return ctx.db.$transaction((tx) => insertOpportunity(ctx, tx, input, stage, custom));
}

/** Creates a deal inside the caller's transaction (createOpportunity, convertLead): scope, owner, contacts, history, audit.
 * The stage and the custom-field definitions are read before the transaction (on another connection). */
export async function insertOpportunity(ctx: AuthedContext, tx: Tx, input: CreateOpportunityInput, stage: StageRow, custom: CustomFieldWrite): Promise<OpportunityRow> {
  const organisationId = expectGlobalId(input.organisationId, "Organisation");
  const fields = validate(OpportunityFields, input);
  const organisation = await tx.organisation.findFirst({ where: { id: organisationId, ...organisationScope(ctx.viewer, ctx.today) }, select: { id: true } });
  if (!organisation) throw notFound("Organisation");
  const ownerId = await resolveOwner(ctx, tx, organisationId, input.ownerId);
  const contacts = input.contacts?.length ? await checkContacts(ctx, tx, organisationId, input.contacts) : [];
  const opportunity = await tx.opportunity.create({
    data: {
      organisationId,
      ownerId,
      name: fields.name,
      stageId: stage.id,
      amount: fields.amount,
      probability: fields.probability ?? stage.defaultProbability,
      expectedCloseDate: fields.expectedCloseDate ?? null,
      initialCloseDate: fields.expectedCloseDate ?? null,
      desiredDeliveryDate: fields.desiredDeliveryDate ?? null,
      needs: fields.needs ?? null,
      budget: fields.budget ?? null,
      competitors: fields.competitors ?? [],
      source: input.source ?? (ctx.viewer.kind === "PARTNER" ? "PARTNER" : "REP"),
      ...qualificationData(input.qualification),
      stageEnteredAt: ctx.now,
      createdByTokenJti: isUserViewer(ctx.viewer) ? null : ctx.viewer.jti,
      createdAt: ctx.now,
      ...custom({}),
    },
  });
  if (contacts.length) await tx.opportunityContact.createMany({ data: contacts.map((c) => ({ ...c, opportunityId: opportunity.id })) });
  await recordStageChange(tx, ctx.viewer, opportunity, null, ctx.now);
  await recordAudit(tx, ctx.viewer, { entity: "Opportunity", entityId: opportunity.id, action: "create", after: opportunity });
  return opportunity;
}

function qualificationData(q: CreateOpportunityInput["qualification"]) {
  if (!q) return {};
  return sentFields({
    decisionMakersKnown: q.decisionMakersKnown ?? undefined,
    budgetKnown: q.budgetKnown ?? undefined,
    stakesKnown: q.stakesKnown ?? undefined,
    timingKnown: q.timingKnown ?? undefined,
  });
}

/** Reads the opportunity in scope, checks the version, applies `data` guarded by the version, writes history and audit. */
async function versionedChange(
  ctx: AuthedContext,
  globalId: string,
  version: number,
  action: string,
  change: (tx: Tx, before: OpportunityRow) => Promise<Prisma.OpportunityUncheckedUpdateManyInput>,
): Promise<OpportunityRow> {
  const id = expectGlobalId(globalId, "Opportunity");
  return ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: "Opportunity",
      action,
      version,
      find: (db) => db.opportunity.findFirst({ where: { id, ...opportunityScope(ctx.viewer, ctx.today) } }),
      change: (before, db) => change(db, before),
      table: (db) => db.opportunity,
      // every change of stage, amount or probability is kept in the stage history
      afterWrite: async (db, before, after) => {
        const tracked = after.stageId !== before.stageId || !after.amount.equals(before.amount) || after.probability !== before.probability;
        if (tracked) await recordStageChange(db, ctx.viewer, after, before.stageId, ctx.now);
      },
    }),
  );
}

export async function updateOpportunity(ctx: AuthedContext, input: UpdateOpportunityInput): Promise<OpportunityRow> {
  const { id, version, ownerId, qualification, contacts, ...rest } = input;
  const changes = sentFields(validate(OpportunityChanges, rest));
  for (const key of ["name", "amount", "probability", "source"] as const) {
    if (key in changes && changes[key] == null) throw badInput(`${key} cannot be cleared`, { fields: [{ field: key }] });
  }
  const custom = await prepareCustomFieldWrite(ctx, CustomFieldEntity.OPPORTUNITY, input.customFields, "update");
  return versionedChange(ctx, id, version, "update", async (tx, before) => {
    if (before.status !== "OPEN") throw badInput("A closed opportunity cannot be changed");
    if (contacts) {
      const rows = await checkContacts(ctx, tx, before.organisationId, contacts);
      await tx.opportunityContact.deleteMany({ where: { opportunityId: before.id } });
      await tx.opportunityContact.createMany({ data: rows.map((c) => ({ ...c, opportunityId: before.id })) });
    }
    const { forecastCategory: category, ...columns } = changes;
    const data: Prisma.OpportunityUncheckedUpdateManyInput = {
      ...columns,
      source: rest.source ?? undefined,
      ...qualificationData(qualification),
      ...("forecastCategory" in changes ? { forecastCategoryOverride: category ?? null } : {}),
      ...custom(before.customFields),
    } as Prisma.OpportunityUncheckedUpdateManyInput;
    if (ownerId) data.ownerId = await resolveOwner(ctx, tx, before.organisationId, ownerId);
    // The first close date ever given stays as the reference for "slipped".
    if (changes.expectedCloseDate && !before.initialCloseDate) data.initialCloseDate = changes.expectedCloseDate;
    return data;
  });
}

export async function moveOpportunityStage(ctx: AuthedContext, input: MoveOpportunityStageInput): Promise<OpportunityRow> {
  if (input.probability != null) validate(ProbabilityField, { probability: input.probability });
  const stage = await openStage(ctx, input.stageId);
  return versionedChange(ctx, input.id, input.version, "moveStage", async (_tx, before) => {
    if (before.status !== "OPEN") throw badInput("A closed opportunity cannot change stage");
    return {
      stageId: stage.id,
      probability: input.probability ?? stage.defaultProbability,
      // a new stage brings its own forecast category
      ...(stage.id !== before.stageId ? { stageEnteredAt: ctx.now, forecastCategoryOverride: null } : {}),
    } as Prisma.OpportunityUncheckedUpdateManyInput;
  });
}

export async function closeOpportunity(ctx: AuthedContext, input: CloseOpportunityInput): Promise<OpportunityRow> {
  const won = input.outcome === CloseOutcome.WON;
  const lostReason = input.lostReason?.trim() || null;
  if (!won && !lostReason) throw badInput("A lost opportunity needs a lost reason", { fields: [{ field: "lostReason" }] });
  const stage = (await listStages(ctx)).find((s) => s.active && (won ? s.isWon : s.isLost));
  if (!stage) throw badInput(`No ${won ? "won" : "lost"} stage is configured`);
  return versionedChange(ctx, input.id, input.version, won ? "closeWon" : "closeLost", async (tx, before) => {
    if (before.status !== "OPEN") throw badInput("The opportunity is already closed");
    return {
      stageId: stage.id,
      probability: stage.defaultProbability,
      status: won ? "WON" : "LOST",
      lostReason: won ? null : lostReason,
      stageEnteredAt: ctx.now,
      closedAt: ctx.now,
      forecastCategoryOverride: null,
      forecastWeightedAmount: await forecastAtClose(tx, before, stage.defaultProbability, ctx.now),
    } as Prisma.OpportunityUncheckedUpdateManyInput;
  });
}

export type { StageChangeRow };
