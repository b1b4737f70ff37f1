import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { upsertContacts, upsertOrganisations } from "./bulk-upsert.service.js";
import { BulkUpsertPayload, UpsertContactsInput, UpsertOrganisationsInput } from "./bulk-upsert.type.js";

@Resolver()
export class BulkUpsertResolver {
  @Mutation(() => BulkUpsertPayload, {
    description: "Creates or updates organisations by external id (≤ 1 000 rows), one result per row; look-alikes of existing organisations are queued for a data steward instead of created.",
  })
  upsertOrganisations(@Arg("input", () => UpsertOrganisationsInput) input: UpsertOrganisationsInput, @Ctx() ctx: AuthedContext) {
    return upsertOrganisations(ctx, input.rows, input.allOrNone ?? false);
  }

  @Mutation(() => BulkUpsertPayload, { description: "Creates or updates contacts by external id (≤ 1 000 rows), one result per row." })
  upsertContacts(@Arg("input", () => UpsertContactsInput) input: UpsertContactsInput, @Ctx() ctx: AuthedContext) {
    return upsertContacts(ctx, input.rows, input.allOrNone ?? false);
  }
}
