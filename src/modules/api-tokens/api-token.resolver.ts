import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { loadUser } from "../users/user.service.js";
import { User } from "../users/user.type.js";
import { Territory } from "../territories/territory.type.js";
import { issueApiToken, listApiTokens, revokeApiToken } from "./api-token.service.js";
import { loadTerritories } from "../territories/territory.service.js";
import {
  ApiToken,
  ApiTokenConnection,
  IssueApiTokenInput,
  IssueApiTokenPayload,
  RevokeApiTokenInput,
  RevokeApiTokenPayload,
  type ApiTokenRow,
} from "./api-token.type.js";

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @Query(() => ApiTokenConnection, { description: "Head office: every token; managers: the tokens they issued." })
  apiTokens(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return listApiTokens(ctx, page);
  }

  @Mutation(() => IssueApiTokenPayload)
  issueApiToken(@Arg("input", () => IssueApiTokenInput) input: IssueApiTokenInput, @Ctx() ctx: AuthedContext) {
    return issueApiToken(ctx, input);
  }

  @Mutation(() => RevokeApiTokenPayload, { description: "Refused on every instance within seconds (on this one at once)." })
  async revokeApiToken(@Arg("input", () => RevokeApiTokenInput) input: RevokeApiTokenInput, @Ctx() ctx: AuthedContext) {
    return { apiToken: await revokeApiToken(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() token: ApiTokenRow): string {
    return toGlobalId("ApiToken", token.id);
  }

  @FieldResolver(() => User, { nullable: true })
  createdBy(@Root() token: ApiTokenRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, token.createdById);
  }

  @FieldResolver(() => [Territory], { description: "Territories the token is restricted to." })
  territories(@Root() token: ApiTokenRow, @Ctx() ctx: AuthedContext) {
    return loadTerritories(ctx, token.restrictTerritoryIds);
  }

  @FieldResolver(() => [ID], { description: "Organisations the token is restricted to (global ids)." })
  organisationIds(@Root() token: ApiTokenRow): string[] {
    return token.restrictOrganisationIds.map((id) => toGlobalId("Organisation", id));
  }
}
