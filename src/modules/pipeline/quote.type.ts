import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { QuoteStatus } from "../../db/generated/enums.js";
import type { Prisma, Quote as QuoteRow } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";

registerEnumType(QuoteStatus, {
  name: "QuoteStatus",
  description: "EXPIRED is read, not stored: a SENT quote past its validUntil date reads as EXPIRED.",
});

export type { QuoteRow };

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
