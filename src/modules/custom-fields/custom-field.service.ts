// Custom fields: head office's definitions (configuration, cached per instance like the pipeline stages) and the
// one place that decides, for a viewer, which values of a record they see, which they may write, what a value
// must look like and what a filter condition on one means. Every path that reads, writes or filters custom
// values (the four entities' resolvers, create/update inputs, CSV import/export, setCustomFields) asks here.
import { isDeepStrictEqual } from "node:util";
import DataLoader from "dataloader";
import { z } from "zod";
import { Prisma } from "../../db/generated/client.js";
import { CustomFieldEntity, CustomFieldPrincipal, CustomFieldType } from "../../db/generated/enums.js";
import type { Viewer } from "../../auth/viewer.js";
import type { AuthedContext, ColumnCut, ColumnCuts, RequestContext } from "../../graphql/context.js";
import { badInput, conflict, forbidden, notFound } from "../../errors/api-errors.js";
import { DateScalar } from "../../graphql/scalars.js";
import { validate } from "../../graphql/validation.js";
import { someFilterNode, type FilterTree } from "../../graphql/filter-tree.js";
import { and, jsonKey, or, type Condition, type JsonTest } from "../../auth/scope/condition.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange, type VersionedTable } from "../audit/versioned-change.js";
import { parseGlobalId } from "../../graphql/relay.js";
import type {
  CustomFieldCondition,
  CustomFieldDefinitionRow,
  CustomFieldValue,
  CustomFieldValueInput,
  DefineCustomFieldInput,
  SetCustomFieldsInput,
  UpdateCustomFieldDefinitionInput,
} from "./custom-field.type.js";

export const DEFINITIONS_CONFIGURATION = "customFieldDefinitions";

/** Stored values: key → value; a field without a value has no key (so "is empty" is "has no key"). */
export type CustomValues = Record<string, unknown>;

const TEXT_MAX = 2000;
const NUMBER_MAX = 1e15;

/** Definitions are configuration: kept per instance (CONFIGURATION_CACHE_MS), one list per request. */
const definitionList = (ctx: RequestContext) =>
  new DataLoader<"all", CustomFieldDefinitionRow[], string>(async (keys) => {
    const rows = await ctx.configuration.get(DEFINITIONS_CONFIGURATION, () => ctx.db.customFieldDefinition.findMany({ orderBy: [{ createdAt: "asc" }, { key: "asc" }] }));
    return keys.map(() => rows);
  });

/**
 * Every definition, read once per request on the request's connection: a write path reads them before its
 * transaction (nothing inside one may wait on another connection), bulk upserts included (preloaded there).
 */
export function allDefinitions(ctx: RequestContext): Promise<CustomFieldDefinitionRow[]> {
  return ctx.loaders.get(definitionList).load("all");
}

async function definitionsOf(ctx: RequestContext, entity: CustomFieldEntity): Promise<CustomFieldDefinitionRow[]> {
  return (await allDefinitions(ctx)).filter((definition) => definition.entity === entity);
}

const principalOf = (viewer: Viewer): CustomFieldPrincipal => viewer.kind;

/** THE read rule of a custom field: not archived, and the viewer's kind among its readers. */
const mayReadField = (viewer: Viewer, definition: CustomFieldDefinitionRow): boolean =>
  definition.archivedAt === null && definition.readers.includes(principalOf(viewer));

const mayWriteField = (viewer: Viewer, definition: CustomFieldDefinitionRow): boolean =>
  mayReadField(viewer, definition) && definition.writers.includes(principalOf(viewer));

/** The definitions of an entity a viewer may read, in definition order (forms, CSV columns, values). */
export async function readableDefinitions(ctx: AuthedContext, entity: CustomFieldEntity): Promise<CustomFieldDefinitionRow[]> {
  // a field is read on its record: whoever may not read the record's values (a service token and visits)
  // is told of none of its fields, whatever their readers say
  if (!ctx.readPolicy.readableFields(ctx.viewer, TABLE_OF[entity]).has("customFields")) return [];
  return (await definitionsOf(ctx, entity)).filter((definition) => mayReadField(ctx.viewer, definition));
}

/** customFieldDefinitions(entity): head office sees archived ones too when asking; others only what they may read. */
export async function listDefinitions(ctx: AuthedContext, entity: CustomFieldEntity, includeArchived: boolean): Promise<CustomFieldDefinitionRow[]> {
  if (includeArchived && ctx.viewer.kind === "HEAD_OFFICE") return definitionsOf(ctx, entity);
  return readableDefinitions(ctx, entity);
}

