// Quotes on opportunities. Expiry is computed on read: a SENT quote whose validUntil is before today reads
// as EXPIRED (and filters use the same condition in SQL). Nothing has to run at midnight, the answer is
// right at any date, and the stored status only records what people did (sent, accepted, declined).
import { z } from "zod";
import type { QuoteStatus } from "../../db/generated/enums.js";
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { isTokenViewer, isUserViewer } from "../../auth/viewer.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { filterTreeWhere } from "../../graphql/filter-tree.js";
import { type Connection, expectGlobalId, lazyConnection, type PageArgs, pageOfList, pageWindow, readPage } from "../../graphql/relay.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { quotesByOpportunity } from "./opportunity.loaders.js";
import { chasesByQuote } from "./quote.loaders.js";
import { opportunityScope, quoteScope } from "./opportunity.scope.js";
import {
  QuoteDecision,
  type ChaseQuoteInput,
  type CreateQuoteInput,
  type DecideQuoteInput,
  type QuoteFilter,
  type QuoteRow,
  type SendQuoteInput,
  type UpdateQuoteInput,
} from "./quote.type.js";

type Tx = Prisma.TransactionClient;

export function quoteStatus(ctx: RequestContext, quote: QuoteRow): QuoteStatus {
  if (quote.status === "SENT" && quote.validUntil && quote.validUntil.getTime() < ctx.today.getTime()) return "EXPIRED";
  return quote.status;
}

/** The stored rows whose status reads as `status` on `today` (see quoteStatus: expiry is computed). */
function statusWhere(statuses: readonly QuoteStatus[], today: Date): Prisma.QuoteWhereInput {
  const valid: Prisma.QuoteWhereInput = { OR: [{ validUntil: null }, { validUntil: { gte: today } }] };
  return {
    OR: statuses.map((status): Prisma.QuoteWhereInput => {
      if (status === "EXPIRED") return { status: "SENT", validUntil: { lt: today } };
      if (status === "SENT") return { status: "SENT", ...valid };
      return { status };
    }),
  };
}

/** One filter node's own conditions (AND / OR / NOT are composed by filterTreeWhere). */
function conditionsWhere(ctx: AuthedContext, filter: QuoteFilter): Prisma.QuoteWhereInput[] {
  const where: Prisma.QuoteWhereInput[] = [];
  if (filter.status?.length) where.push(statusWhere(filter.status, ctx.today));
  if (filter.opportunityId) where.push({ opportunityId: expectGlobalId(filter.opportunityId, "Opportunity") });
  if (filter.organisationId) where.push({ opportunity: { organisationId: expectGlobalId(filter.organisationId, "Organisation") } });
  if (filter.sentFrom) where.push({ sentAt: { gte: filter.sentFrom } });
  if (filter.sentTo) where.push({ sentAt: { lte: filter.sentTo } });
  if (filter.updatedAfter) where.push({ updatedAt: { gt: filter.updatedAfter } });
  return where;
}

/** The quotes the viewer may see, newest first: the list the CSV export of quotes pages through. */
export function listQuotes(ctx: AuthedContext, filter: QuoteFilter | null | undefined, pageArgs: PageArgs): Connection<QuoteRow> {
  const page = readPage(pageArgs);
  const where: Prisma.QuoteWhereInput = { AND: [quoteScope(ctx.viewer, ctx.today), ...filterTreeWhere(filter, (node) => conditionsWhere(ctx, node))] };
  return lazyConnection(
    () => ctx.db.quote.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...pageWindow(page) }),
    page,
    () => ctx.db.quote.count({ where }),
  );
}

/** Sent, follow-up date reached, not expired, not decided: the customer should be called. */
export function quotesToChase(ctx: AuthedContext, pageArgs: PageArgs): Connection<QuoteRow> {
  const page = readPage(pageArgs);
  const where: Prisma.QuoteWhereInput = {
    AND: [quoteScope(ctx.viewer, ctx.today), statusWhere(["SENT"], ctx.today), { followUpDate: { lte: ctx.today } }],
  };
  return lazyConnection(
    () =>
      ctx.db.quote.findMany({
        where,
        orderBy: [{ followUpDate: "asc" }, { id: "asc" }],
        ...pageWindow(page),
      }),
    page,
    () => ctx.db.quote.count({ where }),
  );
}

export async function quotesOfOpportunity(ctx: RequestContext, opportunityId: string, pageArgs: PageArgs) {
  return pageOfList(await ctx.loaders.get(quotesByOpportunity).load(opportunityId), readPage(pageArgs));
}

export async function getQuote(ctx: AuthedContext, globalId: string): Promise<QuoteRow> {
  const quote = await ctx.db.quote.findFirst({ where: { id: expectGlobalId(globalId, "Quote"), ...quoteScope(ctx.viewer, ctx.today) } });
  if (!quote) throw notFound("Quote");
  return quote;
}

export const chasesOf = (ctx: RequestContext, quoteId: string) => ctx.loaders.get(chasesByQuote).load(quoteId);

const QuoteFields = z.object({
  amount: z.custom<Prisma.Decimal>((v) => (v as Prisma.Decimal | null)?.isNegative?.() === false, "must not be negative"),
  reference: z.string().trim().max(60).nullish(),
});

export async function createQuote(ctx: AuthedContext, input: CreateQuoteInput): Promise<QuoteRow> {
  const opportunityId = expectGlobalId(input.opportunityId, "Opportunity");
  const fields = validate(QuoteFields, input);
  return ctx.db.$transaction(async (tx) => {
    const opportunity = await tx.opportunity.findFirst({ where: { id: opportunityId, ...opportunityScope(ctx.viewer, ctx.today) } });
    if (!opportunity) throw notFound("Opportunity");
    if (opportunity.status !== "OPEN") throw badInput("Quotes are made on open opportunities");
    const quote = await tx.quote.create({ data: { opportunityId, amount: fields.amount, reference: fields.reference ?? null, createdAt: ctx.now } });
    await recordAudit(tx, ctx.viewer, { entity: "Quote", entityId: quote.id, action: "create", after: quote });
    return quote;
  });
}

