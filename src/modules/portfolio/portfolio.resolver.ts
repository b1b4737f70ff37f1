import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { PortfolioCategory, Segment } from "../../db/generated/enums.js";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/relay.js";
import { DateScalar } from "../../graphql/scalars.js";
import { Organisation, OrganisationConnection, type OrganisationRow } from "../organisations/organisation.type.js";
import { portfolio, portfolioValue, setPlannedVisits } from "./portfolio.service.js";
import { PortfolioMonth, SetPlannedVisitsInput, SetPlannedVisitsPayload } from "./portfolio.type.js";

@Resolver(() => Organisation)
export class PortfolioResolver {
  @Query(() => OrganisationConnection, {
    description: "Organisations in charge today of a rep (default: the viewer, or every rep they may see), by category and segment.",
  })
  portfolio(
    @Arg("repId", () => ID, { nullable: true }) repId: string | null,
    @Arg("category", () => [PortfolioCategory], { nullable: true }) category: PortfolioCategory[] | null,
    @Arg("segment", () => [Segment], { nullable: true }) segment: Segment[] | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: AuthedContext,
  ) {
    return portfolio(ctx, { repId, category, segment }, page);
  }

  @Query(() => [PortfolioMonth], { description: "A rep's portfolio value per month, from the assignment history at each month end." })
  portfolioValue(
    @Arg("repId", () => ID) repId: string,
    @Arg("from", () => DateScalar) from: Date,
    @Arg("to", () => DateScalar) to: Date,
    @Ctx() ctx: AuthedContext,
  ) {
    return portfolioValue(ctx, repId, from, to);
  }

  @Mutation(() => SetPlannedVisitsPayload, { description: "The rep's manager or head office plans the visits per year of an organisation." })
  setPlannedVisits(@Arg("input", () => SetPlannedVisitsInput) input: SetPlannedVisitsInput, @Ctx() ctx: AuthedContext) {
    return setPlannedVisits(ctx, input);
  }

  @FieldResolver(() => Int, { nullable: true, description: "Planned visits per year (null: from the visit policy)." })
  plannedVisitsPerYear(@Root() organisation: OrganisationRow): number | null {
    return organisation.plannedVisitsPerYear;
  }
}
