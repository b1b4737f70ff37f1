import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ContactRole } from "../../db/generated/enums.js";
import type { Contact as ContactRow } from "../../db/generated/client.js";
import { sameNameColumns, type ColumnMap } from "../../graphql/projection.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { FILTER_DOCS, type FilterTree } from "../../graphql/filter-tree.js";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";
import { NullsOrder, ORDER_DOCS, SortDirection } from "../../graphql/sorting.js";
import { CustomFieldCondition, CustomFieldValueInput } from "../custom-fields/custom-field.type.js";

registerEnumType(ContactRole, { name: "ContactRole", description: "What a person does for their organisation (several may apply)." });

export type { ContactRow };

@ObjectType({ implements: Node, description: "A person at an organisation." })
export class Contact extends Node {
  @Field() firstName!: string;
  @Field() lastName!: string;
  @Field(() => String, { nullable: true }) jobTitle!: string | null;
  @Field(() => String, { nullable: true }) department!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => [ContactRole]) roles!: ContactRole[];
  @Field({ description: "The main contact of the organisation." }) isPrimary!: boolean;
  @Field(() => DateScalar, { nullable: true, description: "Set when the person left: kept for history, no longer targeted." })
  leftCompanyAt!: Date | null;
  @Field(() => DateScalar, { nullable: true }) lastVerifiedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "The contact's id in the source system of an import." }) externalId!: string | null;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const ContactConnection = ConnectionType(Contact, "Contact");

/** What each field of Contact reads (the fields of the type and the resolvers in contact.resolver.ts). */
export const CONTACT_COLUMNS: ColumnMap<ContactRow> = {
  always: ["id", "organisationId"],
  fields: {
    customFields: ["customFields"],
    customField: ["customFields"],
    ...sameNameColumns<ContactRow>("firstName", "lastName", "jobTitle", "department", "email", "phone", "roles", "isPrimary"),
    ...sameNameColumns<ContactRow>("leftCompanyAt", "lastVerifiedAt", "externalId", "version", "createdAt", "updatedAt"),
    id: ["id"],
    organisation: ["organisationId"],
  },
};

@InputType({ description: FILTER_DOCS.type })
export class ContactFilter implements FilterTree<ContactFilter> {
  @Field(() => ID, { nullable: true }) organisationId?: string | null;
  @Field(() => String, { nullable: true, description: "Fragment of first name, last name or email." }) text?: string | null;
  @Field(() => [ContactRole], { nullable: true, description: "Contacts having any of these roles." }) roles?: ContactRole[] | null;
  @Field(() => Boolean, { nullable: true, description: "Include people who left (default false); read on the outermost filter only." }) includeLeft?: boolean | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
  @Field(() => [CustomFieldCondition], { nullable: true, description: "Conditions on custom fields the reader may read (all must hold)." }) customFields?: CustomFieldCondition[] | null;
  @Field(() => [ContactFilter], { nullable: true, description: FILTER_DOCS.AND }) AND?: ContactFilter[] | null;
  @Field(() => [ContactFilter], { nullable: true, description: FILTER_DOCS.OR }) OR?: ContactFilter[] | null;
  @Field(() => ContactFilter, { nullable: true, description: FILTER_DOCS.NOT }) NOT?: ContactFilter | null;
}

export enum ContactOrderField {
  LAST_NAME = "LAST_NAME",
  UPDATED_AT = "UPDATED_AT",
}
registerEnumType(ContactOrderField, { name: "ContactOrderField" });

@InputType()
export class ContactOrder {
  @Field(() => ContactOrderField) field!: ContactOrderField;
  @Field(() => SortDirection, { nullable: true, defaultValue: SortDirection.ASC }) direction?: SortDirection | null;
  @Field(() => NullsOrder, { nullable: true, description: ORDER_DOCS.nulls }) nulls?: NullsOrder | null;
}

@InputType()
export class CreateContactInput {
  @Field(() => ID) organisationId!: string;
  @Field(() => String, { nullable: true, description: "The contact's id in the source system (imports and bulk upserts find it again by it)." })
  externalId?: string | null;
  @Field() firstName!: string;
  @Field() lastName!: string;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => String, { nullable: true }) department?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => [ContactRole], { nullable: true }) roles?: ContactRole[] | null;
  @Field(() => Boolean, { nullable: true }) isPrimary?: boolean | null;
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields to set (null or an empty list as a value clears one); each must be writable by the viewer." }) customFields?: CustomFieldValueInput[] | null;
}

@InputType({ description: "Only the fields sent are changed; `version` must be the one last read." })
export class UpdateContactInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => String, { nullable: true }) department?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => [ContactRole], { nullable: true }) roles?: ContactRole[] | null;
  @Field(() => Boolean, { nullable: true }) isPrimary?: boolean | null;
  @Field(() => DateScalar, { nullable: true }) leftCompanyAt?: Date | null;
  @Field(() => DateScalar, { nullable: true }) lastVerifiedAt?: Date | null;
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields to set (null or an empty list as a value clears one); each must be writable by the viewer." }) customFields?: CustomFieldValueInput[] | null;
}

@ObjectType()
export class ContactPayload {
  @Field(() => Contact, { nullable: true }) contact!: ContactRow | null;
}

export enum ContactIssueKind {
  LEFT = "LEFT",
  INVALID_EMAIL = "INVALID_EMAIL",
  INVALID_PHONE = "INVALID_PHONE",
  NEVER_VERIFIED = "NEVER_VERIFIED",
  VERIFIED_OVER_A_YEAR_AGO = "VERIFIED_OVER_A_YEAR_AGO",
}
registerEnumType(ContactIssueKind, {
  name: "ContactIssue",
  description: "LEFT: left the company (kept, never targeted); INVALID_EMAIL / INVALID_PHONE: malformed; NEVER_VERIFIED / VERIFIED_OVER_A_YEAR_AGO: for people still there.",
});
