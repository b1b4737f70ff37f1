import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { PortfolioCategory, Segment, TaskKind, VisitChannel, VisitStatus } from "../../db/generated/enums.js";
import type { Prisma, Visit as VisitRow, VisitPolicy as VisitPolicyRow } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { FILTER_DOCS, type FilterTree } from "../../graphql/filter-tree.js";
import { DateScalar, DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import { NullsOrder, ORDER_DOCS, SortDirection } from "../../graphql/sorting.js";
import { MaterialRequest, type MaterialRequestRow } from "../material-requests/material-request.type.js";
import { Task, type TaskRow } from "../tasks/task.type.js";
import { CustomFieldCondition, CustomFieldValueInput } from "../custom-fields/custom-field.type.js";

registerEnumType(VisitChannel, { name: "VisitChannel" });
registerEnumType(VisitStatus, {
  name: "VisitStatus",
  description: "PLANNED → PREPARED → DONE (the same record becomes the report), or CANCELLED.",
});

export type { VisitRow, VisitPolicyRow };

// ---------------------------------------------------------------------------------------------------
// Visit policies
// ---------------------------------------------------------------------------------------------------

@ObjectType({ description: "Target visit frequency for organisations of a segment and/or a category (the most specific applies)." })
export class VisitPolicy {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => Segment, { nullable: true, description: "Null: any segment." }) segment!: Segment | null;
  @Field(() => PortfolioCategory, { nullable: true, description: "Null: any category." }) category!: PortfolioCategory | null;
  @Field(() => Int, { description: "Target interval between two visits, in months." }) intervalMonths!: number;
}

@InputType()
export class CreateVisitPolicyInput {
  @Field() name!: string;
  @Field(() => Segment, { nullable: true }) segment?: Segment | null;
  @Field(() => PortfolioCategory, { nullable: true }) category?: PortfolioCategory | null;
  @Field(() => Int) intervalMonths!: number;
}

@InputType({ description: "Changes the fields sent; an explicit null segment or category widens the policy to any." })
export class UpdateVisitPolicyInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => Segment, { nullable: true }) segment?: Segment | null;
  @Field(() => PortfolioCategory, { nullable: true }) category?: PortfolioCategory | null;
  @Field(() => Int, { nullable: true }) intervalMonths?: number | null;
}

@InputType()
export class DeleteVisitPolicyInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class VisitPolicyPayload {
  @Field(() => VisitPolicy, { nullable: true }) policy!: VisitPolicyRow | null;
}

@ObjectType()
export class DeleteVisitPolicyPayload {
  @Field(() => ID, { nullable: true }) deletedId!: string | null;
}

// ---------------------------------------------------------------------------------------------------
// Visits
// ---------------------------------------------------------------------------------------------------

@ObjectType({ implements: Node, description: "A visit from planning to report: the preparation becomes the report on the same record." })
export class Visit extends Node {
  @Field(() => DateTimeScalar) plannedAt!: Date;
  @Field(() => VisitChannel) channel!: VisitChannel;
  @Field(() => VisitStatus) status!: VisitStatus;
  @Field(() => DateTimeScalar, { nullable: true }) preparedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) reportedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) cancelledAt!: Date | null;
  @Field(() => String, { nullable: true }) cancelReason!: string | null;
  @Field(() => Int, { description: "Optimistic-concurrency version: send it back with every change." }) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const VisitConnection = ConnectionType(Visit, "Visit");

/** What the resolvers of VisitPreparation and VisitReport receive: the visit row itself. */
@ObjectType({ description: "What the rep prepared before the visit." })
export class VisitPreparation {
  @Field(() => String, { nullable: true }) objectives!: string | null;
  @Field(() => String, { nullable: true }) agenda!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
}

