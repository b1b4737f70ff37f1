// Stewards' direct writes on the referential: create, edit, deactivate, re-parent. Every write keeps
// `searchName` folded (duplicate detection and search read it) and is audited in its transaction.
import { z } from "zod";
import type { Viewer } from "../../auth/viewer.js";
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { expectGlobalId } from "../../graphql/relay.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { assignByLocation } from "./assign-by-location.js";
import { regionOf } from "../organisations/organisation.region.js";
import { foldName } from "../organisations/organisation.search.js";
import type { OrganisationRow } from "../organisations/organisation.type.js";
import { prepareCustomFieldWrite, type CustomFieldWrite } from "../custom-fields/custom-field.service.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";
import type {
  CreateOrganisationInput,
  DeactivateOrganisationInput,
  MoveOrganisationInput,
  OrganisationFieldsInput,
  UpdateOrganisationInput,
} from "./organisation-admin.type.js";

type Tx = Prisma.TransactionClient;

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max).nullish();
export const OrganisationFields = z.object({
  /** written by imports and bulk upserts only (a creation request carries it to the approved organisation) */
  externalId: text(100),
  name: text(200),
  legalId: z.string().transform((v) => v.replace(/\s/g, "")).pipe(z.string().regex(/^\d{9}(\d{5})?$/, "must be a SIREN (9 digits) or SIRET (14 digits)")).nullish(),
  street: text(200),
  postalCode: z.string().trim().regex(/^[0-9A-Za-z -]{3,10}$/, "is not a postal code").nullish(),
  city: text(100),
  region: text(100),
  phone: z.string().trim().regex(/^\+?[0-9 ().-]{6,20}$/, "is not a valid phone number").nullish(),
  email: z.string().trim().toLowerCase().email("is not a valid email address").max(254).nullish(),
  banner: text(100),
  buyingGroup: text(100),
  parentId: z.string().nullish(),
  status: z.enum(["PROSPECT", "CLIENT", "INACTIVE", "LOST", "ARCHIVED"]).nullish(),
  category: z.enum(["MAINTAIN", "DEVELOP", "CONQUER"]).nullish(),
  segment: z.enum(["GOLD", "SILVER", "BRONZE"]).nullish(),
});
export type OrganisationFieldValues = Partial<z.infer<typeof OrganisationFields>>;

/** Validated fields sent by a client (global parent id turned into a database id); unsent keys are absent. */
export function readOrganisationFields(input: OrganisationFieldsInput | null | undefined): OrganisationFieldValues {
  const values = sentFields(validate(OrganisationFields, input ?? {}));
  if (values.parentId) values.parentId = expectGlobalId(values.parentId, "Organisation");
  return values;
}

/** Prisma data for these fields, with the folded search name whenever the name is written. */
export function organisationData(values: OrganisationFieldValues): Prisma.OrganisationUncheckedUpdateInput {
  const data: Prisma.OrganisationUncheckedUpdateInput = { ...values } as Prisma.OrganisationUncheckedUpdateInput;
  if (values.name) data.searchName = foldName(values.name);
  return data;
}

/** Fails with BAD_USER_INPUT when `parentId` is the organisation itself or one of its descendants. */
export async function assertParentAllowed(tx: Tx, organisationId: string | null, parentId: string | null | undefined): Promise<void> {
  if (!parentId) return;
  // Walk up from the new parent; the hierarchy is shallow (group → banner → store), bounded anyway.
  let current: string | null = parentId;
  for (let depth = 0; current && depth < 50; depth += 1) {
    if (current === organisationId) throw badInput("An organisation cannot be placed under itself or its descendants", { fields: [{ field: "parentId" }] });
    const row: { parentId: string | null; mergedIntoId: string | null } | null = await tx.organisation.findUnique({
      where: { id: current },
      select: { parentId: true, mergedIntoId: true },
    });
    if (!row || (depth === 0 && row.mergedIntoId)) throw notFound("Parent organisation");
    current = row.parentId;
  }
}

/** Creates an organisation from validated fields (name required) and places it in a portfolio by location. */
export async function insertOrganisation(tx: Tx, viewer: Viewer, today: Date, values: OrganisationFieldValues, custom?: CustomFieldWrite): Promise<OrganisationRow> {
  const organisation = await insertUnplacedOrganisation(tx, viewer, values, custom);
  await assignByLocation(tx, viewer, organisation.id, today);
  return organisation;
}

/**
 * Creates an organisation without placing it yet: the caller places it (assignManyByLocation) before its
 * transaction ends — an import places a whole batch with one evaluation of the territory rules.
 */
