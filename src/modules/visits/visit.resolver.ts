import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { ORDER_DOCS } from "../../graphql/sorting.js";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { DateScalar } from "../../graphql/scalars.js";
import { Contact } from "../contacts/contact.type.js";
import { materialRequestsOfVisit } from "../material-requests/material-request.service.js";
import { MaterialRequest, type MaterialRequestRow } from "../material-requests/material-request.type.js";
import { tasksOfVisit } from "../tasks/task.service.js";
import { Task, type TaskRow } from "../tasks/task.type.js";
import { OrganisationRequest } from "../organisation-requests/organisation-request.type.js";
import { requestById } from "../organisation-requests/organisation-request.loaders.js";
import { loadOrganisation } from "../organisations/organisation.service.js";
import { Organisation, type OrganisationRow } from "../organisations/organisation.type.js";
import { scopedContactById } from "../pipeline/opportunity.loaders.js";
import { loadUser } from "../users/user.service.js";
import { User } from "../users/user.type.js";
import { briefOf } from "./visit-brief.service.js";
import { visitPlan } from "./visit-plan.service.js";
import { createVisitPolicy, deleteVisitPolicy, listVisitPolicies, policyById, updateVisitPolicy } from "./visit-policy.service.js";
import {
  cancelVisit,
  getVisit,
  listLateVisits,
  listVisits,
  loadVisit,
  planVisit,
  prepareVisit,
  reportOf,
  reportVisit,
  rescheduleVisit,
  visitsOfOrganisation,
} from "./visit.service.js";
import {
  CancelVisitInput,
  CreateVisitPolicyInput,
  DeleteVisitPolicyInput,
  DeleteVisitPolicyPayload,
  PlanVisitInput,
  PrepareVisitInput,
  ReportVisitInput,
  RescheduleVisitInput,
  UpdateVisitPolicyInput,
  Visit,
  VisitBrief,
  VisitConnection,
  VisitFilter,
  VisitOrder,
  VisitPayload,
  VisitPlanConnection,
  VisitPlanEntry,
  VisitPolicy,
  VisitPolicyPayload,
  VisitPreparation,
  VisitReport,
  type VisitPlanRow,
  type VisitPolicyRow,
  type VisitReportValues,
  type VisitRow,
} from "./visit.type.js";

@ObjectType()
export class PrepareVisitPayload {
  @Field(() => Visit, { nullable: true }) visit!: VisitRow | null;
  @Field(() => [Task], { description: "The tasks this call created (OPEN, linked to the visit)." }) tasks!: TaskRow[];
}

@ObjectType()
export class ReportVisitPayload {
  @Field(() => Visit, { nullable: true }) visit!: VisitRow | null;
  @Field(() => [Task], { description: "The follow-up tasks this call created." }) followUpTasks!: TaskRow[];
  @Field(() => [MaterialRequest], { description: "The material requests this call created." }) materialRequests!: MaterialRequestRow[];
}

