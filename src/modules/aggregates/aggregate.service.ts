// Aggregates for the front ends' own charts: counts (and for deals, sums, averages, minima and maxima of the
// amount or the weighted amount) grouped by up to three dimensions, computed in one SQL statement over the
// viewer's scope AND the list's own filter — both the very conditions the lists read as Prisma `where`s.
import { Prisma } from "../../db/generated/client.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";
import { toSql } from "../../auth/scope/condition.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput } from "../../errors/api-errors.js";
import { toGlobalId } from "../../graphql/relay.js";
import { customFieldGroup } from "../custom-fields/custom-field.service.js";
import { organisationFilterCondition } from "../organisations/organisation.service.js";
import type { OrganisationFilter } from "../organisations/organisation.type.js";
import { opportunityFilterCondition } from "../pipeline/opportunity.service.js";
import { listStages } from "../pipeline/stage.service.js";
import type { OpportunityFilter } from "../pipeline/opportunity.type.js";
import { weightedAmountSql } from "../pipeline/weighted-amount.js";
import { erpDocumentFilterCondition } from "../orders/order.service.js";
import type { OrderFilter } from "../orders/order.type.js";
import { loadUser } from "../users/user.service.js";
import { visitFilterCondition } from "../visits/visit.service.js";
import type { VisitFilter } from "../visits/visit.type.js";
import {
  OpportunityDimension,
  OpportunityMeasure,
  OrderDimension,
  OrganisationDimension,
  type AggregateKey,
  type MoneyAggregateGroup,
  type OpportunityAggregates,
  type OpportunityGroupBy,
  type OrderAggregates,
  type OrderGroupBy,
  type OrganisationAggregates,
  type OrganisationGroupBy,
  VisitDimension,
  type VisitAggregateGroup,
  type VisitAggregates,
  type VisitGroupBy,
} from "./aggregate.type.js";

export const MAX_DIMENSIONS = 3;
export const DEFAULT_MAX_GROUPS = 500;
export const MAX_GROUPS = 5_000;

/** One dimension as SQL: the group key's expression, what it needs joined, how its values show. */
interface Dimension {
  name: string;
  /** the value rows are grouped on (typed) */
  value: Prisma.Sql;
  /** the group's value as text, from its raw value; by default a cast */
  text?: (key: Prisma.Sql) => Prisma.Sql;
  /** joins the expression reads, in order; two dimensions joining the same table join it once */
  joins: Prisma.Sql[];
  /** a row may fall in several groups (a MULTI_ENUM's options) */
  multiplies?: boolean;
  /** the value shown (a global id), and its label; by default the value itself and no label */
  show?: (values: (string | null)[]) => Promise<(value: string | null) => { value: string | null; label: string | null }>;
}

function checkShape(groupBy: readonly unknown[], maxGroups: number | null | undefined): number {
  if (groupBy.length > MAX_DIMENSIONS) throw badInput(`At most ${MAX_DIMENSIONS} groupBy dimensions`, { fields: [{ field: "groupBy", message: `at most ${MAX_DIMENSIONS}` }] });
  const cap = maxGroups ?? DEFAULT_MAX_GROUPS;
  if (!Number.isInteger(cap) || cap < 1 || cap > MAX_GROUPS) throw badInput(`maxGroups must be between 1 and ${MAX_GROUPS}`, { fields: [{ field: "maxGroups", message: `must be between 1 and ${MAX_GROUPS}` }] });
  return cap;
}

interface GroupRow {
  k0: string | null;
  k1: string | null;
  k2: string | null;
  count: number;
  /** rows with a measure (a visit without a reported duration has none) */
  measured: number;
  sum: string | null;
  average: string | null;
  min: string | null;
  max: string | null;
}

/** The metrics over the measure beyond the count; the average is the sum over the measured rows. */
export type Metric = "sum" | "min" | "max";