@ObjectType({
  description:
    "The report. Until the visit is DONE it is the draft pre-filled from the preparation: outcome ← objectives, notes ← agenda and preparation notes, contactsMet ← contactsToMeet. reportVisit keeps every field it is not sent.",
})
export class VisitReport {
  @Field({ description: "True until the visit is reported (the values are the pre-filled draft)." }) isDraft!: boolean;
  @Field(() => String, { nullable: true }) outcome!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => String, { nullable: true }) nextSteps!: string | null;
  @Field(() => Int, { nullable: true }) durationMinutes!: number | null;
}

export interface VisitReportValues {
  visit: VisitRow;
  isDraft: boolean;
  outcome: string | null;
  notes: string | null;
  nextSteps: string | null;
  durationMinutes: number | null;
  contactIdsMet: string[];
}

@InputType({ description: FILTER_DOCS.type })
export class VisitFilter implements FilterTree<VisitFilter> {
  @Field(() => ID, { nullable: true, description: "The rep (a User global id)." }) rep?: string | null;
  @Field(() => ID, { nullable: true }) organisation?: string | null;
  @Field(() => [VisitStatus], { nullable: true }) status?: VisitStatus[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Planned at or after." }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Planned strictly before." }) to?: Date | null;
  @Field(() => Boolean, { nullable: true, description: "Planned or prepared and planned before today (true), or the others (false)." })
  late?: boolean | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
  @Field(() => [CustomFieldCondition], { nullable: true, description: "Conditions on custom fields the reader may read (all must hold)." }) customFields?: CustomFieldCondition[] | null;
  @Field(() => [VisitFilter], { nullable: true, description: FILTER_DOCS.AND }) AND?: VisitFilter[] | null;
  @Field(() => [VisitFilter], { nullable: true, description: FILTER_DOCS.OR }) OR?: VisitFilter[] | null;
  @Field(() => VisitFilter, { nullable: true, description: FILTER_DOCS.NOT }) NOT?: VisitFilter | null;
}

export enum VisitOrderField {
  PLANNED_AT = "PLANNED_AT",
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
}
registerEnumType(VisitOrderField, { name: "VisitOrderField" });

@InputType()
export class VisitOrder {
  @Field(() => VisitOrderField) field!: VisitOrderField;
  @Field(() => SortDirection, { nullable: true, defaultValue: SortDirection.ASC }) direction?: SortDirection | null;
  @Field(() => NullsOrder, { nullable: true, description: ORDER_DOCS.nulls }) nulls?: NullsOrder | null;
}

@InputType({ description: "Exactly one of organisationId and requestId (a pending organisation request)." })
export class PlanVisitInput {
  @Field(() => ID, { nullable: true }) organisationId?: string | null;
  @Field(() => ID, { nullable: true, description: "A pending organisation request the viewer may see." }) requestId?: string | null;
  @Field(() => DateTimeScalar) plannedAt!: Date;
  @Field(() => VisitChannel, { nullable: true, description: "Default ON_SITE." }) channel?: VisitChannel | null;
  @Field(() => [ID], { nullable: true, description: "Contacts of the organisation." }) contactIdsToMeet?: string[] | null;
  @Field(() => ID, { nullable: true, description: "Default: the rep planning it, else the rep in charge of the organisation." })
  repId?: string | null;
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields to set (null or an empty list as a value clears one); each must be writable by the viewer." }) customFields?: CustomFieldValueInput[] | null;
}

@InputType({ description: "A task to carry out; created OPEN, linked to the visit and its organisation." })
export class VisitTaskInput {
  @Field(() => TaskKind) kind!: TaskKind;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateScalar, { nullable: true }) dueDate?: Date | null;
}

@InputType({ description: "Changes the fields sent; tasks are added to the visit. `version` must be the one last read." })
export class PrepareVisitInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) objectives?: string | null;
  @Field(() => String, { nullable: true }) agenda?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => [ID], { nullable: true, description: "Replaces the contacts to meet." }) contactIdsToMeet?: string[] | null;
  @Field(() => [VisitTaskInput], { nullable: true }) tasks?: VisitTaskInput[] | null;
}

@InputType()
export class MaterialItemInput {
  @Field() item!: string;
  @Field(() => Int) quantity!: number;
}

