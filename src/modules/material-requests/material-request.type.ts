import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { MaterialRequest as MaterialRequestRow } from "../../db/generated/client.js";
import { MaterialRequestStatus } from "../../db/generated/enums.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { FILTER_DOCS } from "../../graphql/filter-tree.js";
import { SortDirection } from "../../graphql/sorting.js";

registerEnumType(MaterialRequestStatus, {
  name: "MaterialRequestStatus",
  description: "REQUESTED → APPROVED → SHIPPED → DELIVERED, or REQUESTED → REFUSED. No other move is allowed.",
});

export type { MaterialRequestRow };

/** What a caller asks to create: the visits module files the requests of a visit report with it. */
export interface MaterialRequestDraft {
  visitId?: string | null;
  organisationId: string;
  /** the rep the material is for (the visit's rep): their manager decides */
  repId: string | null;
  items: { item: string; quantity: number }[];
}

@ObjectType({ description: "A line of a material request." })
export class MaterialItem {
  @Field() item!: string;
  @Field(() => Int) quantity!: number;
}

@ObjectType({ implements: Node, description: "Point-of-sale material or samples requested for a customer, usually during a visit." })
export class MaterialRequest extends Node {
  @Field(() => MaterialRequestStatus) status!: MaterialRequestStatus;
  @Field(() => String, { nullable: true, description: "Why it was approved or refused (a refusal always says why)." }) decisionReason!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) decidedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) shippedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => Int, { description: "Optimistic-concurrency version: send it back with every change." }) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const MaterialRequestConnection = ConnectionType(MaterialRequest, "MaterialRequest");

@InputType({ description: "All given criteria must hold." })
export class MaterialRequestFilter {
  @Field(() => [MaterialRequestStatus], { nullable: true }) status?: MaterialRequestStatus[] | null;
  @Field(() => ID, { nullable: true }) organisation?: string | null;
  @Field(() => ID, { nullable: true }) visit?: string | null;
  @Field(() => ID, { nullable: true, description: "Who asked (a User global id)." }) requestedBy?: string | null;
  @Field(() => ID, { nullable: true, description: "The rep the material is for (a User global id)." }) rep?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
}

export enum MaterialRequestOrderField {
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
}
registerEnumType(MaterialRequestOrderField, { name: "MaterialRequestOrderField" });

@InputType()
export class MaterialRequestOrder {
  @Field(() => MaterialRequestOrderField) field!: MaterialRequestOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

export enum MaterialRequestDecision {
  APPROVED = "APPROVED",
  REFUSED = "REFUSED",
}
registerEnumType(MaterialRequestDecision, { name: "MaterialRequestDecision" });

@InputType({ description: "REQUESTED → APPROVED or REFUSED, by the rep's manager or head office. A refusal needs a reason." })
export class DecideMaterialRequestInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => MaterialRequestDecision) decision!: MaterialRequestDecision;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@InputType({ description: "APPROVED → SHIPPED, by the rep's manager or head office." })
export class MarkMaterialRequestShippedInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}

@InputType({ description: "SHIPPED → DELIVERED, by whoever may see the request (the rep at the customer's)." })
export class MarkMaterialRequestDeliveredInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}

@ObjectType()
export class MaterialRequestPayload {
  @Field(() => MaterialRequest, { nullable: true }) materialRequest!: MaterialRequestRow | null;
}