/**
 * The metrics an operation asks for, from the names of the group fields it selects (`fields`: group field →
 * the metric it reads). Only those are computed: over half a million deals, MIN and MAX cost as much again as
 * COUNT and SUM.
 */
export const metricsAsked = (selected: ReadonlySet<string>, fields: Readonly<Record<string, Metric>>): ReadonlySet<Metric> =>
  new Set(Object.entries(fields).flatMap(([field, metric]) => (selected.has(field) ? [metric] : [])));

/** Group fields of deals and orders → metric; of visits. */
export const MONEY_METRIC_FIELDS: Readonly<Record<string, Metric>> = { sum: "sum", average: "sum", min: "min", max: "max" };
export const DURATION_METRIC_FIELDS: Readonly<Record<string, Metric>> = { totalDuration: "sum", averageDuration: "sum", minDuration: "min", maxDuration: "max" };

/** The metrics of a group, in the inner statement (typed: counts, numerics); a metric not asked is NULL. */
function innerMetrics(measure: Prisma.Sql | null, metrics: ReadonlySet<Metric>): Prisma.Sql {
  const metric = (name: Metric, sql: (measure: Prisma.Sql) => Prisma.Sql) =>
    measure && metrics.has(name) ? Prisma.sql`${sql(measure)} AS ${Prisma.raw(name)}` : Prisma.raw(`NULL::numeric AS ${name}`);
  const measured = measure && metrics.has("sum") ? Prisma.sql`COUNT(${measure}) AS measured` : Prisma.raw(`0 AS measured`);
  return Prisma.join([
    Prisma.raw(`COUNT(*) AS count`),
    measured,
    metric("sum", (m) => Prisma.sql`SUM(${m})`),
    metric("min", (m) => Prisma.sql`MIN(${m})`),
    metric("max", (m) => Prisma.sql`MAX(${m})`),
  ]);
}

/** …as the API reads them: the average is the sum over the measured rows (one aggregate fewer per row). */
const OUTER_METRICS = Prisma.sql`g.count::int AS count, g.measured::int AS measured, g.sum::text AS sum, (g.sum / NULLIF(g.measured, 0))::text AS average, g.min::text AS min, g.max::text AS max`;

/** What an aggregate query asks: the list's filter, the groupings, the group cap, the metrics it reads. */
export interface AggregateRequest<Filter, GroupBy> {
  filter: Filter | null | undefined;
  groupBy: readonly GroupBy[];
  maxGroups: number | null | undefined;
  metrics: ReadonlySet<Metric>;
}

/** The records aggregated: a table and its alias, the viewer's scope AND the filter, what is measured. */
interface Facts<GroupBy> {
  from: Prisma.Sql;
  where: Prisma.Sql;
  measure: Prisma.Sql | null;
  dimension: (ctx: AuthedContext, groupBy: GroupBy, index: number) => Promise<Dimension>;
}

/**
 * The grouped statement and the total over the facts. The rows are grouped on the dimensions' raw values (a
 * uuid, a truncated date: cheap to hash), and only the groups are turned into text, ordered and limited (a
 * limit inside would have the planner sort every row to group them). A grouping past the cap is refused
 * (BAD_USER_INPUT) rather than cut: a chart must not silently lose bars.
 */