export async function insertUnplacedOrganisation(tx: Tx, viewer: Viewer, values: OrganisationFieldValues, custom?: CustomFieldWrite): Promise<OrganisationRow> {
  if (!values.name) throw badInput("name is required", { fields: [{ field: "name" }] });
  await assertParentAllowed(tx, null, values.parentId);
  const region = await regionOf(tx, values);
  const organisation = await tx.organisation.create({
    data: { ...(organisationData(values) as Prisma.OrganisationUncheckedCreateInput), name: values.name, region, ...custom?.({}) },
  });
  await recordAudit(tx, viewer, { entity: "Organisation", entityId: organisation.id, action: "create", after: organisation });
  return organisation;
}

/** The fields territory rules match on: changing one moves the organisation (and its descendants) between portfolios. */
const TERRITORY_CRITERIA = ["country", "region", "postalCode", "banner", "buyingGroup", "parentId"] as const;

/** Applies changes with the version guard (null: the current version) and audits them, in the caller's transaction. */
export async function applyOrganisationChanges(
  tx: Tx,
  viewer: Viewer,
  today: Date,
  id: string,
  version: number | null,
  values: OrganisationFieldValues,
  action = "update",
  custom?: CustomFieldWrite,
): Promise<OrganisationRow> {
  return applyVersionedChange(tx, viewer, {
    entity: "Organisation",
    action,
    version,
    find: (db) => db.organisation.findFirst({ where: { id, mergedIntoId: null } }),
    table: (db) => db.organisation,
    change: async (before, db) => {
      if ("name" in values && !values.name) throw badInput("name cannot be cleared", { fields: [{ field: "name" }] });
      if ("parentId" in values) await assertParentAllowed(db, id, values.parentId);
      // A new address brings its region (a region sent alone is kept where the postal code does not decide it).
      const addressChanged = "postalCode" in values || "city" in values || "region" in values;
      const place = { postalCode: before.postalCode, city: before.city, country: before.country, ...values };
      const region = addressChanged ? await regionOf(db, { ...place, region: "region" in values ? values.region : null }) : before.region;
      return { ...(organisationData(values) as Prisma.OrganisationUpdateManyMutationInput), region, ...custom?.(before.customFields) };
    },
    afterWrite: async (db, before, after) => {
      if (TERRITORY_CRITERIA.some((key) => before[key] !== after[key])) await assignByLocation(db, viewer, id, today);
    },
  });
}

export async function createOrganisation(ctx: AuthedContext, input: CreateOrganisationInput): Promise<OrganisationRow> {
  const { customFields, ...fields } = input;
  const values = readOrganisationFields(fields);
  const custom = await prepareCustomFieldWrite(ctx, CustomFieldEntity.ORGANISATION, customFields, "create");
  return ctx.db.$transaction((tx) => insertOrganisation(tx, ctx.viewer, ctx.today, values, custom));
}

export async function updateOrganisation(ctx: AuthedContext, input: UpdateOrganisationInput): Promise<OrganisationRow> {
  const id = expectGlobalId(input.id, "Organisation");
  const { id: _id, version, customFields, ...fields } = input;
  const values = readOrganisationFields(fields);
  const custom = await prepareCustomFieldWrite(ctx, CustomFieldEntity.ORGANISATION, customFields, "update");
  return ctx.db.$transaction((tx) => applyOrganisationChanges(tx, ctx.viewer, ctx.today, id, version, values, "update", custom));
}

export async function deactivateOrganisation(ctx: AuthedContext, input: DeactivateOrganisationInput): Promise<OrganisationRow> {
  const id = expectGlobalId(input.id, "Organisation");
  if (input.status !== "INACTIVE" && input.status !== "ARCHIVED") {
    throw badInput("status must be INACTIVE or ARCHIVED", { fields: [{ field: "status" }] });
  }
  return ctx.db.$transaction((tx) => applyOrganisationChanges(tx, ctx.viewer, ctx.today, id, input.version, { status: input.status }, "deactivate"));
}

export async function moveOrganisation(ctx: AuthedContext, input: MoveOrganisationInput): Promise<OrganisationRow> {
  const id = expectGlobalId(input.id, "Organisation");
  const parentId = input.parentId ? expectGlobalId(input.parentId, "Organisation") : null;
  return ctx.db.$transaction((tx) => applyOrganisationChanges(tx, ctx.viewer, ctx.today, id, input.version, { parentId }, "move"));
}
