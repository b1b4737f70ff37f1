// `ctx.scope`: the viewer's row-level scope, resolved once per request. Each entity's one definition
// (entities.ts) comes out as a Prisma `where` (`scope.where.contacts()`) or as SQL for a table alias and a day
// (`scope.sql.contacts("c")`); questions about people (may this viewer act for that rep, see that team) are
// answered here too, instead of manager-team checks in each module.
import type { Prisma } from "../../db/generated/client.js";
import type { Viewer } from "../viewer.js";
import { toSql, toWhere, type Day } from "./condition.js";
import * as scopes from "./entities.js";
import type { BinnedEntity } from "./entities.js";

export class RequestScope {
  constructor(
    readonly viewer: Viewer,
    /** the request's day: scopes are "in force today" unless a caller asks about another day */
    readonly today: Date,
  ) {}

  readonly conditions = {
    organisations: (day: Day = this.today) => scopes.organisations(this.viewer, day),
    contacts: (day: Day = this.today) => scopes.contacts(this.viewer, day),
    requests: () => scopes.requests(this.viewer),
    visits: (day: Day = this.today) => scopes.visits(this.viewer, day),
    opportunities: (day: Day = this.today) => scopes.opportunities(this.viewer, day),
    quotes: (day: Day = this.today) => scopes.quotes(this.viewer, day),
    tasks: (day: Day = this.today) => scopes.tasks(this.viewer, day),
    actionPlans: (day: Day = this.today) => scopes.actionPlans(this.viewer, day),
    leads: (day: Day = this.today) => scopes.leads(this.viewer, day),
    materialRequests: (day: Day = this.today) => scopes.materialRequests(this.viewer, day),
    orders: (day: Day = this.today) => scopes.orders(this.viewer, day),
    invoices: (day: Day = this.today) => scopes.invoices(this.viewer, day),
    incidents: (day: Day = this.today) => scopes.incidents(this.viewer, day),
  };

  /** The scopes as Prisma `where`s, for the service reads of each model. */
  readonly where = {
    organisations: (day?: Date) => toWhere<Prisma.OrganisationWhereInput>(this.conditions.organisations(day)),
    contacts: (day?: Date) => toWhere<Prisma.ContactWhereInput>(this.conditions.contacts(day)),
    requests: () => toWhere<Prisma.OrganisationRequestWhereInput>(this.conditions.requests()),
    visits: (day?: Date) => toWhere<Prisma.VisitWhereInput>(this.conditions.visits(day)),
    opportunities: (day?: Date) => toWhere<Prisma.OpportunityWhereInput>(this.conditions.opportunities(day)),
    quotes: (day?: Date) => toWhere<Prisma.QuoteWhereInput>(this.conditions.quotes(day)),
    tasks: (day?: Date) => toWhere<Prisma.TaskWhereInput>(this.conditions.tasks(day)),
    actionPlans: (day?: Date) => toWhere<Prisma.ActionPlanWhereInput>(this.conditions.actionPlans(day)),
    leads: (day?: Date) => toWhere<Prisma.LeadWhereInput>(this.conditions.leads(day)),
    materialRequests: (day?: Date) => toWhere<Prisma.MaterialRequestWhereInput>(this.conditions.materialRequests(day)),
    orders: (day?: Date) => toWhere<Prisma.OrderWhereInput>(this.conditions.orders(day)),
    invoices: (day?: Date) => toWhere<Prisma.InvoiceWhereInput>(this.conditions.invoices(day)),
    incidents: (day?: Date) => toWhere<Prisma.IncidentWhereInput>(this.conditions.incidents(day)),
  };

  /** The scopes as SQL about the row of a table alias, for the raw-SQL readers. */
  readonly sql = {
    organisations: (alias: string, day?: Day) => toSql(this.conditions.organisations(day), alias),
    contacts: (alias: string, day?: Day) => toSql(this.conditions.contacts(day), alias),
    requests: (alias: string) => toSql(this.conditions.requests(), alias),
    visits: (alias: string, day?: Day) => toSql(this.conditions.visits(day), alias),
    opportunities: (alias: string, day?: Day) => toSql(this.conditions.opportunities(day), alias),
    quotes: (alias: string, day?: Day) => toSql(this.conditions.quotes(day), alias),
    tasks: (alias: string, day?: Day) => toSql(this.conditions.tasks(day), alias),
    actionPlans: (alias: string, day?: Day) => toSql(this.conditions.actionPlans(day), alias),
    leads: (alias: string, day?: Day) => toSql(this.conditions.leads(day), alias),
    materialRequests: (alias: string, day?: Day) => toSql(this.conditions.materialRequests(day), alias),
    orders: (alias: string, day?: Day) => toSql(this.conditions.orders(day), alias),
    invoices: (alias: string, day?: Day) => toSql(this.conditions.invoices(day), alias),
    incidents: (alias: string, day?: Day) => toSql(this.conditions.incidents(day), alias),
  };

  /** The recycle bin's rows the viewer's reach covers today (the trash view and restores), as `where`s and SQL. */
  readonly trash = {
    where: {
      contacts: () => toWhere<Prisma.ContactWhereInput>(scopes.trash.contacts(this.viewer, this.today)),
      opportunities: () => toWhere<Prisma.OpportunityWhereInput>(scopes.trash.opportunities(this.viewer, this.today)),
      quotes: () => toWhere<Prisma.QuoteWhereInput>(scopes.trash.quotes(this.viewer, this.today)),
      visits: () => toWhere<Prisma.VisitWhereInput>(scopes.trash.visits(this.viewer, this.today)),
      tasks: () => toWhere<Prisma.TaskWhereInput>(scopes.trash.tasks(this.viewer, this.today)),
    },
    sql: (entity: BinnedEntity, alias: string) => toSql(scopes.trash[entity](this.viewer, this.today), alias),
  };

  /** Reps whose work the viewer sees: themselves, their team, everyone for head office. */
  get repIds(): readonly string[] | "all" {
    return scopes.visibleRepIds(this.viewer);
  }

  /** Whether the viewer sees (and, for commercial roles, acts on) this rep's work. */
  mayActFor(repId: string): boolean {
    const reps = this.repIds;
    return reps === "all" || reps.includes(repId);
  }

  /** Whether the viewer manages this rep's work: head office anyone's, a manager their team's reps'. */
  mayManage(repId: string | null): boolean {
    if (this.viewer.kind === "HEAD_OFFICE") return true;
    return this.viewer.kind === "MANAGER" && repId !== null && this.mayActFor(repId);
  }

  /** Whom the viewer may give work (a task, a plan, a deal): themselves, and whoever they act for. */
  mayAssignTo(userId: string): boolean {
    const self = this.viewer.kind === "REP" || this.viewer.kind === "MANAGER" || this.viewer.kind === "HEAD_OFFICE" ? this.viewer.userId : null;
    return userId === self || this.mayActFor(userId);
  }

  /** Whether the viewer sees this team: head office every team (and what belongs to none), a manager their own. */
  maySeeTeam(teamId: string | null): boolean {
    if (this.viewer.kind === "HEAD_OFFICE") return true;
    return this.viewer.kind === "MANAGER" && teamId !== null && this.viewer.teamId === teamId;
  }
}

export type ScopedEntity = keyof RequestScope["conditions"];