async function aggregate<GroupBy>(ctx: AuthedContext, request: AggregateRequest<unknown, GroupBy>, facts: Facts<GroupBy>) {
  const cap = checkShape(request.groupBy, request.maxGroups);
  const dimensions = await Promise.all(request.groupBy.map((entry, index) => facts.dimension(ctx, entry, index)));
  const { from, where, measure } = facts;
  const key = (i: number) => Prisma.raw(`k${i}`);
  const innerKeys = dimensions.map((d, i) => Prisma.sql`${d.value} AS ${key(i)}`);
  const outerKeys = [0, 1, 2].map((i) => (dimensions[i] ? Prisma.sql`${(dimensions[i].text ?? asText)(Prisma.raw(`g.k${i}`))} AS ${key(i)}` : Prisma.sql`NULL::text AS ${key(i)}`));
  const joins = Prisma.join([Prisma.empty, ...new Map(dimensions.flatMap((d) => d.joins).map((join) => [`${join.text} ${JSON.stringify(join.values)}`, join])).values()], " ");
  const computed = innerMetrics(measure, request.metrics);
  const grouped = dimensions.length
    ? Prisma.sql`SELECT ${Prisma.join([...innerKeys, computed])} FROM ${from} ${joins} WHERE ${where} GROUP BY ${Prisma.join(dimensions.map((_, i) => key(i)))}`
    : Prisma.sql`SELECT ${computed} FROM ${from} WHERE ${where}`;
  const orderBy = dimensions.length ? Prisma.sql`ORDER BY ${Prisma.join(dimensions.map((_, i) => Prisma.raw(`g.k${i} NULLS LAST`)))}` : Prisma.empty;
  const rows = await ctx.db.$queryRaw<GroupRow[]>`SELECT ${Prisma.join(outerKeys)}, ${OUTER_METRICS} FROM (${grouped}) g ${orderBy} LIMIT ${cap + 1}`;
  if (rows.length > cap) throw badInput(`This grouping makes more than ${cap} groups: group by fewer or coarser dimensions, filter, or raise maxGroups (at most ${MAX_GROUPS})`, { maxGroups: cap });
  // Each row is in exactly one group, so the total adds the groups up (no second pass over the table); a
  // MULTI_ENUM grouping counts a row once per option, so its total is read on its own.
  const [total] = !dimensions.length
    ? rows
    : dimensions.some((d) => d.multiplies)
      ? await ctx.db.$queryRaw<GroupRow[]>`SELECT NULL AS k0, NULL AS k1, NULL AS k2, ${OUTER_METRICS} FROM (SELECT ${computed} FROM ${from} WHERE ${where}) g`
      : [totalOf(rows)];
  const shows = await Promise.all(dimensions.map((d, i) => (d.show ? d.show(rows.map((row) => [row.k0, row.k1, row.k2][i] ?? null)) : null)));
  const keysOf = (row: GroupRow): AggregateKey[] =>
    dimensions.map((d, i) => {
      const raw = [row.k0, row.k1, row.k2][i] ?? null;
      const shown = shows[i]?.(raw) ?? { value: raw, label: null };
      return { dimension: d.name, ...shown };
    });
  return { groups: rows.map((row) => ({ row, keys: keysOf(row) })), total: total! };
}

const asText = (key: Prisma.Sql) => Prisma.sql`${key}::text`;

/**
 * The groups added up: counts and sums add, minima and maxima compare, the average is the sum over the measured
 * rows; a metric no group holds (none measured, or not asked) stays null.
 */
function totalOf(rows: GroupRow[]): GroupRow {
  const values = (pick: (row: GroupRow) => string | null) => rows.flatMap((row) => (pick(row) === null ? [] : [new Prisma.Decimal(pick(row)!)]));
  const sums = values((row) => row.sum);
  const minima = values((row) => row.min);
  const maxima = values((row) => row.max);
  const sum = sums.reduce((a, b) => a.plus(b), new Prisma.Decimal(0));
  const measured = rows.reduce((n, row) => n + row.measured, 0);
  return {
    k0: null,
    k1: null,
    k2: null,
    count: rows.reduce((n, row) => n + row.count, 0),
    measured,
    sum: sums.length ? sum.toString() : null,
    average: measured ? sum.div(measured).toString() : null,
    min: minima.length ? Prisma.Decimal.min(...minima).toString() : null,
    max: maxima.length ? Prisma.Decimal.max(...maxima).toString() : null,
  };
}

const money = (value: string | null) => (value === null ? null : new Prisma.Decimal(value));

