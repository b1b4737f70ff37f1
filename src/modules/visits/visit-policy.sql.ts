// The one definition of the visit rhythm of an organisation, used by the visit plan, the organisation
// dashboard (overdue organisations) and field dynamics (effort against the allocation):
// - which visit policy applies: the most specific one first (segment and category, then segment only, then
//   category only, then a policy with neither), ties broken by the shortest interval, then by id;
// - the last visit: the latest DONE visit planned on or before the day;
// - when the next visit is due: the last visit + 365 / the organisation's own planned visits per year (when
//   set), else + the policy's interval; never visited: due on the day; neither a plan nor a policy: never due;
// - overdue: due, and never visited or due before the day.
import { notBinned } from "../../auth/row-scope.js";
import { Prisma } from "../../db/generated/client.js";

/**
 * A subquery giving `"id"`, `"name"` and `"intervalMonths"` of the policy that applies to an organisation of
 * this segment and category (SQL expressions). Use with `LEFT JOIN LATERAL (…) alias ON TRUE` to keep
 * organisations no policy matches, `JOIN LATERAL` to drop them.
 */
export function matchingPolicy(segment: Prisma.Sql, category: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT p."id", p."name", p."intervalMonths" FROM "VisitPolicy" p
    WHERE (p."segment" IS NULL OR p."segment" = ${segment}) AND (p."category" IS NULL OR p."category" = ${category})
    ORDER BY (p."segment" IS NOT NULL AND p."category" IS NOT NULL) DESC, (p."segment" IS NOT NULL) DESC, (p."category" IS NOT NULL) DESC,
      p."intervalMonths", p."id"
    LIMIT 1`;
}

/** The policy of the organisation aliased `org` (trusted identifier). */
export const policyOf = (org: string): Prisma.Sql => matchingPolicy(Prisma.raw(`${org}."segment"`), Prisma.raw(`${org}."category"`));

/** Visits of alias `v` that count as "last visit" on `day`: done, planned on or before the day, not deleted. */
export const doneBy = (v: string, day: Prisma.Sql): Prisma.Sql => Prisma.sql`${notBinned(v)} AND ${Prisma.raw(`${v}."status"`)} = 'DONE' AND ${Prisma.raw(`${v}."plannedAt"`)} < ${day} + 1`;

export interface RhythmInputs {
  /** the organisation's own planned visits per year (NULL or ≤ 0: none) */
  plannedPerYear: Prisma.Sql;
  /** the applying policy's interval in months (NULL: no policy) */
  intervalMonths: Prisma.Sql;
  /** the last visit (NULL: never visited) */
  lastVisitAt: Prisma.Sql;
  /** the day (a date) */
  day: Prisma.Sql;
}

/** The date the next visit is due (NULL: never due). */
export function nextVisitDue({ plannedPerYear, intervalMonths, lastVisitAt, day }: RhythmInputs): Prisma.Sql {
  return Prisma.sql`(CASE
      WHEN COALESCE(${plannedPerYear}, 0) <= 0 AND ${intervalMonths} IS NULL THEN NULL
      WHEN ${lastVisitAt} IS NULL THEN ${day}
      WHEN ${plannedPerYear} > 0 THEN ${lastVisitAt}::date + (365 / ${plannedPerYear})::int
      ELSE (${lastVisitAt} + make_interval(months => ${intervalMonths}))::date
    END)`;
}

/** Whether the organisation is overdue on the day (never visited counts: no visit meets its rhythm). */
export function overdueOn(inputs: RhythmInputs): Prisma.Sql {
  const due = nextVisitDue(inputs);
  return Prisma.sql`COALESCE(${due} IS NOT NULL AND (${inputs.lastVisitAt} IS NULL OR ${due} < ${inputs.day}), FALSE)`;
}

/** Planned visits per year: the organisation's own figure, else 12 / the policy's interval (NULL: neither). */
export const plannedVisitsPerYear = (plannedPerYear: Prisma.Sql, intervalMonths: Prisma.Sql): Prisma.Sql =>
  Prisma.sql`COALESCE(NULLIF(${plannedPerYear}, 0)::float, 12.0 / NULLIF(${intervalMonths}, 0))`;