@Resolver(() => Visit)
export class VisitResolver {
  @Query(() => VisitConnection, { description: "Visits the viewer may see (their organisations' and pending requests')." })
  visits(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => VisitFilter, { nullable: true }) filter: VisitFilter | null,
    @Arg("orderBy", () => [VisitOrder], { nullable: true, description: ORDER_DOCS.orderBy }) orderBy: VisitOrder[] | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listVisits(ctx, filter, orderBy, page);
  }

  @Query(() => Visit, { description: "NOT_FOUND when missing or outside the viewer's scope." })
  visit(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return getVisit(ctx, id);
  }

  @Query(() => VisitConnection, { description: "Planned or prepared visits whose date has passed (not done, not cancelled), oldest first." })
  lateVisits(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return listLateVisits(ctx, page);
  }

  @Mutation(() => VisitPayload, { description: "Plans a visit on an organisation or a pending organisation request." })
  async planVisit(@Arg("input", () => PlanVisitInput) input: PlanVisitInput, @Ctx() ctx: AuthedContext) {
    return { visit: await planVisit(ctx, input) };
  }

  @Mutation(() => PrepareVisitPayload, { description: "Writes the preparation (the draft of the report) and adds tasks to carry out." })
  prepareVisit(@Arg("input", () => PrepareVisitInput) input: PrepareVisitInput, @Ctx() ctx: AuthedContext) {
    return prepareVisit(ctx, input);
  }

  @Mutation(() => ReportVisitPayload, { description: "Reports on the same record: send only what changed from the draft; the visit is DONE." })
  reportVisit(@Arg("input", () => ReportVisitInput) input: ReportVisitInput, @Ctx() ctx: AuthedContext) {
    return reportVisit(ctx, input);
  }

  @Mutation(() => VisitPayload)
  async cancelVisit(@Arg("input", () => CancelVisitInput) input: CancelVisitInput, @Ctx() ctx: AuthedContext) {
    return { visit: await cancelVisit(ctx, input) };
  }

  @Mutation(() => VisitPayload)
  async rescheduleVisit(@Arg("input", () => RescheduleVisitInput) input: RescheduleVisitInput, @Ctx() ctx: AuthedContext) {
    return { visit: await rescheduleVisit(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() visit: VisitRow): string {
    return toGlobalId("Visit", visit.id);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Null while the visit is on a pending request." })
  organisation(@Root() visit: VisitRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, visit.organisationId);
  }

  @FieldResolver(() => OrganisationRequest, { nullable: true, description: "The pending request the visit was logged against, when the viewer may see it." })
  request(@Root() visit: VisitRow, @Ctx() ctx: AuthedContext) {
    return visit.requestId ? ctx.loaders.get(requestById).load(visit.requestId) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: "The rep making the visit (for a partner's visit: the rep in charge of the organisation)." })
  rep(@Root() visit: VisitRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, visit.repId);
  }

  @FieldResolver(() => [Contact], { description: "Contacts to meet the viewer may see." })
  async contactsToMeet(@Root() visit: VisitRow, @Ctx() ctx: AuthedContext) {
    const contacts = await ctx.loaders.get(scopedContactById).loadMany(visit.contactIdsToMeet);
    return contacts.filter((c) => c !== null && !(c instanceof Error));
  }

  @FieldResolver(() => VisitPreparation)
  preparation(@Root() visit: VisitRow): VisitPreparation {
    return { objectives: visit.objectives, agenda: visit.agenda, notes: visit.preparationNotes };
  }

  @FieldResolver(() => VisitReport, { description: "The report; until DONE, the draft pre-filled from the preparation." })
  report(@Root() visit: VisitRow): VisitReportValues {
    return reportOf(visit);
  }

  @FieldResolver(() => Boolean, { description: "Planned or prepared, and planned before today." })
  isLate(@Root() visit: VisitRow, @Ctx() ctx: AuthedContext): boolean {
    return (visit.status === "PLANNED" || visit.status === "PREPARED") && visit.plannedAt < ctx.today;
  }

  @FieldResolver(() => [Task], { description: "Tasks linked to the visit: planned in the preparation and follow-ups of the report." })
  tasks(@Root() visit: VisitRow, @Ctx() ctx: AuthedContext) {
    return tasksOfVisit(ctx, visit.id);
  }

  @FieldResolver(() => [MaterialRequest], { description: "Material requests made during the visit." })
  materialRequests(@Root() visit: VisitRow, @Ctx() ctx: AuthedContext) {
    return materialRequestsOfVisit(ctx, visit.id);
  }

  @FieldResolver(() => VisitBrief, { description: "What the rest of the company knows about the customer, for this visit's date." })
  brief(@Root() visit: VisitRow, @Ctx() ctx: AuthedContext) {
    return briefOf(ctx, visit);
  }
}

@Resolver(() => VisitReport)
export class VisitReportResolver {
  @FieldResolver(() => [Contact], { description: "Contacts met (draft: the contacts to meet) the viewer may see." })
  async contactsMet(@Root() report: VisitReportValues, @Ctx() ctx: AuthedContext) {
    const contacts = await ctx.loaders.get(scopedContactById).loadMany(report.contactIdsMet);
    return contacts.filter((c) => c !== null && !(c instanceof Error));
  }
}

@Resolver(() => VisitPolicy)
export class VisitPolicyResolver {
  @Query(() => [VisitPolicy], { description: "Visit policies, shortest interval first." })
  visitPolicies(@Ctx() ctx: AuthedContext) {
    return listVisitPolicies(ctx);
  }

