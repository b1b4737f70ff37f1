// Stewards' direct writes on the referential: create, edit, deactivate, re-parent. Every write keeps
// `searchName` folded (duplicate detection and search read it) and is audited in its transaction.
import { z } from "zod";
import type { Viewer } from "../../auth/viewer.js";
import { Prisma } from "../../db/generated/client.js";
import type { Contact as ContactRow } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput, conflict, notFound } from "../../graphql/errors.js";
import { expectGlobalId, lazyConnection, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { assignByLocation } from "../organisation-requests/assign-by-location.js";
import type { OrganisationFieldsInput } from "../organisation-requests/organisation-request.type.js";
import { regionOf } from "./organisation.region.js";
import { foldName } from "./organisation.search.js";
import type { OrganisationRow } from "./organisation.type.js";
import type {
  CreateOrganisationInput,
  DeactivateOrganisationInput,
  MoveOrganisationInput,
  UpdateOrganisationInput,
} from "./organisation-admin.type.js";

type Tx = Prisma.TransactionClient;

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max).nullish();
export const OrganisationFields = z.object({
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
export async function insertOrganisation(tx: Tx, viewer: Viewer, today: Date, values: OrganisationFieldValues): Promise<OrganisationRow> {
  if (!values.name) throw badInput("name is required", { fields: [{ field: "name" }] });
  await assertParentAllowed(tx, null, values.parentId);
  const region = await regionOf(tx, values);
  const organisation = await tx.organisation.create({
    data: { ...(organisationData(values) as Prisma.OrganisationUncheckedCreateInput), name: values.name, region },
  });
  await recordAudit(tx, viewer, { entity: "Organisation", entityId: organisation.id, action: "create", after: organisation });
  await assignByLocation(tx, viewer, organisation.id, today);
  return organisation;
}

/** The fields territory rules match on: changing one moves the organisation (and its descendants) between portfolios. */
const TERRITORY_CRITERIA = ["country", "region", "postalCode", "banner", "buyingGroup", "parentId"] as const;

/** Applies changes with the version guard; the caller's transaction owns the audit. */
export async function applyOrganisationChanges(
  tx: Tx,
  viewer: Viewer,
  today: Date,
  id: string,
  version: number | null,
  values: OrganisationFieldValues,
  action = "update",
): Promise<OrganisationRow> {
  const before = await tx.organisation.findFirst({ where: { id, mergedIntoId: null } });
  if (!before) throw notFound("Organisation");
  const stale = () => conflict(`Organisation was changed by someone else (version ${before.version}, you sent ${version})`, { currentVersion: before.version });
  if (version !== null && before.version !== version) throw stale();
  if ("name" in values && !values.name) throw badInput("name cannot be cleared", { fields: [{ field: "name" }] });
  if ("parentId" in values) await assertParentAllowed(tx, id, values.parentId);
  // A new address brings its region (a region sent alone is kept where the postal code does not decide it).
  const addressChanged = "postalCode" in values || "city" in values || "region" in values;
  const place = { postalCode: before.postalCode, city: before.city, country: before.country, ...values };
  const region = addressChanged ? await regionOf(tx, { ...place, region: "region" in values ? values.region : null }) : before.region;
  // The version in the WHERE makes a concurrent writer that read the same version lose here.
  const updated = await tx.organisation.updateMany({
    where: { id, version: before.version },
    data: { ...(organisationData(values) as Prisma.OrganisationUpdateManyMutationInput), region, version: { increment: 1 } },
  });
  if (updated.count !== 1) throw stale();
  const after = await tx.organisation.findUniqueOrThrow({ where: { id } });
  await recordAudit(tx, viewer, { entity: "Organisation", entityId: id, action, before, after });
  if (TERRITORY_CRITERIA.some((key) => before[key] !== after[key])) await assignByLocation(tx, viewer, id, today);
  return after;
}

export async function createOrganisation(ctx: AuthedContext, input: CreateOrganisationInput): Promise<OrganisationRow> {
  const values = readOrganisationFields(input);
  return ctx.db.$transaction((tx) => insertOrganisation(tx, ctx.viewer, ctx.today, values));
}

export async function updateOrganisation(ctx: AuthedContext, input: UpdateOrganisationInput): Promise<OrganisationRow> {
  const id = expectGlobalId(input.id, "Organisation");
  const { id: _id, version, ...fields } = input;
  const values = readOrganisationFields(fields);
  return ctx.db.$transaction((tx) => applyOrganisationChanges(tx, ctx.viewer, ctx.today, id, version, values));
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

// ───────────── Contact hygiene (stewards fix contacts; people who left stay, flagged) ─────────────

export const daysSince = (day: Date | null, today: Date): number | null =>
  day == null ? null : Math.floor((today.getTime() - day.getTime()) / 86_400_000);

export type ContactIssue = "LEFT" | "INVALID_EMAIL" | "INVALID_PHONE" | "NEVER_VERIFIED" | "VERIFIED_OVER_A_YEAR_AGO";

/** Contacts with one hygiene issue (stewards see the whole referential), by id; one query for the page, one to count. */
export function contactsWithIssue(ctx: AuthedContext, issue: ContactIssue, pageArgs: PageArgs): Connection<ContactRow> {
  const page = readPage(pageArgs);
  const yearAgo = new Date(ctx.today.getTime() - 365 * 86_400_000);
  // emailValid and phoneValid are computed by PostgreSQL on every write (generated columns: one rule).
  const condition = {
    LEFT: Prisma.sql`c."leftCompanyAt" IS NOT NULL`,
    INVALID_EMAIL: Prisma.sql`c."emailValid" = false`,
    INVALID_PHONE: Prisma.sql`c."phoneValid" = false`,
    NEVER_VERIFIED: Prisma.sql`c."lastVerifiedAt" IS NULL AND c."leftCompanyAt" IS NULL`,
    VERIFIED_OVER_A_YEAR_AGO: Prisma.sql`c."lastVerifiedAt" < ${yearAgo} AND c."leftCompanyAt" IS NULL`,
  }[issue];
  const live = Prisma.sql`JOIN "Organisation" o ON o.id = c."organisationId" AND o."mergedIntoId" IS NULL`;
  const rows = async () => {
    const after = page.afterId ? Prisma.sql`AND c.id > ${page.afterId}::uuid` : Prisma.empty;
    const ids = await ctx.db.$queryRaw<{ id: string }[]>`
      SELECT c.id::text AS id FROM "Contact" c ${live} WHERE ${condition} ${after} ORDER BY c.id LIMIT ${page.take + 1}`;
    const contacts = await ctx.db.contact.findMany({ where: { id: { in: ids.map((row) => row.id) } }, orderBy: { id: "asc" } });
    return contacts;
  };
  const count = async () => {
    const [row] = await ctx.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Contact" c ${live} WHERE ${condition}`;
    return row?.n ?? 0;
  };
  return lazyConnection(rows, page, count);
}
