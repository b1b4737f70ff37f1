// The one definition of "which visit policy applies to an organisation": the most specific policy first
// (segment and category, then segment only, then category only, then a policy with neither), ties broken
// by the shortest interval. Dashboards, the visit plan and the late lists all join this fragment.
import { Prisma } from "../../db/generated/client.js";

/**
 * A LATERAL subquery giving `<as>."id"`, `<as>."name"` and `<as>."intervalMonths"` of the policy that applies
 * to the organisation aliased `org` (trusted identifiers only). Use with `LEFT JOIN LATERAL (…) alias ON TRUE`
 * to keep organisations no policy matches, `JOIN LATERAL` to drop them.
 */
export function matchingPolicy(org: string): Prisma.Sql {
  const segment = Prisma.raw(`${org}."segment"`);
  const category = Prisma.raw(`${org}."category"`);
  return Prisma.sql`SELECT p."id", p."name", p."intervalMonths" FROM "VisitPolicy" p
    WHERE (p."segment" IS NULL OR p."segment" = ${segment}) AND (p."category" IS NULL OR p."category" = ${category})
    ORDER BY (p."segment" IS NOT NULL AND p."category" IS NOT NULL) DESC, (p."segment" IS NOT NULL) DESC, (p."category" IS NOT NULL) DESC,
      p."intervalMonths", p."id"
    LIMIT 1`;
}