const storedValues = (stored: unknown): CustomValues => (stored !== null && typeof stored === "object" && !Array.isArray(stored) ? (stored as CustomValues) : {});

/** A record's values as this viewer may read them: readable fields with a value, in definition order. */
export async function visibleValues(ctx: AuthedContext, entity: CustomFieldEntity, stored: unknown): Promise<CustomFieldValue[]> {
  const values = storedValues(stored);
  return (await readableDefinitions(ctx, entity))
    .filter((definition) => Object.hasOwn(values, definition.key))
    .map((definition) => ({ key: definition.key, label: definition.label, type: definition.type, value: values[definition.key] }));
}

/** The same values as stored (key → value): what the side paths show of the `customFields` column (audit before/after, webhook payloads). */
async function readableValues(ctx: AuthedContext, entity: CustomFieldEntity, stored: unknown): Promise<CustomValues> {
  return Object.fromEntries((await visibleValues(ctx, entity, stored)).map((field) => [field.key, field.value]));
}

/** A value checked against its definition: the stored form, null for "no value", or what is wrong with it. */
function checkedValue(definition: CustomFieldDefinitionRow, value: unknown): { value: unknown } | { error: string } {
  if (value === null || value === undefined) return { value: null };
  switch (definition.type) {
    case CustomFieldType.TEXT:
      if (typeof value !== "string") return { error: "must be a string" };
      if (value.length > TEXT_MAX) return { error: `must be at most ${TEXT_MAX} characters` };
      return { value: value.trim() === "" ? null : value };
    case CustomFieldType.NUMBER:
      if (typeof value !== "number" || !Number.isFinite(value)) return { error: "must be a number" };
      return Math.abs(value) > NUMBER_MAX ? { error: `must be between -${NUMBER_MAX} and ${NUMBER_MAX}` } : { value };
    case CustomFieldType.MONEY: {
      if (typeof value !== "number" || !Number.isFinite(value)) return { error: "must be an amount (a number)" };
      const cents = Math.round(value * 100);
      if (Math.abs(value * 100 - cents) > 1e-6) return { error: "must have at most 2 decimals" };
      return Math.abs(value) > NUMBER_MAX / 100 ? { error: "is out of range" } : { value: cents / 100 };
    }
    case CustomFieldType.DATE:
      if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return { error: "must be a date (YYYY-MM-DD)" };
      try {
        return { value: DateScalar.serialize(DateScalar.parseValue(value)) };
      } catch (error) {
        return { error: error instanceof Error ? error.message : "must be a date (YYYY-MM-DD)" };
      }
    case CustomFieldType.BOOLEAN:
      return typeof value === "boolean" ? { value } : { error: "must be true or false" };
    case CustomFieldType.ENUM:
      return typeof value === "string" && definition.options.includes(value) ? { value } : { error: `must be one of: ${definition.options.join(", ")}` };
    case CustomFieldType.MULTI_ENUM: {
      if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) return { error: "must be a list of options" };
      const unknown = value.filter((item) => !definition.options.includes(item as string));
      if (unknown.length) return { error: `unknown options ${unknown.join(", ")} (the options: ${definition.options.join(", ")})` };
      // kept in the definition's order, each once
      const chosen = definition.options.filter((option) => value.includes(option));
      return { value: chosen.length ? chosen : null };
    }
  }
}

const ENTITY_PLURAL: Record<CustomFieldEntity, string> = { ORGANISATION: "organisations", CONTACT: "contacts", OPPORTUNITY: "opportunities", VISIT: "visits" };

const fieldError = (key: string, message: string) => ({ field: `customFields.${key}`, message });

function refuse(errors: { field: string; message: string }[]): never {
  throw badInput(`Invalid custom fields: ${errors.map((error) => `${error.field} ${error.message}`).join("; ")}`, { fields: errors });
}

/** Which tokens may write an entity's custom fields at all (besides being among the field's writers). */
const TOKEN_WRITE_SCOPES: Record<CustomFieldEntity, readonly string[]> = {
  ORGANISATION: ["visits:write", "organisations:import"],
  CONTACT: ["contacts:write"],
  OPPORTUNITY: ["opportunities:write"],
  VISIT: ["visits:write"],
};

