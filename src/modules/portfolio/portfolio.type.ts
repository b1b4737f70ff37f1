import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import type { Prisma } from "../../db/generated/client.js";
import { DateScalar, MoneyScalar } from "../../graphql/scalars.js";
import { Organisation, type OrganisationRow } from "../organisations/organisation.type.js";

@InputType({ description: "Planned visits per year for one organisation (set by the rep's manager or head office)." })
export class SetPlannedVisitsInput {
  @Field(() => ID) organisationId!: string;
  @Field(() => Int, { nullable: true, description: "Null: from the visit policy." }) plannedVisitsPerYear!: number | null;
  @Field(() => Int, { nullable: true, description: "The organisation's version you read: a stale one is CONFLICT (omitted: overwrites)." })
  version?: number | null;
}

@ObjectType()
export class SetPlannedVisitsPayload {
  @Field(() => Organisation, { nullable: true }) organisation!: OrganisationRow | null;
}

// ───────── Portfolio value ─────────

@ObjectType({ description: "A rep's portfolio at a month end, from the assignment history." })
export class PortfolioMonth {
  @Field(() => DateScalar, { description: "First day of the month." }) month!: Date;
  @Field(() => Int) organisationCount!: number;
  @Field(() => MoneyScalar, { description: "Invoiced in the 12 months up to the month end, on the organisations in charge at the month end." })
  trailingRevenue!: Prisma.Decimal;
  @Field(() => MoneyScalar, { description: "Open weighted pipeline of those organisations (today's open opportunities)." })
  openWeightedPipeline!: Prisma.Decimal;
  @Field(() => MoneyScalar) value!: Prisma.Decimal;
}

