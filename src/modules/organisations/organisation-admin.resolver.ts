import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/relay.js";
import { Contact, ContactConnection, type ContactRow } from "../contacts/contact.type.js";
import {
  contactsWithIssue,
  createOrganisation,
  daysSince,
  deactivateOrganisation,
  moveOrganisation,
  updateOrganisation,
} from "./organisation-admin.service.js";
import {
  ContactIssueKind,
  CreateOrganisationInput, DeactivateOrganisationInput, MoveOrganisationInput, OrganisationPayload, UpdateOrganisationInput } from "./organisation-admin.type.js";

/** Data stewards' direct writes on the referential (reps and managers file requests instead). */
@Resolver()
export class OrganisationAdminResolver {
  @Mutation(() => OrganisationPayload, { description: "Stewards: creates a validated organisation and places it in a portfolio by its location." })
  async createOrganisation(@Arg("input", () => CreateOrganisationInput) input: CreateOrganisationInput, @Ctx() ctx: AuthedContext) {
    return { organisation: await createOrganisation(ctx, input) };
  }

  @Mutation(() => OrganisationPayload, { description: "Stewards: changes the fields sent; fails with CONFLICT when `version` is stale." })
  async updateOrganisation(@Arg("input", () => UpdateOrganisationInput) input: UpdateOrganisationInput, @Ctx() ctx: AuthedContext) {
    return { organisation: await updateOrganisation(ctx, input) };
  }

  @Mutation(() => OrganisationPayload, { description: "Stewards: sets the status to INACTIVE or ARCHIVED (the record and its history stay)." })
  async deactivateOrganisation(@Arg("input", () => DeactivateOrganisationInput) input: DeactivateOrganisationInput, @Ctx() ctx: AuthedContext) {
    return { organisation: await deactivateOrganisation(ctx, input) };
  }

  @Mutation(() => OrganisationPayload, { description: "Stewards: re-parents an organisation; refuses cycles (BAD_USER_INPUT)." })
  async moveOrganisation(@Arg("input", () => MoveOrganisationInput) input: MoveOrganisationInput, @Ctx() ctx: AuthedContext) {
    return { organisation: await moveOrganisation(ctx, input) };
  }
}

/** Contact hygiene for data stewards: flags computed from the row, and the list of contacts to fix. */
@Resolver(() => Contact)
export class ContactHygieneResolver {
  @Query(() => ContactConnection, { description: "Stewards: contacts with a hygiene issue, across the referential." })
  contactHygiene(
    @Arg("issue", () => ContactIssueKind) issue: ContactIssueKind,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: AuthedContext,
  ) {
    return contactsWithIssue(ctx, issue, page);
  }

  @FieldResolver(() => Boolean, { description: "Left the company: kept for history, excluded from targeting." })
  hasLeft(@Root() contact: ContactRow): boolean {
    return contact.leftCompanyAt !== null;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: "A plausible e-mail address (one @, a dot in the domain, no spaces); null when there is none." })
  emailValid(@Root() contact: ContactRow): boolean | null {
    return contact.emailValid;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: "6 to 20 digits and phone signs, optional leading +; null when there is no phone." })
  phoneValid(@Root() contact: ContactRow): boolean | null {
    return contact.phoneValid;
  }

  @FieldResolver(() => Int, { nullable: true, description: "Days since the contact was last verified (null: never)." })
  verificationAgeDays(@Root() contact: ContactRow, @Ctx() ctx: AuthedContext): number | null {
    return daysSince(contact.lastVerifiedAt, ctx.today);
  }
}
