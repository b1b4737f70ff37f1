import type { GraphQLResolveInfo } from "graphql";
import { ORDER_DOCS } from "../../graphql/sorting.js";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import { connectionColumns, objectColumns } from "../../graphql/projection.js";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { Organisation, ORGANISATION_COLUMNS, type OrganisationRow } from "../organisations/organisation.type.js";
import { loadOrganisation } from "../organisations/organisation.service.js";
import { contactsOfOrganisation, createContact, listContacts, updateContact } from "./contact.service.js";
import {
  CONTACT_COLUMNS,
  Contact,
  ContactConnection,
  ContactFilter,
  ContactOrder,
  ContactPayload,
  CreateContactInput,
  UpdateContactInput,
  type ContactRow,
} from "./contact.type.js";

@Resolver(() => Contact)
export class ContactResolver {
  @Query(() => ContactConnection, { description: "Contacts of the organisations the viewer may see." })
  contacts(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => ContactFilter, { nullable: true }) filter: ContactFilter | null,
    @Arg("orderBy", () => [ContactOrder], { nullable: true, description: ORDER_DOCS.orderBy }) orderBy: ContactOrder[] | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listContacts(ctx, filter, orderBy, page);
  }

  @Mutation(() => ContactPayload)
  async createContact(@Arg("input", () => CreateContactInput) input: CreateContactInput, @Ctx() ctx: AuthedContext) {
    return { contact: await createContact(ctx, input) };
  }

  @Mutation(() => ContactPayload, { description: "Changes the fields sent; fails with CONFLICT when `version` is stale." })
  async updateContact(@Arg("input", () => UpdateContactInput) input: UpdateContactInput, @Ctx() ctx: AuthedContext) {
    return { contact: await updateContact(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() contact: ContactRow): string {
    return toGlobalId("Contact", contact.id);
  }

  @FieldResolver(() => Organisation)
  organisation(@Root() contact: ContactRow, @Ctx() ctx: AuthedContext, @Info() info: GraphQLResolveInfo) {
    return loadOrganisation(ctx, contact.organisationId, objectColumns(info, ORGANISATION_COLUMNS));
  }
}

/** The contacts module owns the organisation → contacts relation, so it adds the field to Organisation. */
@Resolver(() => Organisation)
export class OrganisationContactsResolver {
  @FieldResolver(() => ContactConnection)
  contacts(
    @Root() o: OrganisationRow,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("includeLeft", { defaultValue: false, description: "Include people who left the company." }) includeLeft: boolean,
    @Ctx() ctx: AuthedContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return contactsOfOrganisation(ctx, o.id, includeLeft, page, connectionColumns(info, CONTACT_COLUMNS));
  }
}
