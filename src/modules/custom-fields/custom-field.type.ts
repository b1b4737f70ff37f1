import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { CustomFieldEntity, CustomFieldPrincipal, CustomFieldType } from "../../db/generated/enums.js";
import type { CustomFieldDefinition as CustomFieldDefinitionRow } from "../../db/generated/client.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

registerEnumType(CustomFieldEntity, { name: "CustomFieldEntity", description: "The records head office may add fields to." });
registerEnumType(CustomFieldType, {
  name: "CustomFieldType",
  description:
    "TEXT: a string (at most 2 000 characters); NUMBER: a number; MONEY: an amount in euros with at most 2 decimals; DATE: YYYY-MM-DD; BOOLEAN; ENUM: one of the options; MULTI_ENUM: a list of distinct options.",
});
registerEnumType(CustomFieldPrincipal, { name: "CustomFieldPrincipal", description: "Who may read or write a custom field: a user role, partner tokens, service tokens." });

export type { CustomFieldDefinitionRow };

@ObjectType({ description: "A field head office added to an entity: front ends build their forms from these." })
export class CustomFieldDefinition {
  @Field(() => CustomFieldEntity) entity!: CustomFieldEntity;
  @Field({ description: "Stable key: the name of the value in customFields, filters, CSV columns (cf.<key>)." }) key!: string;
  @Field() label!: string;
  @Field(() => CustomFieldType) type!: CustomFieldType;
  @Field(() => [String], { description: "The allowed values of an ENUM or MULTI_ENUM field, in display order." }) options!: string[];
  @Field({ description: "A record cannot be created without it by someone who may write it, nor have it cleared." }) required!: boolean;
  @Field(() => [CustomFieldPrincipal]) readers!: CustomFieldPrincipal[];
  @Field(() => [CustomFieldPrincipal]) writers!: CustomFieldPrincipal[];
  @Field(() => String, { nullable: true }) helpText!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Archived: hidden from every reader and writer; the values are kept." }) archivedAt!: Date | null;
  @Field(() => Int, { description: "Optimistic-concurrency version: send it back with updates." }) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType({ description: "One custom field's value on a record (only the fields the reader may read, never empty values)." })
export class CustomFieldValue {
  @Field() key!: string;
  @Field() label!: string;
  @Field(() => CustomFieldType) type!: CustomFieldType;
  @Field(() => GraphQLJSON, { description: "A string (TEXT, DATE, ENUM), a number (NUMBER, MONEY), a boolean or a list of strings (MULTI_ENUM)." }) value!: unknown;
}

@InputType({ description: "Sets one custom field; a null value (or an empty list) clears it." })
export class CustomFieldValueInput {
  @Field() key!: string;
  @Field(() => GraphQLJSON, { nullable: true }) value?: unknown;
}

@InputType({
  description:
    "A condition on one custom field the reader may read: equals (for MULTI_ENUM: holds that option), in (any of; MULTI_ENUM: holds any), min / max (inclusive; NUMBER, MONEY, DATE), isEmpty. The given parts must all hold.",
})
export class CustomFieldCondition {
  @Field() key!: string;
  @Field(() => GraphQLJSON, { nullable: true }) equals?: unknown;
  @Field(() => [GraphQLJSON], { nullable: true }) in?: unknown[] | null;
  @Field(() => GraphQLJSON, { nullable: true }) min?: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) max?: unknown;
  @Field(() => Boolean, { nullable: true }) isEmpty?: boolean | null;
}

@InputType()
export class DefineCustomFieldInput {
  @Field(() => CustomFieldEntity) entity!: CustomFieldEntity;
  @Field({ description: "Letters, digits and underscores, starting with a letter; at most 40 characters; unique per entity." }) key!: string;
  @Field() label!: string;
  @Field(() => CustomFieldType) type!: CustomFieldType;
  @Field(() => [String], { nullable: true, description: "Required for ENUM and MULTI_ENUM, refused for the other types." }) options?: string[] | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) required?: boolean | null;
  @Field(() => [CustomFieldPrincipal]) readers!: CustomFieldPrincipal[];
  @Field(() => [CustomFieldPrincipal], { description: "Writers must also be readers." }) writers!: CustomFieldPrincipal[];
  @Field(() => String, { nullable: true }) helpText?: string | null;
}

@InputType({ description: "Changes a definition; the key, the entity and the type never change. An option still held by a record cannot be removed." })
export class UpdateCustomFieldDefinitionInput {
  @Field(() => CustomFieldEntity) entity!: CustomFieldEntity;
  @Field() key!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) label?: string | null;
  @Field(() => [String], { nullable: true }) options?: string[] | null;
  @Field(() => Boolean, { nullable: true }) required?: boolean | null;
  @Field(() => [CustomFieldPrincipal], { nullable: true }) readers?: CustomFieldPrincipal[] | null;
  @Field(() => [CustomFieldPrincipal], { nullable: true }) writers?: CustomFieldPrincipal[] | null;
  @Field(() => String, { nullable: true }) helpText?: string | null;
  @Field(() => Boolean, { nullable: true, description: "true archives the field (hidden, values kept), false brings it back." }) archived?: boolean | null;
}

@InputType({ description: "Writes custom fields of one organisation, contact, opportunity or visit the viewer can see; each field must be writable by the viewer." })
export class SetCustomFieldsInput {
  @Field(() => ID) id!: string;
  @Field(() => Int, { nullable: true, description: "The version read; a stale one is a CONFLICT." }) version?: number | null;
  @Field(() => [CustomFieldValueInput]) values!: CustomFieldValueInput[];
}

@ObjectType()
export class CustomFieldsPayload {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => [CustomFieldValue]) customFields!: CustomFieldValue[];
}