/**
 * THE write rule: the record's values after `inputs`, checked against the definitions for this viewer. A key the
 * viewer may not read is unknown to them (its existence is not revealed); one they may read but not write is
 * FORBIDDEN; a wrong value is BAD_USER_INPUT naming `customFields.<key>`. Values the input does not name
 * (including those of fields hidden from the viewer or archived) are kept as they are.
 */
function writtenValues(
  viewer: Viewer,
  definitions: readonly CustomFieldDefinitionRow[],
  entity: CustomFieldEntity,
  stored: unknown,
  inputs: readonly CustomFieldValueInput[] | null | undefined,
  mode: "create" | "update",
): CustomValues {
  const before = storedValues(stored);
  const readable = new Map(definitions.filter((definition) => mayReadField(viewer, definition)).map((definition) => [definition.key, definition]));
  const after: CustomValues = { ...before };
  const errors: { field: string; message: string }[] = [];
  const named = new Set<string>();
  const tokenScopes = "scopes" in viewer ? viewer.scopes : null;
  for (const input of inputs ?? []) {
    const definition = readable.get(input.key);
    if (!definition) {
      errors.push(fieldError(input.key, `is not a custom field of ${ENTITY_PLURAL[entity]}`));
      continue;
    }
    if (named.has(input.key)) {
      errors.push(fieldError(input.key, "is given twice"));
      continue;
    }
    named.add(input.key);
    if (!mayWriteField(viewer, definition) || (tokenScopes && !TOKEN_WRITE_SCOPES[entity].some((scope) => tokenScopes.has(scope)))) {
      throw forbidden(`You may not write the custom field ${input.key}`);
    }
    const checked = checkedValue(definition, input.value);
    if ("error" in checked) errors.push(fieldError(input.key, checked.error));
    else if (checked.value === null) delete after[input.key];
    else after[input.key] = checked.value;
  }
  for (const definition of readable.values()) {
    // a value refused above is reported once, as what it is
    if (!definition.required || !mayWriteField(viewer, definition) || Object.hasOwn(after, definition.key) || errors.some((error) => error.field === fieldError(definition.key, "").field)) continue;
    if (mode === "create") errors.push(fieldError(definition.key, "is required"));
    else if (named.has(definition.key)) errors.push(fieldError(definition.key, "is required and cannot be cleared"));
  }
  if (errors.length) refuse(errors);
  return after;
}

/**
 * The custom-field conditions of a filter tree's nodes, for the list's own conditions, as conditions on the
 * record's `customFields` column (read as a Prisma `where` by the lists and as SQL by the aggregates); the
 * definitions are read only when some node names a custom field. Every condition is true or false, never
 * SQL's unknown, so NOT of it keeps the records without a value: a value test is AND-ed with "has a value".
 */
export async function customFieldFilterOf<F extends FilterTree<F> & { customFields?: CustomFieldCondition[] | null }>(
  ctx: AuthedContext,
  entity: CustomFieldEntity,
  filter: F | null | undefined,
): Promise<(node: F) => Condition[]> {
  if (!someFilterNode(filter, (node) => Boolean(node.customFields?.length))) return () => [];
  const readable = new Map((await readableDefinitions(ctx, entity)).map((definition) => [definition.key, definition]));
  return (node) => (node.customFields ?? []).map((condition) => conditionOf(readable, entity, condition));
}

const VALUES_COLUMN = "customFields";