  @Mutation(() => VisitPolicyPayload)
  async createVisitPolicy(@Arg("input", () => CreateVisitPolicyInput) input: CreateVisitPolicyInput, @Ctx() ctx: AuthedContext) {
    return { policy: await createVisitPolicy(ctx, input) };
  }

  @Mutation(() => VisitPolicyPayload)
  async updateVisitPolicy(@Arg("input", () => UpdateVisitPolicyInput) input: UpdateVisitPolicyInput, @Ctx() ctx: AuthedContext) {
    return { policy: await updateVisitPolicy(ctx, input) };
  }

  @Mutation(() => DeleteVisitPolicyPayload)
  async deleteVisitPolicy(@Arg("input", () => DeleteVisitPolicyInput) input: DeleteVisitPolicyInput, @Ctx() ctx: AuthedContext) {
    return { deletedId: await deleteVisitPolicy(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() policy: VisitPolicyRow): string {
    return toGlobalId("VisitPolicy", policy.id);
  }
}

@Resolver(() => VisitPlanEntry)
export class VisitPlanResolver {
  @Query(() => VisitPlanConnection, {
    description:
      "For each organisation in charge of the rep(s) on the date (default today): planned visits, policy, last visit, next due date. Reps: themselves; managers: their team; head office: anyone; partners: their restriction. Most overdue first.",
  })
  visitPlan(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("rep", () => ID, { nullable: true }) rep: string | null,
    @Arg("team", () => ID, { nullable: true }) team: string | null,
    @Arg("date", () => DateScalar, { nullable: true }) date: Date | null,
    @Arg("overdue", () => Boolean, { nullable: true, description: "Only the organisations overdue against their policy (true), or the others (false)." })
    overdue: boolean | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return visitPlan(ctx, { rep, team, date, overdue }, page);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Null when the organisation is outside the viewer's scope today." })
  organisation(@Root() entry: VisitPlanRow, @Ctx() ctx: AuthedContext) {
    return loadOrganisation(ctx, entry.organisationId);
  }

  @FieldResolver(() => User, { nullable: true, description: "The rep in charge on the date." })
  rep(@Root() entry: VisitPlanRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, entry.repId);
  }

  @FieldResolver(() => VisitPolicy, { nullable: true, description: "The most specific policy that applies (null: none)." })
  policy(@Root() entry: VisitPlanRow, @Ctx() ctx: AuthedContext) {
    return policyById(ctx, entry.policyId);
  }

  @FieldResolver(() => Visit, { nullable: true })
  lastVisit(@Root() entry: VisitPlanRow, @Ctx() ctx: AuthedContext) {
    return loadVisit(ctx, entry.lastVisitId);
  }

  @FieldResolver(() => Visit, { nullable: true, description: "The next planned or prepared visit on or after the date." })
  nextPlannedVisit(@Root() entry: VisitPlanRow, @Ctx() ctx: AuthedContext) {
    return loadVisit(ctx, entry.nextPlannedVisitId);
  }
}

/** Organisation.visits lives here: the visits module owns it, type-graphql merges field resolvers. */
@Resolver(() => Organisation)
export class OrganisationVisitsResolver {
  @FieldResolver(() => VisitConnection, { description: "The organisation's visits, most recent first." })
  visits(@Root() organisation: OrganisationRow, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AuthedContext) {
    return visitsOfOrganisation(ctx, organisation.id, page);
  }
}

/** Task.visit lives here (the tasks module does not know visits). */
@Resolver(() => Task)
export class TaskVisitResolver {
  @FieldResolver(() => Visit, { nullable: true, description: "The visit the task was planned in or followed from, when the viewer may see it." })
  visit(@Root() task: TaskRow, @Ctx() ctx: AuthedContext) {
    return loadVisit(ctx, task.visitId);
  }
}

/** MaterialRequest.visit lives here too. */
@Resolver(() => MaterialRequest)
export class MaterialRequestVisitResolver {
  @FieldResolver(() => Visit, { nullable: true, description: "The visit whose report filed it, when the viewer may see it." })
  visit(@Root() request: MaterialRequestRow, @Ctx() ctx: AuthedContext) {
    return loadVisit(ctx, request.visitId);
  }
}
