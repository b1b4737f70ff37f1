// Bulk upserts by external id (service tokens' scripts, and every CSV import of the referential): rows, and
// one result per row. The row columns are also the CSV columns of /import/organisations and /import/contacts.
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { ContactRole, OrganisationStatus, PortfolioCategory, Segment } from "../../db/generated/enums.js";
import { DateScalar } from "../../graphql/scalars.js";
import { ImportRowResult } from "../orders/order.type.js";
import { CustomFieldValueInput } from "../custom-fields/custom-field.type.js";

@InputType({ description: "One organisation of the source system. Fields left out are kept; null clears (name cannot be cleared)." })
export class OrganisationUpsertRow {
  @Field({ description: "The organisation's id in the source system (1 to 100 characters)." }) externalId!: string;
  @Field(() => String, { nullable: true, description: "Required to create." }) name?: string | null;
  @Field(() => String, { nullable: true, description: "SIREN (9 digits) or SIRET (14 digits)." }) legalId?: string | null;
  @Field(() => String, { nullable: true }) street?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true, description: "Default: from the postal code." }) region?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) banner?: string | null;
  @Field(() => String, { nullable: true }) buyingGroup?: string | null;
  @Field(() => OrganisationStatus, { nullable: true }) status?: OrganisationStatus | null;
  @Field(() => PortfolioCategory, { nullable: true }) category?: PortfolioCategory | null;
  @Field(() => Segment, { nullable: true }) segment?: Segment | null;
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields to set (null or an empty list as a value clears one); each must be writable by the viewer." }) customFields?: CustomFieldValueInput[] | null;
}

@InputType({ description: "One contact of the source system. Fields left out are kept; null clears (names cannot be cleared)." })
export class ContactUpsertRow {
  @Field({ description: "The contact's id in the source system (1 to 100 characters)." }) externalId!: string;
  @Field(() => ID, { nullable: true, description: "The organisation's global id; or organisationExternalId. Required to create; a contact never moves." })
  organisationId?: string | null;
  @Field(() => String, { nullable: true, description: "The organisation's external id (imported earlier)." }) organisationExternalId?: string | null;
  @Field(() => String, { nullable: true, description: "Required to create." }) firstName?: string | null;
  @Field(() => String, { nullable: true, description: "Required to create." }) lastName?: string | null;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => String, { nullable: true }) department?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => [ContactRole], { nullable: true, description: "In a CSV file: separated by |." }) roles?: ContactRole[] | null;
  @Field(() => Boolean, { nullable: true }) isPrimary?: boolean | null;
  @Field(() => DateScalar, { nullable: true }) leftCompanyAt?: Date | null;
  @Field(() => DateScalar, { nullable: true }) lastVerifiedAt?: Date | null;
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields to set (null or an empty list as a value clears one); each must be writable by the viewer." }) customFields?: CustomFieldValueInput[] | null;
}

@InputType()
export class UpsertOrganisationsInput {
  @Field(() => [OrganisationUpsertRow], { description: "At most 1 000 rows." }) rows!: OrganisationUpsertRow[];
  // nullable rather than a default: the JIT executor does not apply input-field defaults
  @Field(() => Boolean, { nullable: true, description: "Write nothing when any row is rejected (default false)." }) allOrNone?: boolean | null;
}

@InputType()
export class UpsertContactsInput {
  @Field(() => [ContactUpsertRow], { description: "At most 1 000 rows." }) rows!: ContactUpsertRow[];
  // nullable rather than a default: the JIT executor does not apply input-field defaults
  @Field(() => Boolean, { nullable: true, description: "Write nothing when any row is rejected (default false)." }) allOrNone?: boolean | null;
}

@ObjectType()
export class BulkUpsertPayload {
  @Field(() => [ImportRowResult], { description: "One result per row, in the order sent." }) results!: ImportRowResult[];
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int, { description: "Organisations that look like existing ones: queued for a data steward, not created." }) duplicateCandidates!: number;
  @Field(() => Int) rejected!: number;
  @Field({ description: "false: allOrNone was asked and some row was rejected, so nothing was written." }) committed!: boolean;
}