function conditionOf(readable: ReadonlyMap<string, CustomFieldDefinitionRow>, entity: CustomFieldEntity, condition: CustomFieldCondition): Condition {
  const definition = readable.get(condition.key);
  if (!definition) refuse([fieldError(condition.key, `is not a custom field of ${ENTITY_PLURAL[entity]}`)]);
  const on = (test: JsonTest) => jsonKey(VALUES_COLUMN, definition.key, test);
  const multi = definition.type === CustomFieldType.MULTI_ENUM;
  const operand = (value: unknown, part: string): string | number | boolean => {
    // a MULTI_ENUM condition names one option; ranges compare numbers, amounts or dates (ISO text)
    const checked = checkedValue(multi ? { ...definition, type: CustomFieldType.ENUM } : definition, value);
    if ("error" in checked || checked.value === null) refuse([fieldError(definition.key, `${part}: ${"error" in checked ? checked.error : "needs a value"}`)]);
    return checked.value as string | number | boolean;
  };
  const holds = (value: string | number | boolean): Condition => on(multi ? { includes: String(value) } : { equals: value });
  const tests: Condition[] = [];
  if (condition.equals !== undefined && condition.equals !== null) tests.push(holds(operand(condition.equals, "equals")));
  if (condition.in) tests.push(or(...condition.in.map((value) => holds(operand(value, "in")))));
  const ranged = definition.type === CustomFieldType.NUMBER || definition.type === CustomFieldType.MONEY || definition.type === CustomFieldType.DATE;
  for (const [part, bound, cmp] of [["min", condition.min, "gte"], ["max", condition.max, "lte"]] as const) {
    if (bound === undefined || bound === null) continue;
    if (!ranged) refuse([fieldError(definition.key, `${part}: a range applies to NUMBER, MONEY and DATE fields only`)]);
    tests.push(on({ cmp, value: operand(bound, part) as string | number }));
  }
  const empty = condition.isEmpty;
  if (empty !== undefined && empty !== null) {
    if (empty && tests.length) refuse([fieldError(definition.key, "isEmpty: true cannot be combined with a value test")]);
    if (empty) return on({ has: "none" });
  }
  if (!tests.length && (empty === undefined || empty === null)) refuse([fieldError(definition.key, "gives nothing to test (equals, in, min, max or isEmpty)")]);
  return and(on({ has: "value" }), ...tests);
}

// ---------------------------------------------------------------------------------------------------
// Definitions (head office)
// ---------------------------------------------------------------------------------------------------

const PRINCIPALS = z.array(z.enum(CustomFieldPrincipal)).max(6);
const DefinitionFields = z.object({
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, "must start with a letter and hold only letters, digits and underscores (at most 40)"),
  label: z.string().trim().min(1, "must not be empty").max(80),
  options: z.array(z.string().trim().min(1, "must not be empty").max(80)).max(200),
  readers: PRINCIPALS.min(1, "must name at least one reader"),
  writers: PRINCIPALS,
  helpText: z.string().max(500).nullish(),
});

function checkShape(definition: { type: CustomFieldType; options: string[]; readers: CustomFieldPrincipal[]; writers: CustomFieldPrincipal[] }) {
  const errors: { field: string; message: string }[] = [];
  const listed = definition.type === CustomFieldType.ENUM || definition.type === CustomFieldType.MULTI_ENUM;
  if (listed && definition.options.length === 0) errors.push({ field: "options", message: `an ${definition.type} field needs at least one option` });
  if (!listed && definition.options.length) errors.push({ field: "options", message: `a ${definition.type} field has no options` });
  if (new Set(definition.options).size !== definition.options.length) errors.push({ field: "options", message: "must be distinct" });
  const notReaders = definition.writers.filter((writer) => !definition.readers.includes(writer));
  if (notReaders.length) errors.push({ field: "writers", message: `must also be readers: ${notReaders.join(", ")}` });
  if (errors.length) throw badInput(`Invalid custom field: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}`, { fields: errors });
}

// Audited under a name no GraphQL type carries: the trail shows a definition to nobody (a head-office-only
// field's key and label must not reach a rep through it).
const AUDIT_ENTITY = "CustomFieldSetting";

export async function defineCustomField(ctx: AuthedContext, input: DefineCustomFieldInput): Promise<CustomFieldDefinitionRow> {
  const fields = validate(DefinitionFields, { ...input, options: input.options ?? [] });
  const data = { ...fields, entity: input.entity, type: input.type, required: input.required ?? false, readers: [...new Set(fields.readers)], writers: [...new Set(fields.writers)] };
  checkShape(data);
  const definition = await ctx.db.$transaction(async (tx) => {
    if (await tx.customFieldDefinition.findUnique({ where: { entity_key: { entity: input.entity, key: fields.key } } })) {
      throw conflict(`A custom field ${fields.key} of ${ENTITY_PLURAL[input.entity]} exists already (archived ones too keep their key)`);
    }
    const created = await tx.customFieldDefinition.create({ data });
    await recordAudit(tx, ctx.viewer, { entity: AUDIT_ENTITY, entityId: created.id, action: "create", after: created });
    return created;
  });
  ctx.configuration.forget(DEFINITIONS_CONFIGURATION);
  await indexValues(ctx, definition);
  return definition;
}

/** The table of an entity's records, which is also its GraphQL type. */
const TABLE_OF: Record<CustomFieldEntity, string> = { ORGANISATION: "Organisation", CONTACT: "Contact", OPPORTUNITY: "Opportunity", VISIT: "Visit" };

