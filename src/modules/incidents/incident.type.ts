import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { IncidentKind, IncidentStatus } from "../../db/generated/enums.js";
import type { Incident as IncidentRow } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { FILTER_DOCS } from "../../graphql/filter-tree.js";
import { SortDirection } from "../../graphql/sorting.js";

registerEnumType(IncidentKind, { name: "IncidentKind" });
registerEnumType(IncidentStatus, { name: "IncidentStatus" });

export type { IncidentRow };

@ObjectType({ implements: Node, description: "An alert or open problem from another department (support, logistics), imported by their systems." })
export class Incident extends Node {
  @Field({ description: "The source system's id of the incident." }) externalId!: string;
  @Field(() => IncidentKind) kind!: IncidentKind;
  @Field(() => IncidentStatus) status!: IncidentStatus;
  @Field() summary!: string;
  @Field(() => String, { nullable: true, description: "The department that raised it (support, logistics…)." }) department!: string | null;
  @Field(() => DateTimeScalar) openedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => DateTimeScalar, { description: "Last change by an import." }) updatedAt!: Date;
}

export const IncidentConnection = ConnectionType(Incident, "Incident");

@InputType({ description: "All given criteria must hold." })
export class IncidentFilter {
  @Field(() => ID, { nullable: true }) organisationId?: string | null;
  @Field(() => [IncidentStatus], { nullable: true }) status?: IncidentStatus[] | null;
  @Field(() => [IncidentKind], { nullable: true }) kind?: IncidentKind[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Opened at or after." }) openedFrom?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Opened before (exclusive)." }) openedBefore?: Date | null;
  @Field(() => String, { nullable: true }) department?: string | null;
  @Field(() => [String], { nullable: true, description: "The source system's external ids (at most 1 000): to read back an import." })
  externalIds?: string[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
}

export enum IncidentOrderField {
  OPENED_AT = "OPENED_AT",
  UPDATED_AT = "UPDATED_AT",
}
registerEnumType(IncidentOrderField, { name: "IncidentOrderField" });

@InputType({ description: "Default: open ones first, then newest first." })
export class IncidentOrder {
  @Field(() => IncidentOrderField) field!: IncidentOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

// Kinds, statuses and dates are strings here, validated per row by the service: a bad value in one row is
// reported on that row instead of failing the whole batch at variable coercion.
@InputType({ description: "One incident as the source system has it now; re-sending it with other values updates it." })
export class IncidentImportRow {
  @Field() externalId!: string;
  @Field({ description: "The organisation's global id." }) organisationId!: string;
  @Field({ description: "DELIVERY_DELAY, AFTER_SALES, BILLING, QUALITY or OTHER." }) kind!: string;
  @Field(() => String, { nullable: true, description: "OPEN or RESOLVED; default: RESOLVED when resolvedAt is given, else OPEN." })
  status?: string | null;
  @Field({ description: "ISO 8601 timestamp with a zone, or a date YYYY-MM-DD." }) openedAt!: string;
  @Field(() => String, { nullable: true, description: "Required for a RESOLVED incident; ISO 8601 timestamp or date." }) resolvedAt?: string | null;
  @Field({ description: "1 to 2 000 characters." }) summary!: string;
  @Field(() => String, { nullable: true }) department?: string | null;
}

@InputType()
export class ImportIncidentsInput {
  @Field(() => [IncidentImportRow], { description: "At most 1 000 rows." }) rows!: IncidentImportRow[];
}
