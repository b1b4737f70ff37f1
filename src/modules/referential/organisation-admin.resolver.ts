import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import {
  createOrganisation,
  deactivateOrganisation,
  moveOrganisation,
  updateOrganisation,
} from "./organisation-admin.service.js";
import {
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