/**
 * A new field's own index on its value, for the lists' filters: a list reads the key as
 * `"customFields" #> '{key}'`, which the column's GIN index does not answer (the aggregates' containment
 * tests do). A B-tree serves equality and ranges, a GIN a MULTI_ENUM's options; TEXT values (up to 2 000
 * characters) are not indexed, a B-tree entry having a size limit. Built concurrently, after the definition
 * committed, so writers are not blocked; the embedded database builds it in place.
 */
async function indexValues(ctx: AuthedContext, definition: CustomFieldDefinitionRow): Promise<void> {
  if (definition.type === CustomFieldType.TEXT) return;
  // the key passed DefinitionFields' pattern (letters, digits, underscores): safe in a name and a literal
  const value = `("${VALUES_COLUMN}" #> '{${definition.key}}'::text[])`;
  const index = definition.type === CustomFieldType.MULTI_ENUM ? `USING gin (${value} jsonb_path_ops)` : `(${value})`;
  const create = (concurrently: boolean) =>
    `CREATE INDEX ${concurrently ? "CONCURRENTLY " : ""}IF NOT EXISTS "cf_${definition.entity.toLowerCase()}_${definition.key}" ON "${TABLE_OF[definition.entity]}" ${index}`;
  try {
    await ctx.db.$executeRawUnsafe(create(true));
  } catch (error) {
    if (!/concurrently/i.test(String(error))) throw error;
    await ctx.db.$executeRawUnsafe(create(false));
  }
}

/** Records whose value holds an option (a removed option must not leave values no definition allows). */
const OPTION_USE: Record<CustomFieldEntity, (tx: Prisma.TransactionClient, where: { customFields: Record<string, unknown> }) => Promise<number>> = {
  ORGANISATION: (tx, where) => tx.organisation.count({ where }),
  CONTACT: (tx, where) => tx.contact.count({ where }),
  OPPORTUNITY: (tx, where) => tx.opportunity.count({ where }),
  VISIT: (tx, where) => tx.visit.count({ where }),
};

export async function updateCustomFieldDefinition(ctx: AuthedContext, input: UpdateCustomFieldDefinitionInput): Promise<CustomFieldDefinitionRow> {
  const changes = validate(DefinitionFields.omit({ key: true }).partial(), {
    ...(input.label != null ? { label: input.label } : {}),
    ...(input.options != null ? { options: input.options } : {}),
    ...(input.readers != null ? { readers: input.readers } : {}),
    ...(input.writers != null ? { writers: input.writers } : {}),
    ...(input.helpText !== undefined ? { helpText: input.helpText } : {}),
  });
  const definition = await ctx.db.$transaction(async (tx) => {
    const before = await tx.customFieldDefinition.findUnique({ where: { entity_key: { entity: input.entity, key: input.key } } });
    if (!before) throw notFound("CustomFieldDefinition");
    if (before.version !== input.version) throw conflict(`The custom field ${input.key} was changed by someone else (version ${before.version}, you sent ${input.version})`, { currentVersion: before.version });
    const next = { ...before, ...changes, required: input.required ?? before.required, readers: [...new Set(changes.readers ?? before.readers)], writers: [...new Set(changes.writers ?? before.writers)] };
    checkShape(next);
    for (const option of before.options.filter((option) => !next.options.includes(option))) {
      const path = [before.key];
      const held = await OPTION_USE[before.entity](tx, { customFields: before.type === CustomFieldType.MULTI_ENUM ? { path, array_contains: [option] } : { path, equals: option } });
      if (held) throw badInput(`Option ${option} is still held by ${held} record(s): change them first`, { fields: [{ field: "options", message: `${option} is in use` }] });
    }
    const archivedAt = input.archived === undefined || input.archived === null ? before.archivedAt : input.archived ? (before.archivedAt ?? ctx.now) : null;
    const [after] = await tx.customFieldDefinition.updateManyAndReturn({
      where: { id: before.id, version: before.version },
      data: { label: next.label, options: next.options, required: next.required, readers: next.readers, writers: next.writers, helpText: next.helpText, archivedAt, version: { increment: 1 } },
    });
    if (!after) throw conflict(`The custom field ${input.key} was changed by someone else`, { currentVersion: before.version });
    await recordAudit(tx, ctx.viewer, { entity: AUDIT_ENTITY, entityId: before.id, action: "update", before, after });
    return after;
  });
  ctx.configuration.forget(DEFINITIONS_CONFIGURATION);
  return definition;
}

