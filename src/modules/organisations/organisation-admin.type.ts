import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { OrganisationStatus } from "../../db/generated/enums.js";
import { OrganisationFieldsInput } from "../organisation-requests/organisation-request.type.js";
import { Organisation, type OrganisationRow } from "./organisation.type.js";

@InputType({ description: "A new organisation (stewards): a name at least." })
export class CreateOrganisationInput extends OrganisationFieldsInput {}

@InputType({ description: "The fields sent change; `version` must be the current one (else CONFLICT)." })
export class UpdateOrganisationInput extends OrganisationFieldsInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
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
