import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { QuoteStatus } from "../../db/generated/enums.js";
import type { Prisma, Quote as QuoteRow, QuoteChase as QuoteChaseRow } from "../../db/generated/client.js";
import type { FilterTree } from "../../graphql/filter-tree.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";

registerEnumType(QuoteStatus, {
  name: "QuoteStatus",
  description: "EXPIRED is read, not stored: a SENT quote past its validUntil date reads as EXPIRED.",
});

export type { QuoteChaseRow, QuoteRow };

export enum QuoteDecision {
  ACCEPTED = "ACCEPTED",
  DECLINED = "DECLINED",
}
registerEnumType(QuoteDecision, { name: "QuoteDecision" });

@ObjectType({ implements: Node, description: "A priced offer on an opportunity." })
export class Quote extends Node {
  @Field(() => String, { nullable: true }) reference!: string | null;
  @Field(() => MoneyScalar) amount!: Prisma.Decimal;
  @Field(() => DateScalar, { nullable: true }) sentAt!: Date | null;
  @Field(() => DateScalar, { nullable: true }) validUntil!: Date | null;
  @Field(() => DateScalar, { nullable: true }) followUpDate!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) decidedAt!: Date | null;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

export const QuoteConnection = ConnectionType(Quote, "Quote");

@InputType({ description: "All given criteria must hold, together with AND (all of), OR (any of) and NOT; at most 5 levels of AND / OR / NOT." })
export class QuoteFilter implements FilterTree<QuoteFilter> {
  @Field(() => [QuoteStatus], { nullable: true, description: "As `status` reads: EXPIRED is a sent quote past validUntil, SENT one that is not." })
  status?: QuoteStatus[] | null;
  @Field(() => ID, { nullable: true, description: "Global id of the opportunity." }) opportunityId?: string | null;
  @Field(() => ID, { nullable: true, description: "Global id of the opportunity's organisation." }) organisationId?: string | null;
  @Field(() => DateScalar, { nullable: true, description: "Sent on or after this day." }) sentFrom?: Date | null;
  @Field(() => DateScalar, { nullable: true, description: "Sent on or before this day." }) sentTo?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Changed after this instant." }) updatedAfter?: Date | null;
  @Field(() => [QuoteFilter], { nullable: true, description: "Every one of these filters holds." }) AND?: QuoteFilter[] | null;
  @Field(() => [QuoteFilter], { nullable: true, description: "At least one of these filters holds (an empty list: none)." }) OR?: QuoteFilter[] | null;
  @Field(() => QuoteFilter, { nullable: true, description: "This filter does not hold." }) NOT?: QuoteFilter | null;
}

@ObjectType({ description: "One chase of a sent quote: when the customer was called, what they said, and the follow-up date it set." })
export class QuoteChase {
  @Field(() => DateScalar) chasedOn!: Date;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => DateScalar, { nullable: true, description: "The quote's follow-up date before this chase." }) previousFollowUpDate!: Date | null;
  @Field(() => DateScalar, { description: "The follow-up date this chase set: the quote is back among the quotes to chase on that day." })
  nextFollowUpDate!: Date;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@InputType()
export class CreateQuoteInput {
  @Field(() => ID) opportunityId!: string;
  @Field(() => MoneyScalar) amount!: Prisma.Decimal;
  @Field(() => String, { nullable: true }) reference?: string | null;
}

@InputType()
export class SendQuoteInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => DateScalar, { nullable: true, description: "Default: today." }) sentAt?: Date | null;
  @Field(() => DateScalar) validUntil!: Date;
  @Field(() => DateScalar, { description: "When to chase the customer if they have not answered." }) followUpDate!: Date;
}

@InputType({ description: "Records a chase of a SENT, unexpired quote and moves its follow-up date: it leaves the quotes to chase until nextFollowUpDate." })
export class ChaseQuoteInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => DateScalar, { nullable: true, description: "When the customer was chased: between the sending date and today (default today)." }) chasedOn?: Date | null;
  @Field(() => String, { nullable: true, description: "What the customer said." }) note?: string | null;
  @Field(() => DateScalar, { description: "The next follow-up: after chasedOn and not after validUntil (extend validUntil with updateQuote first)." })
  nextFollowUpDate!: Date;
}

@InputType({
  description:
    "Changes the fields sent: a DRAFT its amount and reference; a SENT one (expired included) also validUntil and followUpDate (not before the sending date). Decided quotes cannot change. Only reference can be cleared (null).",
})
export class UpdateQuoteInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => MoneyScalar, { nullable: true }) amount?: Prisma.Decimal | null;
  @Field(() => String, { nullable: true }) reference?: string | null;
  @Field(() => DateScalar, { nullable: true }) validUntil?: Date | null;
  @Field(() => DateScalar, { nullable: true }) followUpDate?: Date | null;
}

@InputType()
export class DecideQuoteInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => QuoteDecision) decision!: QuoteDecision;
}

@ObjectType()
export class QuotePayload {
  @Field(() => Quote, { nullable: true }) quote!: QuoteRow | null;
}