// ---------------------------------------------------------------------------------------------------
// setCustomFields: any of the four records the viewer can see
// ---------------------------------------------------------------------------------------------------

type CustomRow = { id: string; version: number; customFields: Prisma.JsonValue };
type CustomData = { customFields: Prisma.InputJsonValue };
type Tx = Prisma.TransactionClient;

/** Per Node type: its custom-field entity, and its scoped read and table. */
const RECORDS: Record<string, { entity: CustomFieldEntity; find: (ctx: AuthedContext, tx: Tx, id: string) => Promise<CustomRow | null>; table: (tx: Tx) => VersionedTable<CustomRow, CustomData> }> = {
  Organisation: {
    entity: CustomFieldEntity.ORGANISATION,
    find: (ctx, tx, id) => tx.organisation.findFirst({ where: { AND: [{ id }, ctx.scope.where.organisations()] } }),
    table: (tx) => tx.organisation,
  },
  Contact: {
    entity: CustomFieldEntity.CONTACT,
    find: (ctx, tx, id) => tx.contact.findFirst({ where: { AND: [{ id }, ctx.scope.where.contacts()] } }),
    table: (tx) => tx.contact,
  },
  Opportunity: {
    entity: CustomFieldEntity.OPPORTUNITY,
    find: (ctx, tx, id) => tx.opportunity.findFirst({ where: { AND: [{ id }, ctx.scope.where.opportunities()] } }),
    table: (tx) => tx.opportunity,
  },
  Visit: {
    entity: CustomFieldEntity.VISIT,
    find: (ctx, tx, id) => tx.visit.findFirst({ where: { AND: [{ id }, ctx.scope.where.visits()] } }),
    table: (tx) => tx.visit,
  },
};

const valuesCut = (entity: CustomFieldEntity): Record<string, ColumnCut> => ({ [VALUES_COLUMN]: { field: "customFields", visible: (ctx, stored) => readableValues(ctx, entity, stored) } });

/**
 * The side paths' cut of each entity's `customFields` column (handed to the composition root by the module),
 * and of an organisation creation request's (the organisation's values it proposes).
 */
export const customValueCuts: ColumnCuts = {
  ...Object.fromEntries(Object.values(CustomFieldEntity).map((entity) => [TABLE_OF[entity], valuesCut(entity)])),
  OrganisationRequest: valuesCut(CustomFieldEntity.ORGANISATION),
};

/** The entity a Node type carries custom fields as (the four types' resolvers and the CSV columns). */
export const customFieldEntityOf = (typeName: string): CustomFieldEntity | null => RECORDS[typeName]?.entity ?? null;

export async function setCustomFields(ctx: AuthedContext, input: SetCustomFieldsInput): Promise<{ id: string; version: number; customFields: CustomFieldValue[] }> {
  const parsed = parseGlobalId(input.id);
  const record = parsed ? RECORDS[parsed.typeName] : undefined;
  // a record of a type the viewer may not read is as missing as one outside their scope
  if (!parsed || !record || !ctx.readPolicy.readableFields(ctx.viewer, parsed.typeName).has("customFields")) throw notFound(parsed?.typeName ?? "Node");
  const write = await prepareCustomFieldWrite(ctx, record.entity, input.values, "update");
  const row = await ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: parsed.typeName,
      action: "update",
      version: input.version ?? null,
      find: (db) => record.find(ctx, db, parsed.id),
      change: (before) => write(before.customFields) as CustomData,
      table: record.table,
    }),
  );
  return { id: input.id, version: row.version, customFields: await visibleValues(ctx, record.entity, row.customFields) };
}

/** The `customFields` data of a write, given the record's stored values ({} for a new record). */
export type CustomFieldWrite = (stored: unknown) => { customFields?: Prisma.InputJsonObject };

/**
 * Prepares the custom-field part of a create or update input: the definitions are read here, before the
 * caller's transaction (configuration is read on its own connection); the returned function checks and merges
 * inside it, against the row it read. An update that names no custom field writes none.
 */
export async function prepareCustomFieldWrite(
  ctx: AuthedContext,
  entity: CustomFieldEntity,
  inputs: readonly CustomFieldValueInput[] | null | undefined,
  mode: "create" | "update",
): Promise<CustomFieldWrite> {
  if (mode === "update" && !inputs) return () => ({});
  const definitions = await definitionsOf(ctx, entity);
  return (stored) => ({ customFields: writtenValues(ctx.viewer, definitions, entity, stored, inputs, mode) as Prisma.InputJsonObject });
}

