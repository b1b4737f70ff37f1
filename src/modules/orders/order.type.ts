import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { Invoice as InvoiceRow, Order as OrderRow } from "../../db/generated/client.js";

export type { InvoiceRow, OrderRow };

export enum ImportRowStatus {
  CREATED = "CREATED",
  UNCHANGED = "UNCHANGED",
  /** the external id exists with different values: nothing is overwritten (correct with a new external id) */
  CONFLICT = "CONFLICT",
  REJECTED = "REJECTED",
}
registerEnumType(ImportRowStatus, {
  name: "ImportRowStatus",
  description:
    "CREATED: written; UNCHANGED: already imported with the same values; CONFLICT: the external id exists with other values, nothing overwritten; REJECTED: invalid, nothing written.",
});

// Amounts and dates are strings here, validated per row by the service: a bad value in one row is
// reported on that row instead of failing the whole batch at variable coercion.
@InputType({ description: "One ERP order. organisationId is the organisation's global id (legal ids are not unique in the referential)." })
export class OrderImportRow {
  @Field() externalId!: string;
  @Field() organisationId!: string;
  @Field({ description: "YYYY-MM-DD" }) orderedAt!: string;
  @Field({ description: 'Decimal string, e.g. "1234.50"' }) amount!: string;
  @Field(() => String, { nullable: true }) deliveryDate?: string | null;
  @Field(() => String, { nullable: true }) deliveredAt?: string | null;
}

@InputType({ description: "One ERP invoice. organisationId is the organisation's global id." })
export class InvoiceImportRow {
  @Field() externalId!: string;
  @Field() organisationId!: string;
  @Field({ description: "YYYY-MM-DD" }) invoicedAt!: string;
  @Field({ description: 'Decimal string, e.g. "1234.50"' }) amount!: string;
  @Field(() => String, { nullable: true }) orderExternalId?: string | null;
}

@InputType()
export class ImportOrdersInput {
  @Field(() => [OrderImportRow], { description: "At most 1 000 rows." }) rows!: OrderImportRow[];
}

@InputType()
export class ImportInvoicesInput {
  @Field(() => [InvoiceImportRow], { description: "At most 1 000 rows." }) rows!: InvoiceImportRow[];
}

@ObjectType()
export class ImportRowError {
  @Field() field!: string;
  @Field() message!: string;
}

@ObjectType()
export class ImportRowResult {
  @Field() externalId!: string;
  @Field(() => ImportRowStatus) status!: ImportRowStatus;
  @Field(() => [ImportRowError]) errors!: ImportRowError[];
  @Field(() => ID, { nullable: true, description: "Global id of the stored order or invoice." }) id!: string | null;
}

@ObjectType()
export class ImportPayload {
  @Field(() => [ImportRowResult], { description: "One result per row, in the order sent." }) results!: ImportRowResult[];
  @Field(() => Int) created!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) conflicts!: number;
  @Field(() => Int) rejected!: number;
}

