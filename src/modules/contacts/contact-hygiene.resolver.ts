import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/relay.js";
import { contactsWithIssue, daysSince } from "./contact-hygiene.service.js";
import { Contact, ContactConnection, ContactIssueKind, type ContactRow } from "./contact.type.js";

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