const moneyGroup = (row: GroupRow, keys: AggregateKey[]): MoneyAggregateGroup => ({
  keys,
  count: row.count,
  sum: money(row.sum) ?? new Prisma.Decimal(0),
  average: money(row.average),
  min: money(row.min),
  max: money(row.max),
});

const globalIds = (typeName: string, names: Map<string, string>) => async () => (value: string | null) =>
  value === null ? { value: null, label: null } : { value: toGlobalId(typeName, value), label: names.get(value) ?? null };

/** Users named by their global id (the owner of a deal, the rep of a visit). */
const userDimension = (ctx: AuthedContext, name: string, value: Prisma.Sql): Dimension => ({
  name,
  value,
  joins: [],
  show: async (values) => {
    const ids = [...new Set(values.filter((id): id is string => id !== null))];
    // the users' loader, as the lists' owner and rep fields read them
    const users = await Promise.all(ids.map((id) => loadUser(ctx, id)));
    return globalIds("User", new Map(users.flatMap((user) => (user ? [[user.id, user.name] as const] : []))))();
  },
});

/**
 * The fact's organisation, when the viewer may read it: a left join, since a visit of a pending request has no
 * organisation yet, and an order may be of one the viewer no longer reads — both fall in the "no value" group,
 * as their lists show no organisation.
 */
const organisationJoin = (ctx: AuthedContext, alias: string) =>
  Prisma.sql`LEFT JOIN "Organisation" org ON org."id" = ${Prisma.raw(`${alias}."organisationId"`)} AND ${ctx.scope.sql.organisations("org")}`;

/** The organisation's segment, category or region, for a fact of table alias `alias` (joined as org). */
const ORGANISATION_COLUMNS = { ORGANISATION_SEGMENT: `"segment"`, ORGANISATION_CATEGORY: `"category"`, ORGANISATION_REGION: `"region"` } as const;
const organisationDimension = (ctx: AuthedContext, name: keyof typeof ORGANISATION_COLUMNS, alias: string): Dimension => ({
  name,
  value: Prisma.raw(`org.${ORGANISATION_COLUMNS[name]}`),
  joins: [organisationJoin(ctx, alias)],
});

/** A custom field of the fact's organisation (joined as org), as the reader may read organisations' fields. */
async function organisationCustomDimension(ctx: AuthedContext, key: string | null | undefined, alias: string, index: number): Promise<Dimension> {
  const group = await customFieldGroup(ctx, CustomFieldEntity.ORGANISATION, key, "org", `cf${index}`);
  return { name: `organisation.customField.${key}`, value: group.value, joins: [organisationJoin(ctx, alias), group.join], multiplies: group.multiplies };
}

/** A month (YYYY-MM) or quarter (YYYY-Qn) of a date or timestamp column (as a timestamp: no time zone to apply). */
const periodDimension = (name: string, column: string, period: "month" | "quarter"): Dimension => ({
  name,
  value: Prisma.raw(`date_trunc('${period}', ${column}::timestamp)`),
  text: (key) => Prisma.sql`to_char(${key}, ${Prisma.raw(period === "month" ? `'YYYY-MM'` : `'YYYY-"Q"Q'`)})`,
  joins: [],
});

