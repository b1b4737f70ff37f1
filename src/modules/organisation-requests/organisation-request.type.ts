import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { OrganisationStatus, RequestKind, RequestStatus } from "../../db/generated/enums.js";
import type { OrganisationRequest as OrganisationRequestRow } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { FILTER_DOCS } from "../../graphql/filter-tree.js";
import { SortDirection } from "../../graphql/sorting.js";
import { Organisation, type OrganisationRow } from "../organisations/organisation.type.js";
import { OrganisationFieldsInput } from "../referential/organisation-admin.type.js";
import { CustomFieldValueInput } from "../custom-fields/custom-field.type.js";

registerEnumType(RequestKind, {
  name: "OrganisationRequestKind",
  description: "CREATE a new organisation, UPDATE an existing one, or MERGE_SUGGESTION: these two look like duplicates.",
});
registerEnumType(RequestStatus, { name: "OrganisationRequestStatus" });

export type { OrganisationRequestRow };

@ObjectType({ description: "The organisation data a request proposes (partial)." })
export class ProposedOrganisation {
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) legalId!: string | null;
  @Field(() => String, { nullable: true }) street!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true }) region!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
}

@ObjectType({ description: "Identity of a validated organisation (what anyone may know to avoid duplicates)." })
export class OrganisationIdentity {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => String, { nullable: true }) legalId!: string | null;
  @Field(() => OrganisationStatus) status!: OrganisationStatus;
}

@ObjectType({ description: "An existing organisation that may be the same company." })
export class DuplicateCandidate {
  @Field(() => OrganisationIdentity) organisation!: OrganisationIdentity;
  @Field(() => [String], { description: "SAME_LEGAL_ID, SIMILAR_NAME, SAME_POSTAL_CODE_CLOSE_NAME, SAME_PHONE, SAME_EMAIL_DOMAIN" })
  reasons!: string[];
  @Field(() => Float, { description: "0 to 1; 1 is almost certainly the same company." }) score!: number;
}

export enum ReferentialEntryKind {
  ORGANISATION = "ORGANISATION",
  PENDING_REQUEST = "PENDING_REQUEST",
}
registerEnumType(ReferentialEntryKind, {
  name: "ReferentialEntryKind",
  description: "ORGANISATION: a validated organisation; PENDING_REQUEST: a creation request a steward has not resolved yet.",
});

@ObjectType({ description: "Who is already in the referential: identity only (never who is in charge, never figures)." })
export class ReferentialEntry {
  @Field(() => ReferentialEntryKind) kind!: ReferentialEntryKind;
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: "Town." }) city!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => OrganisationStatus, { nullable: true, description: "Null for a pending request." }) status!: OrganisationStatus | null;
  @Field({ description: "Someone is in charge of it today (who is not said); false for a pending request." }) inCharge!: boolean;
}

export const ReferentialEntryConnection = ConnectionType(ReferentialEntry, "ReferentialEntry");

@InputType({ description: "All given criteria must hold." })
export class ReferentialSearchFilter {
  @Field(() => [ReferentialEntryKind], { nullable: true }) kind?: ReferentialEntryKind[] | null;
  @Field(() => String, { nullable: true }) postalCodePrefix?: string | null;
}

export enum ReferentialSearchOrderField {
  RELEVANCE = "RELEVANCE",
  NAME = "NAME",
}
registerEnumType(ReferentialSearchOrderField, { name: "ReferentialSearchOrderField" });

@InputType({ description: "Default: best matches first (RELEVANCE, DESC); NAME defaults to ASC." })
export class ReferentialSearchOrder {
  @Field(() => ReferentialSearchOrderField) field!: ReferentialSearchOrderField;
  @Field(() => SortDirection, { nullable: true }) direction?: SortDirection | null;
}

@ObjectType({ description: "Another creation request, still pending, that may be for the same company." })
export class DuplicateRequestCandidate {
  @Field(() => ReferentialEntry) identity!: ReferentialEntry;
  @Field(() => OrganisationRequest, { nullable: true, description: "The request itself, for those who may see it (stewards, its author…)." })
  request!: OrganisationRequestRow | null;
  @Field(() => [String], { description: "SAME_LEGAL_ID, SIMILAR_NAME, SAME_POSTAL_CODE_CLOSE_NAME, SAME_PHONE, SAME_EMAIL_DOMAIN" })
  reasons!: string[];
  @Field(() => Float, { description: "0 to 1; 1 is almost certainly the same company." }) score!: number;
}