/**
 * Values held for a record that does not exist yet (an organisation creation request's, checked by the write
 * rule for their author when filed), for the record's creation later, with the corrections of whoever creates
 * it (checked as their writes: null clears a value). The held values a correction does not replace are checked
 * again against the definitions of that moment, read here before the caller's transaction: a value its
 * definition no longer allows (a removed option) is BAD_USER_INPUT naming `customFields.<key>`, for the creator
 * to correct. A value of a field archived since (definitions are archived, never deleted) is kept, hidden, as
 * every record keeps its archived fields' values. A field made required since does not hold the record back (as it does not hold back the records that
 * exist already).
 */
export async function prepareHeldCustomFieldWrite(
  ctx: AuthedContext,
  entity: CustomFieldEntity,
  corrections: readonly CustomFieldValueInput[] | null | undefined,
): Promise<(held: unknown) => CustomFieldWrite> {
  const definitions = await definitionsOf(ctx, entity);
  const inForce = new Map(definitions.filter((definition) => definition.archivedAt === null).map((definition) => [definition.key, definition]));
  const corrected = new Set((corrections ?? []).map((correction) => correction.key));
  return (held) => {
    const values: CustomValues = { ...storedValues(held) };
    const errors: { field: string; message: string }[] = [];
    for (const [key, value] of Object.entries(values)) {
      const definition = inForce.get(key);
      if (corrected.has(key) || !definition) continue;
      const checked = checkedValue(definition, value);
      if ("error" in checked) errors.push(fieldError(key, `${checked.error} (its definition changed since)`));
      else values[key] = checked.value;
    }
    if (errors.length) refuse(errors);
    const written = writtenValues(ctx.viewer, definitions, entity, values, corrections, "update");
    return (stored) => ({ customFields: { ...storedValues(stored), ...written } as Prisma.InputJsonObject });
  };
}

/** Whether a write changes the stored values (an import row sent again is UNCHANGED). */
export const changesCustomFields = (write: CustomFieldWrite, stored: unknown): boolean => {
  const written = write(stored).customFields;
  return written !== undefined && !isDeepStrictEqual(written, storedValues(stored));
};

/** A custom field as an aggregate's group key, for table alias `alias`: its value, or (MULTI_ENUM) each option held. */
export interface CustomFieldGroup {
  /** the key's SQL expression (text, NULL for records without a value) */
  value: Prisma.Sql;
  /** a lateral join the expression reads (MULTI_ENUM), else empty */
  join: Prisma.Sql;
  /** a record may fall in several groups (one per option it holds) */
  multiplies: boolean;
}

const GROUPABLE: ReadonlySet<CustomFieldType> = new Set([CustomFieldType.ENUM, CustomFieldType.MULTI_ENUM, CustomFieldType.BOOLEAN]);

export async function customFieldGroup(ctx: AuthedContext, entity: CustomFieldEntity, key: string | null | undefined, alias: string, joinAlias: string): Promise<CustomFieldGroup> {
  if (!key) throw badInput("CUSTOM_FIELD needs customField: the key of the field", { fields: [{ field: "groupBy.customField", message: "is required for CUSTOM_FIELD" }] });
  const definition = (await readableDefinitions(ctx, entity)).find((candidate) => candidate.key === key);
  if (!definition) refuse([fieldError(key, `is not a custom field of ${ENTITY_PLURAL[entity]}`)]);
  if (!GROUPABLE.has(definition.type)) refuse([fieldError(key, `a ${definition.type} field does not group records (ENUM, MULTI_ENUM and BOOLEAN do)`)]);
  const column = Prisma.raw(`${alias}."${VALUES_COLUMN}"`);
  if (definition.type !== CustomFieldType.MULTI_ENUM) return { value: Prisma.sql`(${column} ->> ${key})`, join: Prisma.empty, multiplies: false };
  const options = Prisma.raw(joinAlias);
  return {
    value: Prisma.sql`${options}.option`,
    // a record without options still makes one row (option NULL): the "no value" group
    join: Prisma.sql`LEFT JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(${column} -> ${key}) = 'array' THEN ${column} -> ${key} ELSE '[]'::jsonb END) ${options}(option) ON TRUE`,
    multiplies: true,
  };
}
