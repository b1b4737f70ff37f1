import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { OrganisationStatus, PortfolioCategory, Segment } from "../../db/generated/enums.js";
import { Organisation, type OrganisationRow } from "../organisations/organisation.type.js";
import { CustomFieldValueInput } from "../custom-fields/custom-field.type.js";

@InputType({ description: "Organisation data; every field is optional (partial data is fine in a request)." })
export class OrganisationFieldsInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: "Legal identifier (SIRET)." }) legalId?: string | null;
  @Field(() => String, { nullable: true }) street?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) banner?: string | null;
  @Field(() => String, { nullable: true }) buyingGroup?: string | null;
  @Field(() => ID, { nullable: true, description: "Parent organisation (managerial hierarchy)." }) parentId?: string | null;
  @Field(() => OrganisationStatus, { nullable: true }) status?: OrganisationStatus | null;
  @Field(() => PortfolioCategory, { nullable: true }) category?: PortfolioCategory | null;
  @Field(() => Segment, { nullable: true }) segment?: Segment | null;
}

@InputType({ description: "A new organisation (stewards): a name at least." })
export class CreateOrganisationInput extends OrganisationFieldsInput {
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields to set (null or an empty list as a value clears one); each must be writable by the viewer." }) customFields?: CustomFieldValueInput[] | null;
}

@InputType({ description: "The fields sent change; `version` must be the current one (else CONFLICT)." })
export class UpdateOrganisationInput extends OrganisationFieldsInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields to set (null or an empty list as a value clears one); each must be writable by the viewer." }) customFields?: CustomFieldValueInput[] | null;
}

@InputType()
export class DeactivateOrganisationInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => OrganisationStatus, { description: "INACTIVE or ARCHIVED." }) status!: OrganisationStatus;
}

@InputType({ description: "Places an organisation under another one (or at the top with parentId null)." })
export class MoveOrganisationInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => ID, { nullable: true }) parentId?: string | null;
}

@ObjectType()
export class OrganisationPayload {
  @Field(() => Organisation, { nullable: true }) organisation!: OrganisationRow | null;
}
