// The read policy of src/auth/read-policy.ts, computed from the schema's own rules: for each kind of principal
// (kind + expanded scopes — all that a rule may read, see schema.ts), the fields of each type that its rule
// allows AND that a path from a root reaches. Reachability matters: a type opened to everyone (`VisitReport`)
// is still closed to whoever cannot resolve the field that leads to it.
import type { GraphQLSchema } from "graphql";
import { Prisma } from "../db/generated/client.js";
import { isObjectType } from "graphql";
import { fieldCarrying, type ColumnFieldMap, type EntityTypeAliases, type ReadPolicy } from "../auth/read-policy.js";
import type { Viewer } from "../auth/viewer.js";
import { principalKey, type GuardPlan } from "./rule-analysis.js";

const NO_FIELDS: ReadonlySet<string> = new Set();

export function buildReadPolicy(schema: GraphQLSchema, plan: GuardPlan, columns: ColumnFieldMap, aliases: EntityTypeAliases): ReadPolicy {
  const typeOf = (entity: string) => aliases[entity] ?? entity;
  const fieldsOf = (typeName: string): ReadonlySet<string> => {
    const type = schema.getType(typeName);
    return isObjectType(type) ? new Set(Object.keys(type.getFields())) : NO_FIELDS;
  };
  const readable = (viewer: Viewer | null) => {
    const index = plan.principalIndex.get(principalKey(viewer));
    return index === undefined ? undefined : plan.readable[index];
  };
  const entityNames = [...new Set([...Object.keys(aliases), ...Object.keys(columns), ...Object.keys(schema.getTypeMap())])];

  const policy: ReadPolicy = {
    readableFields: (viewer, typeName) => readable(viewer)?.get(typeName) ?? NO_FIELDS,
    mayRead: (viewer, typeName, fields) => {
      const open = policy.readableFields(viewer, typeName);
      return fields.length > 0 && fields.every((field) => open.has(field));
    },
    typeOfEntity: typeOf,
    readableEntities: (viewer) => entityNames.filter((entity) => policy.readableFields(viewer, typeOf(entity)).size > 0),
    fieldOfColumn: (entity, column) => fieldCarrying(column, fieldsOf(typeOf(entity)), columns[typeOf(entity)]),
    visibleColumns: (viewer, entity, row) => {
      if (row === null || typeof row !== "object" || Array.isArray(row)) return null;
      const open = policy.readableFields(viewer, typeOf(entity));
      const shown = Object.entries(row).filter(([column]) => {
        const field = policy.fieldOfColumn(entity, column);
        return field !== null && open.has(field);
      });
      return Object.fromEntries(shown);
    },
  };
  return policy;
}

type ScalarFieldEnums = Record<string, Record<string, string> | undefined>;

/** The stored columns of a database model (Prisma's scalar fields), empty for a name that is no model. */
export function storedColumns(model: string): string[] {
  return Object.keys((Prisma as unknown as ScalarFieldEnums)[`${model}ScalarFieldEnum`] ?? {});
}

/** Entities a side path can show: database models with a GraphQL type of their own (or an alias to one). */
export function sidePathEntities(policy: ReadPolicy): string[] {
  return Object.values(Prisma.ModelName).filter((model) => storedColumns(model).some((column) => policy.fieldOfColumn(model, column) !== null));
}
