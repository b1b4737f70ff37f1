// Contacts: reads through the viewer's scope, writes with validation, optimistic concurrency and audit.
import { z } from "zod";
import { contactScope, organisationScope } from "../../auth/row-scope.js";
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { filterTreeWhere } from "../../graphql/filter-tree.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";
import { customFieldFilterOf, prepareCustomFieldWrite } from "../custom-fields/custom-field.service.js";
import { type Connection, expectGlobalId, lazyConnection, type PageArgs, pageOfList, pageWindow, readPage } from "../../graphql/relay.js";
import { listOrder, type OrderColumn } from "../../graphql/sorting.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import type { ColumnSelect } from "../../graphql/projection.js";
import { allContactsByOrganisation, currentContactsByOrganisation } from "./contact.loaders.js";
import { toWhere, type Condition } from "../../auth/scope/condition.js";
import {
  ContactOrderField,
  type ContactFilter,
  type ContactOrder,
  type ContactRow,
  type CreateContactInput,
  type UpdateContactInput,
} from "./contact.type.js";

const name = z.string().trim().min(1, "must not be empty").max(100);
const optionalText = z.string().trim().max(200).nullish();
export const ContactFields = z.object({
  externalId: z.string().trim().min(1, "must not be empty").max(100).nullish(),
  firstName: name,
  lastName: name,
  jobTitle: optionalText,
  department: optionalText,
  email: z.string().trim().toLowerCase().email("is not a valid email address").max(254).nullish(),
  phone: z.string().trim().regex(/^\+?[0-9 ().-]{6,20}$/, "is not a valid phone number").nullish(),
  roles: z.array(z.string()).max(7).nullish(),
  isPrimary: z.boolean().nullish(),
  leftCompanyAt: z.date().nullish(),
  lastVerifiedAt: z.date().nullish(),
});

/** Built once: zod compiles a schema on first use, which costs more than the validation itself. */
const ContactChanges = ContactFields.partial();

const ORDER_COLUMNS: Record<ContactOrderField, OrderColumn> = { LAST_NAME: { column: "lastName" }, UPDATED_AT: { column: "updatedAt" } };

/** One filter node's own conditions (AND / OR / NOT are composed by filterTreeWhere; includeLeft is the outermost node's). */
function conditionsWhere(filter: ContactFilter, custom: (node: ContactFilter) => Condition[]): Prisma.ContactWhereInput[] {
  const where: Prisma.ContactWhereInput[] = custom(filter).map((condition) => toWhere<Prisma.ContactWhereInput>(condition));
  if (filter.organisationId) where.push({ organisationId: expectGlobalId(filter.organisationId, "Organisation") });
  if (filter.roles?.length) where.push({ roles: { hasSome: filter.roles } });
  const text = filter.text?.trim();
  if (text) {
    where.push({
      OR: [
        { lastName: { contains: text, mode: "insensitive" } },
        { firstName: { contains: text, mode: "insensitive" } },
        { email: { contains: text, mode: "insensitive", not: null } },
      ],
    });
  }
  if (filter.updatedAfter) where.push({ updatedAt: { gt: filter.updatedAfter } });
  return where;
}

export async function listContacts(
  ctx: AuthedContext,
  filter: ContactFilter | null | undefined,
  order: readonly ContactOrder[] | null | undefined,
  pageArgs: PageArgs,
): Promise<Connection<ContactRow>> {
  const custom = await customFieldFilterOf<ContactFilter>(ctx, CustomFieldEntity.CONTACT, filter);
  const { orderBy, signature } = listOrder<ContactOrderField, Prisma.ContactOrderByWithRelationInput>(order, ORDER_COLUMNS, { field: ContactOrderField.LAST_NAME });
  const page = readPage(pageArgs, signature);
  const and: Prisma.ContactWhereInput[] = [contactScope(ctx.viewer, ctx.today), ...filterTreeWhere(filter, (node) => conditionsWhere(node, custom))];
  if (!filter?.includeLeft) and.push({ leftCompanyAt: null });
  const where = { AND: and };
  return lazyConnection(
    () =>
      ctx.db.contact.findMany({
        where,
        orderBy,
        ...pageWindow(page),
      }),
    page,
    () => ctx.db.contact.count({ where }),
  );
}

/** `columns`: what the operation reads of each contact (connectionColumns with CONTACT_COLUMNS). */
export async function contactsOfOrganisation(ctx: RequestContext, organisationId: string, includeLeft: boolean, pageArgs: PageArgs, columns: ColumnSelect) {
  const page = readPage(pageArgs);
  const loader = ctx.loaders.get(includeLeft ? allContactsByOrganisation : currentContactsByOrganisation);
  return pageOfList(await loader.load({ parentId: organisationId, columns }), page);
}

export async function getContact(ctx: AuthedContext, globalId: string): Promise<ContactRow> {
  const contact = await ctx.db.contact.findFirst({
    where: { id: expectGlobalId(globalId, "Contact"), ...contactScope(ctx.viewer, ctx.today) },
  });
  if (!contact) throw notFound("Contact");
  return contact;
}

export async function createContact(ctx: AuthedContext, input: CreateContactInput): Promise<ContactRow> {
  const organisationId = expectGlobalId(input.organisationId, "Organisation");
  const { roles, ...fields } = validate(ContactFields, input);
  const custom = (await prepareCustomFieldWrite(ctx, CustomFieldEntity.CONTACT, input.customFields, "create"))({});
  return ctx.db.$transaction(async (tx) => {
    const organisation = await tx.organisation.findFirst({
      where: { id: organisationId, ...organisationScope(ctx.viewer, ctx.today) },
      select: { id: true },
    });
    if (!organisation) throw notFound("Organisation");
    if (fields.isPrimary) await tx.contact.updateMany({ where: { organisationId, isPrimary: true }, data: { isPrimary: false } });
    const contact = await tx.contact.create({
      data: {
        ...sentFields(fields),
        firstName: fields.firstName,
        lastName: fields.lastName,
        isPrimary: fields.isPrimary ?? false,
        roles: (roles ?? []) as ContactRow["roles"],
        organisationId,
        ...custom,
      },
    });
    await recordAudit(tx, ctx.viewer, { entity: "Contact", entityId: contact.id, action: "create", after: contact });
    return contact;
  });
}

export async function updateContact(ctx: AuthedContext, input: UpdateContactInput): Promise<ContactRow> {
  const id = expectGlobalId(input.id, "Contact");
  const { version, id: _id, ...rest } = input;
  const changes = sentFields(validate(ContactChanges, rest));
  for (const key of ["firstName", "lastName"] as const) {
    if (key in changes && changes[key] == null) throw badInput(`${key} cannot be cleared`, { fields: [{ field: key }] });
  }
  const custom = await prepareCustomFieldWrite(ctx, CustomFieldEntity.CONTACT, input.customFields, "update");
  return ctx.db.$transaction((tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: "Contact",
      action: "update",
      version,
      find: (db) => db.contact.findFirst({ where: { id, ...contactScope(ctx.viewer, ctx.today) } }),
      change: async (before, db) => {
        if (changes.isPrimary) {
          await db.contact.updateMany({ where: { organisationId: before.organisationId, isPrimary: true, id: { not: id } }, data: { isPrimary: false } });
        }
        return { ...changes, roles: changes.roles ? (changes.roles as ContactRow["roles"]) : undefined, ...custom(before.customFields) } as Prisma.ContactUpdateManyMutationInput;
      },
      table: (db) => db.contact,
    }),
  );
}