@InputType({ description: "Point-of-sale material or samples requested during the visit." })
export class VisitMaterialRequestInput {
  @Field(() => [MaterialItemInput]) items!: MaterialItemInput[];
}

@InputType({
  description: "Reports on the same record. Every field is optional: what is not sent keeps the draft's value (see VisitReport).",
})
export class ReportVisitInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) outcome?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => String, { nullable: true }) nextSteps?: string | null;
  @Field(() => [ID], { nullable: true, description: "Default: the contacts to meet." }) contactIdsMet?: string[] | null;
  @Field(() => Int, { nullable: true }) durationMinutes?: number | null;
  @Field(() => [VisitTaskInput], { nullable: true, description: "Follow-up tasks, created OPEN." }) followUpTasks?: VisitTaskInput[] | null;
  @Field(() => [VisitMaterialRequestInput], { nullable: true }) materialRequests?: VisitMaterialRequestInput[] | null;
  @Field(() => [CustomFieldValueInput], { nullable: true, description: "Custom fields to set (null or an empty list as a value clears one); each must be writable by the viewer." }) customFields?: CustomFieldValueInput[] | null;
}

@InputType()
export class CancelVisitInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field() reason!: string;
}

@InputType()
export class RescheduleVisitInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar) plannedAt!: Date;
  @Field(() => VisitChannel, { nullable: true }) channel?: VisitChannel | null;
}

@ObjectType()
export class VisitPayload {
  @Field(() => Visit, { nullable: true }) visit!: VisitRow | null;
}

// ---------------------------------------------------------------------------------------------------
// Visit plan
// ---------------------------------------------------------------------------------------------------

export interface VisitPlanRow {
  id: string; // the organisation's id (one line per organisation)
  organisationId: string;
  organisationName: string;
  repId: string;
  plannedVisitsPerYear: number | null;
  policyId: string | null;
  intervalMonths: number | null;
  lastVisitAt: Date | null;
  lastVisitId: string | null;
  nextDueDate: Date | null;
  overdue: boolean;
  nextPlannedVisitId: string | null;
}

@ObjectType({ description: "One organisation of a portfolio against its visit policy." })
export class VisitPlanEntry {
  @Field({ description: "Shown even when the organisation is not in the viewer's scope today (a plan on another date)." })
  organisationName!: string;
  @Field(() => Int, {
    nullable: true,
    description: "The organisation's own planned visits per year, else 12 / the policy's interval (rounded); null without either.",
  })
  plannedVisitsPerYear!: number | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "When the last DONE visit (on or before the date) took place." })
  lastVisitAt!: Date | null;
  @Field(() => DateScalar, {
    nullable: true,
    description: "Last done visit + the interval (the organisation's 365 / planned visits days, else the policy's months); never visited: the date itself.",
  })
  nextDueDate!: Date | null;
  @Field({ description: "Due and never visited, or due before the date: the same rule as the organisation dashboard's overdue organisations." }) overdue!: boolean;
}

export const VisitPlanConnection = ConnectionType(VisitPlanEntry, "VisitPlan");

// ---------------------------------------------------------------------------------------------------
// Brief
// ---------------------------------------------------------------------------------------------------

@ObjectType({ description: "An incident or alert from another department (support, logistics, billing)." })
export class BriefIncident {
  @Field(() => ID) id!: string;
  @Field({ description: "IncidentKind: DELIVERY_DELAY, AFTER_SALES, BILLING, QUALITY, OTHER." }) kind!: string;
  @Field({ description: "OPEN or RESOLVED." }) status!: string;
  @Field() summary!: string;
  @Field(() => String, { nullable: true }) department!: string | null;
  @Field(() => DateTimeScalar) openedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) resolvedAt!: Date | null;
}

@ObjectType({ description: "A head-office announcement whose targeting matches the organisation and is valid on the visit date." })
export class BriefAnnouncement {
  @Field(() => ID) id!: string;
  @Field({ description: "PRODUCT_LAUNCH, PROMOTION or INFO." }) kind!: string;
  @Field() title!: string;
  @Field() body!: string;
  @Field(() => DateScalar) validFrom!: Date;
  @Field(() => DateScalar, { nullable: true }) validTo!: Date | null;
}

