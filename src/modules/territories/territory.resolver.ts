import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { DateScalar } from "../../graphql/scalars.js";
import { loadOrganisation } from "../organisations/organisation.service.js";
import { Organisation, OrganisationConnection, type OrganisationRow } from "../organisations/organisation.type.js";
import { loadTeam, loadUser } from "../users/user.service.js";
import { Team, User, type UserSummary } from "../users/user.type.js";
import { applyObjectiveRealignment, territoryChangeImpact } from "./territory.impact.js";
import {
  addTerritoryRule,
  assignmentHistory,
  assignTerritory,
  createTerritory,
  endTerritoryRule,
  listTerritories,
  loadTerritories,
  loadTerritory,
  setTerritoryException,
  territoryCoverage,
  territoryExceptions,
  territoryHolders,
  territoryMembers,
  territoryRules,
} from "./territory.service.js";
import {
  AddTerritoryRuleInput,
  ApplyObjectiveRealignmentInput,
  ApplyObjectiveRealignmentPayload,
  AssignmentPeriod,
  AssignmentPeriodConnection,
  AssignTerritoryInput,
  CoverageOverlap,
  CreateTerritoryInput,
  EndTerritoryRuleInput,
  ObjectiveConcerned,
  OrganisationMove,
  SetTerritoryExceptionInput,
  Territory,
  TerritoryChangeImpact,
  TerritoryChangeImpactInput,
  TerritoryConnection,
  TerritoryCoverage,
  TerritoryException,
  TerritoryHolder,
  TerritoryPayload,
  TerritoryRule,
  type AssignmentRow,
  type ExceptionRow,
  type HolderRow,
  type RuleRow,
  type TerritoryRow,
} from "./territory.type.js";

@Resolver(() => Territory)
export class TerritoryResolver {
  @Query(() => TerritoryConnection, { description: "Territories the viewer may read." })
  territories(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return listTerritories(ctx, page);
  }

  @Query(() => TerritoryCoverage, { description: "Overlaps and gaps of the territories on a date, past or future (default today)." })
  territoryCoverage(
    @Arg("date", () => DateScalar, { nullable: true }) date: Date | null,
    @Arg("first", () => Int, { nullable: true, description: "Cap of each list (≤ 200, default 50)." }) first: number | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return territoryCoverage(ctx, date ?? ctx.today, first);
  }

  @Query(() => TerritoryChangeImpact, { description: "Who moves from which rep to which on a date, and what moves with them." })
  territoryChangeImpact(@Arg("input", () => TerritoryChangeImpactInput) input: TerritoryChangeImpactInput, @Ctx() ctx: AuthedContext) {
    return territoryChangeImpact(ctx, input);
  }

  @Mutation(() => TerritoryPayload)
  createTerritory(@Arg("input", () => CreateTerritoryInput) input: CreateTerritoryInput, @Ctx() ctx: AuthedContext) {
    return createTerritory(ctx, input);
  }

  @Mutation(() => TerritoryPayload, { description: "Adds a rule from validFrom (today at the earliest); the intervals are recomputed." })
  addTerritoryRule(@Arg("input", () => AddTerritoryRuleInput) input: AddTerritoryRuleInput, @Ctx() ctx: AuthedContext) {
    return addTerritoryRule(ctx, input);
  }

  @Mutation(() => TerritoryPayload, { description: "Ends a rule on validTo (exclusive, today at the earliest)." })
  endTerritoryRule(@Arg("input", () => EndTerritoryRuleInput) input: EndTerritoryRuleInput, @Ctx() ctx: AuthedContext) {
    return endTerritoryRule(ctx, input);
  }

  @Mutation(() => TerritoryPayload, { description: "Includes or excludes one organisation for a window, whatever the rules say." })
  setTerritoryException(@Arg("input", () => SetTerritoryExceptionInput) input: SetTerritoryExceptionInput, @Ctx() ctx: AuthedContext) {
    return setTerritoryException(ctx, input);
  }

  @Mutation(() => TerritoryPayload, {
    description: "Schedules a holder: PERMANENT (ends the previous permanent holder on validFrom) or a TEMPORARY cover (needs validTo).",
  })
  assignTerritory(@Arg("input", () => AssignTerritoryInput) input: AssignTerritoryInput, @Ctx() ctx: AuthedContext) {
    return assignTerritory(ctx, input);
  }

  @Mutation(() => ApplyObjectiveRealignmentPayload, { description: "Applies the realigned targets of territoryChangeImpact (audited)." })
  applyObjectiveRealignment(@Arg("input", () => ApplyObjectiveRealignmentInput) input: ApplyObjectiveRealignmentInput, @Ctx() ctx: AuthedContext) {
    return applyObjectiveRealignment(ctx, input);
  }

  @FieldResolver(() => ID)
  id(@Root() territory: TerritoryRow): string {
    return toGlobalId("Territory", territory.id);
  }

  @FieldResolver(() => Team, { nullable: true })
  team(@Root() territory: TerritoryRow, @Ctx() ctx: AuthedContext) {
    return loadTeam(ctx, territory.teamId);
  }

  @FieldResolver(() => [TerritoryRule])
  rules(@Root() territory: TerritoryRow, @Ctx() ctx: AuthedContext) {
    return territoryRules(ctx, territory.id);
  }