@ObjectType({ implements: Node, description: "A request to create, change or merge organisations, resolved by a data steward." })
export class OrganisationRequest extends Node {
  @Field(() => RequestKind) kind!: RequestKind;
  @Field(() => RequestStatus) status!: RequestStatus;
  @Field(() => String, { nullable: true, description: "Why the requester asks." }) note!: string | null;
  @Field(() => String, { nullable: true, description: "The steward's note; for a rejection, the reason." }) resolutionNote!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const OrganisationRequestConnection = ConnectionType(OrganisationRequest, "OrganisationRequest");

export enum OrganisationRequestOrderField {
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
}
registerEnumType(OrganisationRequestOrderField, { name: "OrganisationRequestOrderField" });

@InputType()
export class OrganisationRequestOrder {
  @Field(() => OrganisationRequestOrderField) field!: OrganisationRequestOrderField;
  @Field(() => SortDirection, { nullable: true }) direction?: SortDirection;
}

@InputType({ description: "All given criteria must hold." })
export class OrganisationRequestFilter {
  @Field(() => [RequestStatus], { nullable: true }) status?: RequestStatus[] | null;
  @Field(() => [RequestKind], { nullable: true }) kind?: RequestKind[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Filed before this instant (age of the request)." }) createdBefore?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) createdAfter?: Date | null;
  @Field(() => ID, { nullable: true }) requestedById?: string | null;
  @Field(() => [String], { nullable: true, description: "Proposed region." }) region?: string[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
}

@InputType()
export class RequestOrganisationInput {
  @Field(() => RequestKind) kind!: RequestKind;
  @Field(() => OrganisationFieldsInput, { nullable: true, description: "CREATE, UPDATE: the proposed data (a name and a town are enough to create)." })
  fields?: OrganisationFieldsInput | null;
  @Field(() => ID, { nullable: true, description: "UPDATE: the organisation to change; MERGE_SUGGESTION: one of the pair." })
  organisationId?: string | null;
  @Field(() => ID, { nullable: true, description: "MERGE_SUGGESTION: the other one." }) otherOrganisationId?: string | null;
  @Field(() => [CustomFieldValueInput], {
    nullable: true,
    description: "CREATE only: the organisation's custom fields, checked as when creating one (each writable by the requester, required ones included); approval writes them.",
  })
  customFields?: CustomFieldValueInput[] | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType()
export class ApproveOrganisationRequestInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => OrganisationFieldsInput, { nullable: true, description: "The steward's corrections, applied over the proposed data." })
  corrections?: OrganisationFieldsInput | null;
  @Field(() => [CustomFieldValueInput], {
    nullable: true,
    description:
      "CREATE only: the steward's corrections of the proposed custom fields (null or an empty list as a value clears one), each writable by the steward; the proposed values they do not replace are checked again against today's definitions.",
  })
  customFields?: CustomFieldValueInput[] | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType()
export class RejectOrganisationRequestInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { description: "Shown to the requester." }) reason!: string;
}

@InputType({ description: "A CREATE request for a company the referential has already: resolved MERGED into that organisation, which keeps its own data and custom fields (the request's are not written)." })
export class MergeOrganisationRequestInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => ID, { description: "The existing organisation; the work logged on the request moves there." }) organisationId!: string;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType()
export class MergeOrganisationsInput {
  @Field(() => ID, { description: "The duplicate; it keeps a pointer to the target." }) sourceId!: string;
  @Field(() => ID, { description: "The organisation that stays." }) targetId!: string;
  @Field(() => ID, { nullable: true, description: "The request this merge resolves (status MERGED)." }) requestId?: string | null;
}

@InputType()
export class FindDuplicateOrganisationsInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) legalId?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
}

@ObjectType()
export class OrganisationRequestPayload {
  @Field(() => OrganisationRequest, { nullable: true }) organisationRequest!: OrganisationRequestRow | null;
}

@ObjectType()
export class MergeOrganisationsPayload {
  @Field(() => Organisation, { nullable: true, description: "The organisation that stays." }) organisation!: OrganisationRow | null;
  @Field(() => OrganisationRequest, { nullable: true }) organisationRequest!: OrganisationRequestRow | null;
}