/** A versioned, audited change of one quote in the viewer's scope (applyVersionedChange). */
function changeQuote(
  ctx: AuthedContext,
  globalId: string,
  version: number,
  action: string,
  change: (before: QuoteRow) => Prisma.QuoteUncheckedUpdateManyInput,
  afterWrite?: (tx: Tx, before: QuoteRow, after: QuoteRow) => Promise<void>,
): Promise<QuoteRow> {
  const id = expectGlobalId(globalId, "Quote");
  return ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: "Quote",
      action,
      version,
      find: (db) => db.quote.findFirst({ where: { id, ...quoteScope(ctx.viewer, ctx.today) } }),
      change,
      table: (db) => db.quote,
      afterWrite,
    }),
  );
}

export function sendQuote(ctx: AuthedContext, input: SendQuoteInput): Promise<QuoteRow> {
  const sentAt = input.sentAt ?? ctx.today;
  if (input.validUntil.getTime() < sentAt.getTime()) throw badInput("validUntil must not be before the sending date", { fields: [{ field: "validUntil" }] });
  if (input.followUpDate.getTime() < sentAt.getTime()) throw badInput("followUpDate must not be before the sending date", { fields: [{ field: "followUpDate" }] });
  return changeQuote(ctx, input.id, input.version, "send", (before) => {
    if (before.status !== "DRAFT") throw badInput("Only a draft quote can be sent");
    return { status: "SENT", sentAt, validUntil: input.validUntil, followUpDate: input.followUpDate };
  });
}

export function decideQuote(ctx: AuthedContext, input: DecideQuoteInput): Promise<QuoteRow> {
  return changeQuote(ctx, input.id, input.version, "decide", (before) => {
    const status = quoteStatus(ctx, before);
    if (status === "EXPIRED") throw badInput("The quote has expired: send a new one");
    if (status !== "SENT") throw badInput("Only a sent quote can be accepted or declined");
    return { status: input.decision === QuoteDecision.ACCEPTED ? "ACCEPTED" : "DECLINED", decidedAt: ctx.now };
  });
}

/** Dates a sent quote's terms may carry: not before the day it was sent. */
function checkNotBeforeSending(sentAt: Date | null, dates: Record<string, Date | undefined>) {
  for (const [field, date] of Object.entries(dates)) {
    if (date && sentAt && date.getTime() < sentAt.getTime()) throw badInput(`${field} must not be before the sending date`, { fields: [{ field }] });
  }
}

export function updateQuote(ctx: AuthedContext, input: UpdateQuoteInput): Promise<QuoteRow> {
  for (const field of ["amount", "validUntil", "followUpDate"] as const) {
    if (input[field] === null) throw badInput(`${field} cannot be cleared`, { fields: [{ field }] });
  }
  const fields = validate(QuoteFields.partial(), sentFields({ amount: input.amount, reference: input.reference }));
  const terms = sentFields({ validUntil: input.validUntil ?? undefined, followUpDate: input.followUpDate ?? undefined });
  return changeQuote(ctx, input.id, input.version, "update", (before) => {
    if (before.status !== "DRAFT" && before.status !== "SENT") throw badInput(`A ${before.status} quote cannot change`, { status: before.status });
    if (before.status === "DRAFT" && Object.keys(terms).length) {
      throw badInput("A draft's validity and follow-up are set when it is sent (sendQuote)", { fields: Object.keys(terms).map((field) => ({ field })) });
    }
    checkNotBeforeSending(before.sentAt, terms);
    return { ...fields, ...(fields.reference !== undefined ? { reference: fields.reference || null } : {}), ...terms };
  });
}

export function chaseQuote(ctx: AuthedContext, input: ChaseQuoteInput): Promise<QuoteRow> {
  const chasedOn = input.chasedOn ?? ctx.today;
  const { note } = validate(z.object({ note: z.string().trim().max(2000).nullish() }), { note: input.note });
  if (chasedOn.getTime() > ctx.today.getTime()) throw badInput("chasedOn must not be after today", { fields: [{ field: "chasedOn" }] });
  if (input.nextFollowUpDate.getTime() <= chasedOn.getTime()) throw badInput("nextFollowUpDate must be after the chase", { fields: [{ field: "nextFollowUpDate" }] });
  return changeQuote(
    ctx,
    input.id,
    input.version,
    "chase",
    (before) => {
      const status = quoteStatus(ctx, before);
      if (status !== "SENT") throw badInput(`Only a sent, unexpired quote is chased (this one is ${status})`, { status });
      checkNotBeforeSending(before.sentAt, { chasedOn });
      if (before.validUntil && input.nextFollowUpDate.getTime() > before.validUntil.getTime()) {
        throw badInput("nextFollowUpDate is after the quote expires: extend validUntil with updateQuote first", { fields: [{ field: "nextFollowUpDate" }] });
      }
      return { followUpDate: input.nextFollowUpDate };
    },
    async (tx, before) => {
      await tx.quoteChase.create({
        data: {
          quoteId: before.id,
          chasedOn,
          note: note || null,
          previousFollowUpDate: before.followUpDate,
          nextFollowUpDate: input.nextFollowUpDate,
          byId: isUserViewer(ctx.viewer) ? ctx.viewer.userId : null,
          tokenJti: isTokenViewer(ctx.viewer) ? ctx.viewer.jti : null,
          createdAt: ctx.now,
        },
      });
    },
  );
}