  @FieldResolver(() => [TerritoryHolder], { description: "Every holder, past, current and scheduled." })
  holders(@Root() territory: TerritoryRow, @Ctx() ctx: AuthedContext) {
    return territoryHolders(ctx, territory.id);
  }

  @FieldResolver(() => [TerritoryException])
  exceptions(@Root() territory: TerritoryRow, @Ctx() ctx: AuthedContext) {
    return territoryExceptions(ctx, territory.id);
  }

  @FieldResolver(() => OrganisationConnection, { description: "Organisations the territory matches on the date (default today) that the viewer may see." })
  members(
    @Root() territory: TerritoryRow,
    @Arg("date", () => DateScalar, { nullable: true }) date: Date | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: AuthedContext,
  ) {
    return territoryMembers(ctx, territory.id, date, page);
  }
}

@Resolver(() => TerritoryRule)
export class TerritoryRuleResolver {
  @FieldResolver(() => ID)
  id(@Root() rule: RuleRow): string {
    return toGlobalId("TerritoryRule", rule.id);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Matches this organisation and everything below it." })
  ancestorOrganisation(@Root() rule: RuleRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, rule.ancestorOrganisationId);
  }
}

@Resolver(() => TerritoryHolder)
export class TerritoryHolderResolver {
  @FieldResolver(() => ID)
  id(@Root() holder: HolderRow): string {
    return toGlobalId("TerritoryAssignment", holder.id);
  }

  @FieldResolver(() => User, { nullable: true })
  rep(@Root() holder: HolderRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, holder.repId);
  }
}

@Resolver(() => TerritoryException)
export class TerritoryExceptionResolver {
  @FieldResolver(() => ID)
  id(@Root() exception: ExceptionRow): string {
    return toGlobalId("TerritoryException", exception.id);
  }

  @FieldResolver(() => Organisation, { nullable: true })
  organisation(@Root() exception: ExceptionRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, exception.organisationId);
  }
}

@Resolver(() => AssignmentPeriod)
export class AssignmentPeriodResolver {
  @FieldResolver(() => ID)
  id(@Root() period: AssignmentRow): string {
    return toGlobalId("OrganisationAssignment", period.id);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Null when the viewer may not see it today." })
  organisation(@Root() period: AssignmentRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, period.organisationId);
  }

  @FieldResolver(() => User, { nullable: true })
  rep(@Root() period: AssignmentRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, period.repId);
  }

  @FieldResolver(() => Territory, { nullable: true, description: "Null for a manual assignment." })
  territory(@Root() period: AssignmentRow, @Ctx() ctx: AuthedContext) {
    return loadTerritory(ctx, period.territoryId);
  }
}

@Resolver(() => CoverageOverlap)
export class CoverageOverlapResolver {
  @FieldResolver(() => Organisation, { nullable: true })
  organisation(@Root() overlap: CoverageOverlap, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, overlap.organisationId);
  }

  @FieldResolver(() => [Territory], { description: "Matching territories, the winner first (priority, then age)." })
  territories(@Root() overlap: CoverageOverlap, @Ctx() ctx: AuthedContext) {
    return loadTerritories(ctx, overlap.territoryIds);
  }

  @FieldResolver(() => Territory, { nullable: true, description: "The territory whose holder is in charge." })
  winner(@Root() overlap: CoverageOverlap, @Ctx() ctx: AuthedContext) {
    return loadTerritory(ctx, overlap.winnerTerritoryId);
  }
}

@Resolver(() => TerritoryCoverage)
export class TerritoryCoverageResolver {
  @FieldResolver(() => [Organisation], { description: "Live organisations matched by no territory (head office only)." })
  async unmatchedOrganisations(@Root() coverage: TerritoryCoverage, @Ctx() ctx: AuthedContext) {
    const rows = await Promise.all(coverage.unmatchedOrganisationIds.map((id) => loadOrganisation(ctx, id)));
    return rows.filter((row): row is OrganisationRow => row !== null);
  }
}

@Resolver(() => OrganisationMove)
export class OrganisationMoveResolver {
  @FieldResolver(() => Organisation, { nullable: true })
  organisation(@Root() move: OrganisationMove, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, move.organisationId);
  }

  @FieldResolver(() => User, { nullable: true, description: "In charge the day before (null: nobody)." })
  fromRep(@Root() move: OrganisationMove, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, move.fromRepId);
  }

  @FieldResolver(() => User, { nullable: true, description: "In charge on the date (null: nobody)." })
  toRep(@Root() move: OrganisationMove, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, move.toRepId);
  }
}

@Resolver(() => ObjectiveConcerned)
export class ObjectiveConcernedResolver {
  @FieldResolver(() => User, { nullable: true })
  rep(@Root() objective: ObjectiveConcerned, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, objective.userId);
  }
}

@Resolver(() => User)
export class UserAssignmentHistoryResolver {
  @FieldResolver(() => AssignmentPeriodConnection, {
    description: "Organisations this rep was, is or will be in charge of, latest first (the rep, their manager, head office).",
  })
  assignmentHistory(@Root() user: UserSummary, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return assignmentHistory(ctx, { repId: user.id }, page);
  }
}

@Resolver(() => Organisation)
export class OrganisationAssignmentHistoryResolver {
  @FieldResolver(() => AssignmentPeriodConnection, { description: "Who was, is or will be in charge of this organisation (reps the viewer may see)." })
  assignmentHistory(@Root() organisation: OrganisationRow, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return assignmentHistory(ctx, { organisationId: organisation.id }, page);
  }
}
