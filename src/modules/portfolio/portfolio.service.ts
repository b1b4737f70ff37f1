// Portfolio steering (SPEC §1.3): selecting a rep's organisations by category and segment, the planned
// allocation of visits, and the portfolio value by month — computed from the assignment history (who was
// in charge at each month end), never from today's portfolio.
import { NOT_BINNED } from "../../auth/scope/entities.js";
import { z } from "zod";
import { assignmentInForce, organisationScope } from "../../auth/row-scope.js";
import { inForce, toSqlText } from "../../auth/scope/condition.js";
import { Prisma } from "../../db/generated/client.js";
import type { PortfolioCategory, Segment } from "../../db/generated/enums.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { expectGlobalId, lazyConnection, type PageArgs, pageWindow, readPage } from "../../graphql/relay.js";
import { validate } from "../../graphql/validation.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import type { PortfolioMonth, SetPlannedVisitsInput } from "./portfolio.type.js";

const { Decimal } = Prisma;

/** The rep a viewer asks about: themselves by default for a rep; out of reach is reported as missing. */
function repInReach(ctx: AuthedContext, repGlobalId: string | null | undefined): readonly string[] | "all" {
  const reps = ctx.scope.repIds;
  if (!repGlobalId) return reps;
  const repId = expectGlobalId(repGlobalId, "User");
  if (reps !== "all" && !reps.includes(repId)) throw notFound("User");
  return [repId];
}

export function portfolio(
  ctx: AuthedContext,
  args: { repId?: string | null; category?: PortfolioCategory[] | null; segment?: Segment[] | null },
  pageArgs: PageArgs,
) {
  const page = readPage(pageArgs);
  const reps = repInReach(ctx, args.repId);
  const and: Prisma.OrganisationWhereInput[] = [
    organisationScope(ctx.viewer, ctx.today),
    { assignments: { some: { ...assignmentInForce(ctx.today), ...(reps === "all" ? {} : { repId: { in: [...reps] } }) } } },
  ];
  if (args.category?.length) and.push({ category: { in: args.category } });
  if (args.segment?.length) and.push({ segment: { in: args.segment } });
  const where = { AND: and };
  return lazyConnection(
    () =>
      ctx.db.organisation.findMany({
        where,
        orderBy: [{ name: "asc" }, { id: "asc" }],
        ...pageWindow(page),
      }),
    page,
    () => ctx.db.organisation.count({ where }),
  );
}

const PlannedVisits = z.object({ plannedVisitsPerYear: z.number().int().min(0).max(365).nullable() });

/** Managers for their team's portfolio, head office for any organisation (shield keeps the others out). */
export async function setPlannedVisits(ctx: AuthedContext, input: SetPlannedVisitsInput) {
  const { plannedVisitsPerYear } = validate(PlannedVisits, { plannedVisitsPerYear: input.plannedVisitsPerYear });
  const id = expectGlobalId(input.organisationId, "Organisation");
  return ctx.db.$transaction(async (tx) => ({
    organisation: await applyVersionedChange(tx, ctx.viewer, {
      entity: "Organisation",
      action: "setPlannedVisits",
      version: input.version ?? null,
      find: (db) => db.organisation.findFirst({ where: { id, ...organisationScope(ctx.viewer, ctx.today) } }),
      table: (db) => db.organisation,
      change: () => ({ plannedVisitsPerYear }),
    }),
  }));
}

const MAX_MONTHS = 60;

/**
 * Per month from `from` to `to`: the organisations in the rep's charge at the month end (assignment history),
 * their invoices over the 12 months up to that month end, and the weighted value of the opportunities that
 * were open at that month end (created on or before it, not closed by then). One set-based query.
 */
export async function portfolioValue(ctx: AuthedContext, repGlobalId: string, from: Date, to: Date): Promise<PortfolioMonth[]> {
  const [repId] = repInReach(ctx, repGlobalId) as readonly string[];
  if (to < from) throw badInput("to is before from", { fields: [{ field: "to" }] });
  const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth() + 1;
  if (months > MAX_MONTHS) throw badInput(`at most ${MAX_MONTHS} months`, { fields: [{ field: "to" }] });
  const rows = await ctx.db.$queryRawUnsafe<{ month: Date; organisations: number; revenue: string; pipeline: string }[]>(
    `WITH months AS (
       SELECT m::date AS month, (m + interval '1 month' - interval '1 day')::date AS month_end
         FROM generate_series(date_trunc('month', $2::date), date_trunc('month', $3::date), interval '1 month') m
     ), charge AS (
       SELECT DISTINCT ms.month, ms.month_end, a."organisationId" AS org
         FROM months ms JOIN "OrganisationAssignment" a
           ON a."repId" = $1::uuid AND ${toSqlText(inForce(Prisma.raw("ms.month_end")), "a")}
     )
     SELECT ms.month,
            count(DISTINCT c.org)::int AS organisations,
            coalesce((SELECT sum(i.amount) FROM charge c2 JOIN "Invoice" i ON i."organisationId" = c2.org
                       WHERE c2.month = ms.month AND i."invoicedAt" > ms.month_end - interval '12 months' AND i."invoicedAt" <= ms.month_end), 0)::text AS revenue,
            coalesce((SELECT sum(o.amount * o.probability / 100) FROM charge c3 JOIN "Opportunity" o ON o."organisationId" = c3.org
                       WHERE c3.month = ms.month AND ${toSqlText(NOT_BINNED, "o")} AND o."createdAt" < ms.month_end + 1
                         AND (o.status = 'OPEN' OR o."closedAt" >= ms.month_end + 1)), 0)::text AS pipeline
       FROM months ms LEFT JOIN charge c ON c.month = ms.month
      GROUP BY ms.month, ms.month_end ORDER BY ms.month`,
    repId,
    from.toISOString().slice(0, 10),
    to.toISOString().slice(0, 10),
  );
  return rows.map((row) => {
    const trailingRevenue = new Decimal(row.revenue).toDecimalPlaces(2);
    const openWeightedPipeline = new Decimal(row.pipeline).toDecimalPlaces(2);
    return {
      month: new Date(row.month),
      organisationCount: row.organisations,
      trailingRevenue,
      openWeightedPipeline,
      value: trailingRevenue.plus(openWeightedPipeline),
    };
  });
}