async function opportunityDimension(ctx: AuthedContext, groupBy: OpportunityGroupBy, index: number): Promise<Dimension> {
  const name = groupBy.dimension;
  switch (groupBy.dimension) {
    case OpportunityDimension.STAGE:
      return {
        name,
        value: Prisma.sql`op."stageId"`,
        joins: [],
        show: async () => globalIds("PipelineStage", new Map((await listStages(ctx)).map((stage) => [stage.id, stage.name])))(),
      };
    case OpportunityDimension.OWNER:
      return userDimension(ctx, name, Prisma.sql`op."ownerId"`);
    case OpportunityDimension.STATUS:
      return { name, value: Prisma.sql`op."status"`, joins: [] };
    case OpportunityDimension.ORGANISATION_SEGMENT:
    case OpportunityDimension.ORGANISATION_CATEGORY:
    case OpportunityDimension.ORGANISATION_REGION:
      return organisationDimension(ctx, groupBy.dimension, "op");
    case OpportunityDimension.EXPECTED_CLOSE_MONTH:
      return periodDimension(name, `op."expectedCloseDate"`, "month");
    case OpportunityDimension.EXPECTED_CLOSE_QUARTER:
      return periodDimension(name, `op."expectedCloseDate"`, "quarter");
    case OpportunityDimension.CREATED_MONTH:
      return periodDimension(name, `op."createdAt"`, "month");
    case OpportunityDimension.CREATED_QUARTER:
      return periodDimension(name, `op."createdAt"`, "quarter");
    case OpportunityDimension.CUSTOM_FIELD:
      return customDimension(ctx, CustomFieldEntity.OPPORTUNITY, groupBy.customField, "op", index);
    case OpportunityDimension.ORGANISATION_CUSTOM_FIELD:
      return organisationCustomDimension(ctx, groupBy.customField, "op", index);
  }
}

async function customDimension(ctx: AuthedContext, entity: CustomFieldEntity, key: string | null | undefined, alias: string, index: number): Promise<Dimension> {
  const group = await customFieldGroup(ctx, entity, key, alias, `cf${index}`);
  return { name: `customField.${key}`, value: group.value, joins: [group.join], multiplies: group.multiplies };
}

export async function opportunityAggregates(
  ctx: AuthedContext,
  request: AggregateRequest<OpportunityFilter, OpportunityGroupBy>,
  measure: OpportunityMeasure,
): Promise<OpportunityAggregates> {
  const result = await aggregate(ctx, request, {
    from: Prisma.sql`"Opportunity" op`,
    where: Prisma.sql`${ctx.scope.sql.opportunities("op")} AND ${toSql(await opportunityFilterCondition(ctx, request.filter), "op")}`,
    measure: measure === OpportunityMeasure.WEIGHTED_AMOUNT ? weightedAmountSql("op") : Prisma.sql`op."amount"`,
    dimension: opportunityDimension,
  });
  return { groups: result.groups.map(({ row, keys }) => moneyGroup(row, keys)), total: moneyGroup(result.total, []) };
}

async function organisationGroup(ctx: AuthedContext, groupBy: OrganisationGroupBy, index: number): Promise<Dimension> {
  const name = groupBy.dimension;
  switch (groupBy.dimension) {
    case OrganisationDimension.SEGMENT:
      return { name, value: Prisma.sql`o."segment"`, joins: [] };
    case OrganisationDimension.CATEGORY:
      return { name, value: Prisma.sql`o."category"`, joins: [] };
    case OrganisationDimension.REGION:
      return { name, value: Prisma.sql`o."region"`, joins: [] };
    case OrganisationDimension.STATUS:
      return { name, value: Prisma.sql`o."status"`, joins: [] };
    case OrganisationDimension.CUSTOM_FIELD:
      return customDimension(ctx, CustomFieldEntity.ORGANISATION, groupBy.customField, "o", index);
  }
}

export async function organisationAggregates(ctx: AuthedContext, request: AggregateRequest<OrganisationFilter, OrganisationGroupBy>): Promise<OrganisationAggregates> {
  const result = await aggregate(ctx, request, {
    from: Prisma.sql`"Organisation" o`,
    where: Prisma.sql`${ctx.scope.sql.organisations("o")} AND ${toSql(await organisationFilterCondition(ctx, request.filter), "o")}`,
    measure: null,
    dimension: organisationGroup,
  });
  return { groups: result.groups.map(({ row, keys }) => ({ keys, count: row.count })), total: { keys: [], count: result.total.count } };
}

