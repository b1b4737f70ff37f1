// Quotes on opportunities. Expiry is computed on read: a SENT quote whose validUntil is before today reads
// as EXPIRED (and filters use the same condition in SQL). Nothing has to run at midnight, the answer is
// right at any date, and the stored status only records what people did (sent, accepted, declined).
import { z } from "zod";
import type { QuoteStatus } from "../../db/generated/enums.js";
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { badInput, conflict, notFound } from "../../graphql/errors.js";
import { type Connection, expectGlobalId, lazyConnection, type PageArgs, pageOfList, pageWindow, readPage } from "../../graphql/relay.js";
import { validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { quotesByOpportunity } from "./opportunity.loaders.js";
import { opportunityScope, quoteScope } from "./opportunity.scope.js";
import { QuoteDecision, type CreateQuoteInput, type DecideQuoteInput, type QuoteRow, type SendQuoteInput } from "./quote.type.js";

type Tx = Prisma.TransactionClient;

export function quoteStatus(ctx: RequestContext, quote: QuoteRow): QuoteStatus {
  if (quote.status === "SENT" && quote.validUntil && quote.validUntil.getTime() < ctx.today.getTime()) return "EXPIRED";
  return quote.status;
}

/** Sent, follow-up date reached, not expired, not decided: the customer should be called. */
export function quotesToChase(ctx: AuthedContext, pageArgs: PageArgs): Connection<QuoteRow> {
  const page = readPage(pageArgs);
  const where: Prisma.QuoteWhereInput = {
    AND: [
      quoteScope(ctx.viewer, ctx.today),
      { status: "SENT", followUpDate: { lte: ctx.today } },
      { OR: [{ validUntil: null }, { validUntil: { gte: ctx.today } }] },
    ],
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

export async function createQuote(ctx: AuthedContext, input: CreateQuoteInput): Promise<QuoteRow> {
  const opportunityId = expectGlobalId(input.opportunityId, "Opportunity");
  const fields = validate(
    z.object({
      amount: z.custom<Prisma.Decimal>((v) => (v as Prisma.Decimal | null)?.isNegative?.() === false, "must not be negative"),
      reference: z.string().trim().max(60).nullish(),
    }),
    input,
  );
  return ctx.db.$transaction(async (tx) => {
    const opportunity = await tx.opportunity.findFirst({ where: { id: opportunityId, ...opportunityScope(ctx.viewer, ctx.today) } });
    if (!opportunity) throw notFound("Opportunity");
    if (opportunity.status !== "OPEN") throw badInput("Quotes are made on open opportunities");
    const quote = await tx.quote.create({ data: { opportunityId, amount: fields.amount, reference: fields.reference ?? null, createdAt: ctx.now } });
    await recordAudit(tx, ctx.viewer, { entity: "Quote", entityId: quote.id, action: "create", after: quote });
    return quote;
  });
}

async function versionedQuoteChange(
  ctx: AuthedContext,
  globalId: string,
  version: number,
  action: string,
  change: (before: QuoteRow) => Prisma.QuoteUncheckedUpdateManyInput,
): Promise<QuoteRow> {
  const id = expectGlobalId(globalId, "Quote");
  return ctx.db.$transaction(async (tx: Tx) => {
    const before = await tx.quote.findFirst({ where: { id, ...quoteScope(ctx.viewer, ctx.today) } });
    if (!before) throw notFound("Quote");
    const stale = () => conflict(`Quote was changed by someone else (version ${before.version}, you sent ${version})`, { currentVersion: before.version });
    if (before.version !== version) throw stale();
    const updated = await tx.quote.updateMany({ where: { id, version }, data: { ...change(before), version: { increment: 1 } } });
    if (updated.count !== 1) throw stale();
    const after = await tx.quote.findUniqueOrThrow({ where: { id } });
    await recordAudit(tx, ctx.viewer, { entity: "Quote", entityId: id, action, before, after });
    return after;
  });
}

export function sendQuote(ctx: AuthedContext, input: SendQuoteInput): Promise<QuoteRow> {
  const sentAt = input.sentAt ?? ctx.today;
  if (input.validUntil.getTime() < sentAt.getTime()) throw badInput("validUntil must not be before the sending date", { fields: [{ field: "validUntil" }] });
  if (input.followUpDate.getTime() < sentAt.getTime()) throw badInput("followUpDate must not be before the sending date", { fields: [{ field: "followUpDate" }] });
  return versionedQuoteChange(ctx, input.id, input.version, "send", (before) => {
    if (before.status !== "DRAFT") throw badInput("Only a draft quote can be sent");
    return { status: "SENT", sentAt, validUntil: input.validUntil, followUpDate: input.followUpDate };
  });
}

export function decideQuote(ctx: AuthedContext, input: DecideQuoteInput): Promise<QuoteRow> {
  return versionedQuoteChange(ctx, input.id, input.version, "decide", (before) => {
    const status = quoteStatus(ctx, before);
    if (status === "EXPIRED") throw badInput("The quote has expired: send a new one");
    if (status !== "SENT") throw badInput("Only a sent quote can be accepted or declined");
    return { status: input.decision === QuoteDecision.ACCEPTED ? "ACCEPTED" : "DECLINED", decidedAt: ctx.now };
  });
}
