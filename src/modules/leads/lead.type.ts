import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { LeadStatus, OpportunitySource } from "../../db/generated/enums.js";
import type { Lead as LeadRow, Prisma } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import { FILTER_DOCS } from "../../graphql/filter-tree.js";
import { CustomFieldValueInput } from "../custom-fields/custom-field.type.js";

registerEnumType(LeadStatus, { name: "LeadStatus" });

export type { LeadRow };

@ObjectType({ implements: Node, description: "A sales lead from marketing, a partner or a rep." })
export class Lead extends Node {
  @Field(() => OpportunitySource) source!: OpportunitySource;
  @Field(() => LeadStatus) status!: LeadStatus;
  @Field(() => Int, { description: "0–100: how promising the lead is." }) score!: number;
  @Field() companyName!: string;
  @Field(() => String, { nullable: true }) contactName!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) qualifiedAt!: Date | null;
  @Field(() => String, { nullable: true }) disqualifiedReason!: string | null;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

export const LeadConnection = ConnectionType(Lead, "Lead");

@InputType()
export class LeadFilter {
  @Field(() => [LeadStatus], { nullable: true }) status?: LeadStatus[] | null;
  @Field(() => [OpportunitySource], { nullable: true }) source?: OpportunitySource[] | null;
  @Field(() => Int, { nullable: true, description: "Score at least." }) minScore?: number | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
}

@InputType()
export class CreateLeadInput {
  @Field() companyName!: string;
  @Field(() => OpportunitySource, { nullable: true, description: "Default: PARTNER for partners, REP for reps, MARKETING otherwise." })
  source?: OpportunitySource | null;
  @Field(() => Int, { nullable: true }) score?: number | null;
  @Field(() => ID, { nullable: true, description: "When the company is already a known organisation." }) organisationId?: string | null;
  @Field(() => ID, { nullable: true, description: "Managers and head office: the rep to follow it up." }) ownerId?: string | null;
  @Field(() => String, { nullable: true }) contactName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@InputType()
export class QualifyLeadInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => Int, { nullable: true }) score?: number | null;
}

@InputType()
export class DisqualifyLeadInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field() reason!: string;
}

@InputType({
  description:
    "Known company (the lead's organisation or organisationId): an opportunity is created. Unknown company: an organisation request (CREATE) is filed with the lead's company data for the data stewards; convert again once it is approved to open the opportunity.",
})
export class ConvertLeadInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => ID, { nullable: true }) organisationId?: string | null;
  @Field(() => String, { nullable: true, description: "Default: the company name." }) opportunityName?: string | null;
  @Field(() => MoneyScalar, { nullable: true, description: "Default: 0.00 (to estimate)." }) amount?: Prisma.Decimal | null;
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields of the opportunity it opens (required ones included)." }) opportunityCustomFields?: CustomFieldValueInput[] | null;
}

@ObjectType()
export class LeadPayload {
  @Field(() => Lead, { nullable: true }) lead!: LeadRow | null;
}
