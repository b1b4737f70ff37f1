import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { OrganisationStatus, PortfolioCategory, Segment } from "../../db/generated/enums.js";
import type { Organisation as OrganisationRow } from "../../db/generated/client.js";
import { sameNameColumns, type ColumnMap } from "../../graphql/projection.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { FILTER_DOCS, type FilterTree } from "../../graphql/filter-tree.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { NullsOrder, ORDER_DOCS, SortDirection } from "../../graphql/sorting.js";
import { CustomFieldCondition } from "../custom-fields/custom-field.type.js";

registerEnumType(OrganisationStatus, { name: "OrganisationStatus" });
registerEnumType(PortfolioCategory, {
  name: "PortfolioCategory",
  description: "MAINTAIN: customers to keep; DEVELOP: customers to grow; CONQUER: prospects to win.",
});
registerEnumType(Segment, { name: "Segment" });

export type { OrganisationRow };

@ObjectType()
export class Address {
  @Field(() => String, { nullable: true }) street!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true }) region!: string | null;
  @Field() country!: string;
}

@ObjectType()
export class GeoPoint {
  @Field(() => Float) latitude!: number;
  @Field(() => Float) longitude!: number;
}

@ObjectType({ implements: Node, description: "A customer or prospect company, store, banner or group." })
export class Organisation extends Node {
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: "Legal identifier (SIRET in France)." }) legalId!: string | null;
  @Field(() => OrganisationStatus) status!: OrganisationStatus;
  @Field(() => PortfolioCategory) category!: PortfolioCategory;
  @Field(() => Segment) segment!: Segment;
  @Field(() => [String]) tags!: string[];
  @Field(() => String, { nullable: true }) banner!: string | null;
  @Field(() => String, { nullable: true }) buyingGroup!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true, description: "The organisation's id in the source system of an import or bulk upsert." }) externalId!: string | null;
  @Field(() => Int, { description: "Optimistic-concurrency version: send it back with updates." }) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const OrganisationConnection = ConnectionType(Organisation, "Organisation");

/** What each field of Organisation reads (its fields, and the relations other modules add, which need the id). */
export const ORGANISATION_COLUMNS: ColumnMap<OrganisationRow> = {
  always: ["id"],
  fields: {
    customFields: ["customFields"],
    customField: ["customFields"],
    ...sameNameColumns<OrganisationRow>("name", "legalId", "status", "category", "segment", "tags", "banner", "buyingGroup", "phone", "email"),
    ...sameNameColumns<OrganisationRow>("version", "createdAt", "updatedAt", "plannedVisitsPerYear", "externalId"),
    address: ["street", "postalCode", "city", "region", "country"],
    geo: ["latitude", "longitude"],
    parent: ["parentId"],
    ...Object.fromEntries(["id", "assignedRep", "contacts", "opportunities", "visits", "timeline", "assignmentHistory", "orders", "invoices", "incidents"].map((field) => [field, ["id"] as const])),
  },
};

@InputType({ description: FILTER_DOCS.type })
export class OrganisationFilter implements FilterTree<OrganisationFilter> {
  @Field(() => String, { nullable: true, description: "Name fragment; accents, case and legal forms are ignored." })
  text?: string | null;
  @Field(() => [OrganisationStatus], { nullable: true }) status?: OrganisationStatus[] | null;
  @Field(() => [PortfolioCategory], { nullable: true }) category?: PortfolioCategory[] | null;
  @Field(() => [Segment], { nullable: true }) segment?: Segment[] | null;
  @Field(() => [String], { nullable: true }) region?: string[] | null;
  @Field(() => String, { nullable: true, description: "Postal code prefix." }) postalCodePrefix?: string | null;
  @Field(() => String, { nullable: true }) banner?: string | null;
  @Field(() => ID, { nullable: true, description: "Global id of the rep in charge today." }) assignedRepId?: string | null;
  @Field(() => ID, { nullable: true, description: "Global id of the parent organisation." }) parentId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
  @Field(() => [CustomFieldCondition], { nullable: true, description: "Conditions on custom fields the reader may read (all must hold)." }) customFields?: CustomFieldCondition[] | null;
  @Field(() => [OrganisationFilter], { nullable: true, description: FILTER_DOCS.AND }) AND?: OrganisationFilter[] | null;
  @Field(() => [OrganisationFilter], { nullable: true, description: FILTER_DOCS.OR }) OR?: OrganisationFilter[] | null;
  @Field(() => OrganisationFilter, { nullable: true, description: FILTER_DOCS.NOT }) NOT?: OrganisationFilter | null;
}

export enum OrganisationOrderField {
  NAME = "NAME",
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
  POSTAL_CODE = "POSTAL_CODE",
}
registerEnumType(OrganisationOrderField, { name: "OrganisationOrderField" });

@InputType()
export class OrganisationOrder {
  @Field(() => OrganisationOrderField) field!: OrganisationOrderField;
  @Field(() => SortDirection, { nullable: true, defaultValue: SortDirection.ASC }) direction?: SortDirection | null;
  @Field(() => NullsOrder, { nullable: true, description: ORDER_DOCS.nulls }) nulls?: NullsOrder | null;
}