@ObjectType({ description: "An open opportunity. Amounts are null for partner tokens." })
export class BriefOpportunity {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() stage!: string;
  @Field(() => Int) probability!: number;
  @Field(() => MoneyScalar, { nullable: true }) amount!: Prisma.Decimal | null;
  @Field(() => MoneyScalar, { nullable: true }) weightedAmount!: Prisma.Decimal | null;
  @Field(() => DateScalar, { nullable: true }) expectedCloseDate!: Date | null;
}

@ObjectType({ description: "A sent quote whose follow-up date has come by the visit date (today for a late visit). Amount null for partner tokens." })
export class BriefQuote {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) reference!: string | null;
  @Field() opportunityName!: string;
  @Field(() => MoneyScalar, { nullable: true }) amount!: Prisma.Decimal | null;
  @Field(() => DateScalar, { nullable: true }) sentAt!: Date | null;
  @Field(() => DateScalar, { nullable: true }) followUpDate!: Date | null;
  @Field(() => DateScalar, { nullable: true }) validUntil!: Date | null;
}

@ObjectType({ description: "An open task on the organisation (or the pending request), as the brief first showed it: VisitBrief.tasks gives the Task itself." })
export class BriefTask {
  @Field(() => ID) id!: string;
  @Field(() => TaskKind) kind!: TaskKind;
  @Field() title!: string;
  @Field(() => DateScalar, { nullable: true }) dueDate!: Date | null;
  @Field(() => String, { nullable: true, description: "Name of the assignee." }) assignee!: string | null;
}

@ObjectType({ description: "A recent order (never shown to partner tokens)." })
export class BriefOrder {
  @Field(() => ID) id!: string;
  @Field() externalId!: string;
  @Field(() => DateScalar) orderedAt!: Date;
  @Field(() => MoneyScalar) amount!: Prisma.Decimal;
  @Field(() => DateScalar, { nullable: true }) deliveryDate!: Date | null;
  @Field(() => DateScalar, { nullable: true }) deliveredAt!: Date | null;
}

@ObjectType({ description: "The previous DONE visit of the organisation (or request)." })
export class BriefLastReport {
  @Field(() => ID, { description: "The visit's global id." }) visitId!: string;
  @Field(() => DateTimeScalar) visitedAt!: Date;
  @Field(() => String, { nullable: true }) outcome!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => String, { nullable: true }) nextSteps!: string | null;
}

@ObjectType({
  description:
    "What the rep needs before the visit, each list capped at 50 (orders: the last 10). Partner tokens: no amounts (null) and no orders.",
})
export class VisitBrief {
  @Field(() => [BriefIncident], { description: "Open incidents, and incidents opened in the 30 days before the visit." }) incidents!: BriefIncident[];
  @Field(() => [BriefAnnouncement]) announcements!: BriefAnnouncement[];
  @Field(() => [BriefOpportunity], { description: "Open opportunities the viewer may read." }) opportunities!: BriefOpportunity[];
  @Field(() => [BriefQuote]) quotesToChase!: BriefQuote[];
  @Field(() => BriefLastReport, { nullable: true }) lastReport!: BriefLastReport | null;
  @Field(() => [BriefTask], { deprecationReason: "Use tasks: the same open tasks as Task objects (kind, assignee as a User, version for completeTask)." })
  openTasks!: BriefTask[];
  @Field(() => [Task], { description: "Open tasks on the organisation (or the pending request), soonest due first." }) tasks!: TaskRow[];
  @Field(() => [BriefOrder], { description: "The last 10 orders; empty for partner tokens." }) recentOrders!: BriefOrder[];
  @Field(() => [MaterialRequest], { description: "Material requests on the organisation not delivered nor refused yet, newest first." })
  pendingMaterialRequests!: MaterialRequestRow[];
}
