import { GraphQLJSON } from "graphql-scalars";
import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { contactDataExport, eraseContact } from "./privacy.service.js";
import { EraseContactPayload } from "./privacy.type.js";

@Resolver()
export class PrivacyResolver {
  @Query(() => GraphQLJSON, {
    description: "GDPR access: everything held about one contact (the record, its organisation, deal roles, visits naming it, its audit history), as JSON. Audited.",
  })
  contactDataExport(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return contactDataExport(ctx, id);
  }

  @Mutation(() => EraseContactPayload, {
    description:
      "GDPR erasure, irreversible: the contact's personal fields are pseudonymised (the id stays: visits and deals keep 'a contact'), and its values removed from the audit trail, the change feed and webhook payloads. Audited (action erase).",
  })
  async eraseContact(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return { erasedId: await eraseContact(ctx, id) };
  }
}
