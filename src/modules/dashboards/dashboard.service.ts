// Entry points of the four dashboard families and the flash figures: resolve who and when, then compute.
import type { AuthedContext } from "../../graphql/context.js";
import { forbidden } from "../../errors/api-errors.js";
import { activityDashboard } from "./activity.service.js";
import { closings, invoiced, objectives } from "./activity.service.js";
import type { DashboardScopeInput, PeriodInput } from "./dashboard.inputs.js";
import { resolveScope, type ResolvedScope } from "./dashboard.credit.js";
import { dataHealthDashboard } from "./data-health.service.js";
import { fieldDynamicsDashboard, visits } from "./field-dynamics.service.js";
import { lateVisits, organisationDashboard, quotesToChase } from "./organisation-dashboard.service.js";
import { lastDay, resolvePeriod, type DateRange } from "./period.js";

const describe = (scope: ResolvedScope) => ({ kind: scope.kind, id: scope.id, label: scope.label });
const describePeriod = (range: DateRange) => ({ from: range.start, to: lastDay(range) });

async function prepare(ctx: AuthedContext, scopeInput: DashboardScopeInput | null | undefined, periodInput: PeriodInput | null | undefined) {
  const range = resolvePeriod(periodInput, ctx.today);
  const scope = await resolveScope(ctx, scopeInput);
  return { scope, range, header: { scope: describe(scope), period: describePeriod(range) } };
}

export async function getActivityDashboard(ctx: AuthedContext, scopeInput?: DashboardScopeInput | null, periodInput?: PeriodInput | null) {
  const { scope, range, header } = await prepare(ctx, scopeInput, periodInput);
  return { ...header, ...(await activityDashboard(ctx, scope, range)) };
}

export async function getOrganisationDashboard(ctx: AuthedContext, scopeInput?: DashboardScopeInput | null) {
  const { scope, header } = await prepare(ctx, scopeInput, null);
  return { scope: header.scope, ...(await organisationDashboard(ctx, scope)) };
}

export async function getDataHealthDashboard(ctx: AuthedContext, scopeInput?: DashboardScopeInput | null, periodInput?: PeriodInput | null, defaultCycleDays?: number | null) {
  const { scope, range, header } = await prepare(ctx, scopeInput, periodInput);
  if (defaultCycleDays != null && (defaultCycleDays < 7 || defaultCycleDays > 730)) throw forbidden("defaultOrderCycleDays must be between 7 and 730");
  return { ...header, ...(await dataHealthDashboard(ctx, scope, range, defaultCycleDays ?? undefined)) };
}

export async function getFieldDynamicsDashboard(ctx: AuthedContext, scopeInput?: DashboardScopeInput | null, periodInput?: PeriodInput | null) {
  const { scope, range, header } = await prepare(ctx, scopeInput, periodInput);
  return { ...header, ...(await fieldDynamicsDashboard(ctx, scope, range)) };
}

/** The home-screen figures of the viewer's own scope: six statements at most. */
export async function getFlash(ctx: AuthedContext, periodInput?: PeriodInput | null) {
  const { scope, range, header } = await prepare(ctx, null, periodInput);
  const commercial = scope.commercial && !scope.partner;
  const [closed, visitFigures, late, quotes, revenue, targets] = await Promise.all([
    commercial ? closings(ctx, scope, range) : null,
    visits(ctx, scope, range),
    lateVisits(ctx, scope),
    commercial ? quotesToChase(ctx, scope) : null,
    commercial ? invoiced(ctx, scope, range) : null,
    commercial ? objectives(ctx, scope, range) : null,
  ]);
  const target = targets?.get("INVOICED_REVENUE");
  return {
    period: header.period,
    won: closed ? closed.winRate.numerator : null,
    lost: closed ? closed.winRate.denominator - closed.winRate.numerator : null,
    conversionRate: closed?.winRate ?? null,
    visitsDone: visitFigures.done,
    lateVisits: late.total,
    quotesToChase: quotes?.total ?? null,
    revenueAttainment: revenue && target && !target.isZero() ? revenue.div(target).toNumber() : null,
  };
}
