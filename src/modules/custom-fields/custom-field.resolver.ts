import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { CustomFieldEntity } from "../../db/generated/enums.js";
import type { AuthedContext } from "../../graphql/context.js";
import { defineCustomField, listDefinitions, setCustomFields, updateCustomFieldDefinition, visibleValues } from "./custom-field.service.js";
import { CustomFieldDefinition, CustomFieldsPayload, CustomFieldValue, DefineCustomFieldInput, SetCustomFieldsInput, UpdateCustomFieldDefinitionInput } from "./custom-field.type.js";

@Resolver(() => CustomFieldDefinition)
export class CustomFieldDefinitionResolver {
  @Query(() => [CustomFieldDefinition], { description: "The custom fields of an entity the viewer may read, in definition order (head office may ask for archived ones too)." })
  customFieldDefinitions(
    @Arg("entity", () => CustomFieldEntity) entity: CustomFieldEntity,
    @Arg("includeArchived", { defaultValue: false }) includeArchived: boolean,
    @Ctx() ctx: AuthedContext,
  ) {
    return listDefinitions(ctx, entity, includeArchived);
  }

  @Mutation(() => CustomFieldDefinition, { description: "Head office adds a field to organisations, contacts, opportunities or visits." })
  defineCustomField(@Arg("input", () => DefineCustomFieldInput) input: DefineCustomFieldInput, @Ctx() ctx: AuthedContext) {
    return defineCustomField(ctx, input);
  }

  @Mutation(() => CustomFieldDefinition, { description: "Head office changes a field's label, options, rules or help, or archives it; CONFLICT when `version` is stale." })
  updateCustomFieldDefinition(@Arg("input", () => UpdateCustomFieldDefinitionInput) input: UpdateCustomFieldDefinitionInput, @Ctx() ctx: AuthedContext) {
    return updateCustomFieldDefinition(ctx, input);
  }

  @Mutation(() => CustomFieldsPayload, { description: "Sets or clears custom fields of an organisation, contact, opportunity or visit the viewer can see (a rep fills the organisation's fields during a visit)." })
  setCustomFields(@Arg("input", () => SetCustomFieldsInput) input: SetCustomFieldsInput, @Ctx() ctx: AuthedContext) {
    return setCustomFields(ctx, input);
  }
}

/**
 * The `customFields` and `customField(key)` fields of a type with custom fields, added by the type's own module
 * (which also lists the `customFields` column in its column map, so projected reads fetch it).
 */
export function customFieldsResolverOf(type: Function, entity: CustomFieldEntity): Function {
  @Resolver(() => type)
  class CustomFieldsOfType {
    @FieldResolver(() => [CustomFieldValue], { description: "The custom fields the viewer may read that have a value, in definition order." })
    customFields(@Root() row: { customFields: unknown }, @Ctx() ctx: AuthedContext) {
      return visibleValues(ctx, entity, row.customFields);
    }

    @FieldResolver(() => CustomFieldValue, { nullable: true, description: "One custom field by key: null when it has no value or the viewer may not read it." })
    async customField(@Root() row: { customFields: unknown }, @Arg("key") key: string, @Ctx() ctx: AuthedContext) {
      return (await visibleValues(ctx, entity, row.customFields)).find((value) => value.key === key) ?? null;
    }
  }
  Object.defineProperty(CustomFieldsOfType, "name", { value: `${type.name}CustomFieldsResolver` });
  return CustomFieldsOfType;
}