async function visitDimension(ctx: AuthedContext, groupBy: VisitGroupBy, index: number): Promise<Dimension> {
  const name = groupBy.dimension;
  switch (groupBy.dimension) {
    case VisitDimension.REP:
      return userDimension(ctx, name, Prisma.sql`v."repId"`);
    case VisitDimension.STATUS:
      return { name, value: Prisma.sql`v."status"`, joins: [] };
    case VisitDimension.CHANNEL:
      return { name, value: Prisma.sql`v."channel"`, joins: [] };
    case VisitDimension.ORGANISATION_SEGMENT:
    case VisitDimension.ORGANISATION_CATEGORY:
    case VisitDimension.ORGANISATION_REGION:
      return organisationDimension(ctx, groupBy.dimension, "v");
    case VisitDimension.PLANNED_MONTH:
      return periodDimension(name, `v."plannedAt"`, "month");
    case VisitDimension.PLANNED_QUARTER:
      return periodDimension(name, `v."plannedAt"`, "quarter");
    case VisitDimension.CUSTOM_FIELD:
      return customDimension(ctx, CustomFieldEntity.VISIT, groupBy.customField, "v", index);
    case VisitDimension.ORGANISATION_CUSTOM_FIELD:
      return organisationCustomDimension(ctx, groupBy.customField, "v", index);
  }
}

const minutes = (value: string | null) => (value === null ? null : Number(value));

const durationGroup = (row: GroupRow, keys: AggregateKey[]): VisitAggregateGroup => ({
  keys,
  count: row.count,
  totalDuration: minutes(row.sum) ?? 0,
  averageDuration: minutes(row.average),
  minDuration: minutes(row.min),
  maxDuration: minutes(row.max),
});

export async function visitAggregates(ctx: AuthedContext, request: AggregateRequest<VisitFilter, VisitGroupBy>): Promise<VisitAggregates> {
  const result = await aggregate(ctx, request, {
    from: Prisma.sql`"Visit" v`,
    where: Prisma.sql`${ctx.scope.sql.visits("v")} AND ${toSql(await visitFilterCondition(ctx, request.filter), "v")}`,
    measure: Prisma.sql`v."durationMinutes"`,
    dimension: visitDimension,
  });
  return { groups: result.groups.map(({ row, keys }) => durationGroup(row, keys)), total: durationGroup(result.total, []) };
}

async function orderDimension(ctx: AuthedContext, groupBy: OrderGroupBy, index: number): Promise<Dimension> {
  const name = groupBy.dimension;
  switch (groupBy.dimension) {
    case OrderDimension.CREDITED_REP:
      return userDimension(ctx, name, Prisma.sql`od."repId"`);
    case OrderDimension.DELIVERED:
      return { name, value: Prisma.sql`(od."deliveredAt" IS NOT NULL)::text`, joins: [] };
    case OrderDimension.ORGANISATION_SEGMENT:
    case OrderDimension.ORGANISATION_CATEGORY:
    case OrderDimension.ORGANISATION_REGION:
      return organisationDimension(ctx, groupBy.dimension, "od");
    case OrderDimension.ORDERED_MONTH:
      return periodDimension(name, `od."orderedAt"`, "month");
    case OrderDimension.ORDERED_QUARTER:
      return periodDimension(name, `od."orderedAt"`, "quarter");
    case OrderDimension.ORGANISATION_CUSTOM_FIELD:
      return organisationCustomDimension(ctx, groupBy.customField, "od", index);
  }
}

export async function orderAggregates(ctx: AuthedContext, request: AggregateRequest<OrderFilter, OrderGroupBy>): Promise<OrderAggregates> {
  const result = await aggregate(ctx, request, {
    from: Prisma.sql`"Order" od`,
    where: Prisma.sql`${ctx.scope.sql.orders("od")} AND ${toSql(erpDocumentFilterCondition("orderedAt", request.filter), "od")}`,
    measure: Prisma.sql`od."amount"`,
    dimension: orderDimension,
  });
  return { groups: result.groups.map(({ row, keys }) => moneyGroup(row, keys)), total: moneyGroup(result.total, []) };
}
