import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { Invoice as InvoiceRow, Order as OrderRow, Prisma } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateScalar, MoneyScalar } from "../../graphql/scalars.js";
import { SortDirection } from "../../graphql/sorting.js";

export type { InvoiceRow, OrderRow };

export enum ImportRowStatus {
  CREATED = "CREATED",
  /** the external id exists with other values and the record follows its source (incidents): rewritten */
  UPDATED = "UPDATED",
  UNCHANGED = "UNCHANGED",
  /** the external id exists with different values: nothing is overwritten (correct with a new external id) */
  CONFLICT = "CONFLICT",
  REJECTED = "REJECTED",
  /** an organisation row that looks like an existing organisation: queued for a data steward, nothing created */
  DUPLICATE_CANDIDATE = "DUPLICATE_CANDIDATE",
}
registerEnumType(ImportRowStatus, {
  name: "ImportRowStatus",
  description:
    "CREATED: written; UPDATED: the external id exists with other values and the record follows its source (incidents), rewritten; UNCHANGED: already imported with the same values; CONFLICT: the external id exists with other values and the document is immutable (orders, invoices), nothing overwritten; REJECTED: invalid, nothing written; DUPLICATE_CANDIDATE: an organisation that looks like an existing one, queued for a data steward as a creation request (its id), nothing created.",
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
  @Field(() => ID, { nullable: true, description: "Global id of the stored order, invoice or incident." }) id!: string | null;
}

@ObjectType()
export class ImportPayload {
  @Field(() => [ImportRowResult], { description: "One result per row, in the order sent." }) results!: ImportRowResult[];
  @Field(() => Int) created!: number;
  @Field(() => Int, { description: "Rows rewritten from their source (incidents); always 0 for orders and invoices." }) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) conflicts!: number;
  @Field(() => Int) rejected!: number;
}


// ───────────── Reading imported documents back ─────────────

@ObjectType({ implements: Node, description: "An order imported from the ERP (immutable: a correction is a new order)." })
export class Order extends Node {
  @Field({ description: "The ERP's id of the order." }) externalId!: string;
  @Field(() => DateScalar) orderedAt!: Date;
  @Field(() => MoneyScalar) amount!: Prisma.Decimal;
  @Field(() => DateScalar, { nullable: true, description: "The promised delivery date." }) deliveryDate!: Date | null;
  @Field(() => DateScalar, { nullable: true }) deliveredAt!: Date | null;
}

@ObjectType({ implements: Node, description: "An invoice (or, when negative, a credit note) imported from the ERP." })
export class Invoice extends Node {
  @Field({ description: "The ERP's id of the invoice." }) externalId!: string;
  @Field(() => DateScalar) invoicedAt!: Date;
  @Field(() => MoneyScalar, { description: "Negative for a credit note." }) amount!: Prisma.Decimal;
  @Field(() => String, { nullable: true, description: "The ERP's id of the order invoiced, as sent." }) orderExternalId!: string | null;
}

export const OrderConnection = ConnectionType(Order, "Order");
export const InvoiceConnection = ConnectionType(Invoice, "Invoice");

/** The criteria orders and invoices share (not in the schema itself: nothing names it). */
@InputType("ErpDocumentFilter")
abstract class ErpDocumentFilter {
  @Field(() => ID, { nullable: true }) organisationId?: string | null;
  @Field(() => DateScalar, { nullable: true, description: "Dated on or after this day." }) from?: Date | null;
  @Field(() => DateScalar, { nullable: true, description: "Dated on or before this day (inclusive)." }) to?: Date | null;
  @Field(() => ID, { nullable: true, description: "The rep credited: in charge of the organisation on the document's date." })
  creditedRepId?: string | null;
  @Field(() => [String], { nullable: true, description: "The ERP's external ids (at most 1 000): to read back what was imported." })
  externalIds?: string[] | null;
}

@InputType({ description: "All given criteria must hold." })
export class OrderFilter extends ErpDocumentFilter {
  @Field(() => Boolean, { nullable: true, description: "Delivered (true) or not yet (false)." }) delivered?: boolean | null;
}

@InputType({ description: "All given criteria must hold." })
export class InvoiceFilter extends ErpDocumentFilter {}

export enum OrderOrderField {
  ORDERED_AT = "ORDERED_AT",
  AMOUNT = "AMOUNT",
  IMPORTED_AT = "IMPORTED_AT",
}
registerEnumType(OrderOrderField, { name: "OrderOrderField" });

export enum InvoiceOrderField {
  INVOICED_AT = "INVOICED_AT",
  AMOUNT = "AMOUNT",
  IMPORTED_AT = "IMPORTED_AT",
}
registerEnumType(InvoiceOrderField, { name: "InvoiceOrderField" });

@InputType({ description: "Default: newest first (ORDERED_AT, DESC)." })
export class OrderOrder {
  @Field(() => OrderOrderField) field!: OrderOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@InputType({ description: "Default: newest first (INVOICED_AT, DESC)." })
export class InvoiceOrder {
  @Field(() => InvoiceOrderField) field!: InvoiceOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}
