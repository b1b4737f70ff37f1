// Data health (SPEC §5.3): completeness and quality of the referential of a scope, customers going quiet.
// Formulas: docs/dashboards.md.
import { notBinned } from "../../auth/row-scope.js";
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { isWholeCompany, portfolioOn, type ResolvedScope } from "./dashboard.credit.js";
import type { DateRange } from "./period.js";
import { ratio } from "./figures.js";

export const DEFAULT_ORDER_CYCLE_DAYS = 90;
const FRESH_DAYS = 365;

interface ContactRow { total: number; complete: number; fresh: number; withEmail: number; validEmail: number; withPhone: number; validPhone: number; left: number; all: number }
interface OrganisationRow { organisations: number; duplicates: number; newProspects: number }
interface QuietRow { customers: number; inactive: number; lost: number }
interface RequestRow { pending: number; averageAgeDays: number | null; oldestAgeDays: number | null }

/**
 * Contacts of the scope; e-mail and phone validity are generated columns (the rule of the contact hygiene
 * checks). The company's contacts are all contacts: a merge moves the merged organisation's contacts to the
 * one that stays, and contacts are only created on live organisations, so no join is needed there.
 */
async function contactFigures(ctx: AuthedContext, scope: ResolvedScope) {
  const inScope = isWholeCompany(scope)
    ? Prisma.sql`WHERE ${notBinned("c")}`
    : Prisma.sql`JOIN "Organisation" org ON org."id" = c."organisationId" WHERE ${notBinned("c")} AND ${portfolioOn(scope, "org", ctx.today)}`;
  const [row] = await ctx.db.$queryRaw<ContactRow[]>`
    SELECT COUNT(*) FILTER (WHERE c."leftCompanyAt" IS NULL)::int AS total,
      COUNT(*) FILTER (WHERE c."leftCompanyAt" IS NULL AND c."email" IS NOT NULL AND c."phone" IS NOT NULL AND c."jobTitle" IS NOT NULL AND cardinality(c."roles") > 0)::int AS complete,
      COUNT(*) FILTER (WHERE c."leftCompanyAt" IS NULL AND c."lastVerifiedAt" >= ${ctx.today}::date - ${FRESH_DAYS}::int)::int AS fresh,
      COUNT(*) FILTER (WHERE c."leftCompanyAt" IS NULL AND c."email" IS NOT NULL)::int AS "withEmail",
      COUNT(*) FILTER (WHERE c."leftCompanyAt" IS NULL AND c."emailValid")::int AS "validEmail",
      COUNT(*) FILTER (WHERE c."leftCompanyAt" IS NULL AND c."phone" IS NOT NULL)::int AS "withPhone",
      COUNT(*) FILTER (WHERE c."leftCompanyAt" IS NULL AND c."phoneValid")::int AS "validPhone",
      COUNT(*) FILTER (WHERE c."leftCompanyAt" IS NOT NULL)::int AS left,
      COUNT(*)::int AS all
    FROM "Contact" c ${inScope}`;
  return row!;
}

/**
 * Suspected duplicates: live organisations sharing a legal id or a folded name with another live one, i.e.
 * whose key belongs to a group of two or more live organisations. (Merged organisations are in no data-health
 * scope: merges move their assignments and memberships to the organisation that stays.) Only the groups of
 * two or more are kept for the join: a handful of thousands, not the 90 000 distinct legal ids.
 */
async function organisationFigures(ctx: AuthedContext, scope: ResolvedScope, range: DateRange) {
  const [row] = await ctx.db.$queryRaw<OrganisationRow[]>`
    WITH legal AS (
      SELECT "legalId" AS k FROM "Organisation" WHERE "mergedIntoId" IS NULL AND "legalId" IS NOT NULL GROUP BY 1 HAVING COUNT(*) > 1
    ), names AS (
      SELECT "searchName" AS k FROM "Organisation" WHERE "mergedIntoId" IS NULL AND "searchName" <> '' GROUP BY 1 HAVING COUNT(*) > 1
    )
    SELECT COUNT(*)::int AS organisations,
      COUNT(*) FILTER (WHERE l.k IS NOT NULL OR nm.k IS NOT NULL)::int AS duplicates,
      COUNT(*) FILTER (WHERE org."status" = 'PROSPECT' AND org."createdAt" >= ${range.start} AND org."createdAt" < ${range.end})::int AS "newProspects"
    FROM "Organisation" org
    LEFT JOIN legal l ON l.k = org."legalId"
    LEFT JOIN names nm ON nm.k = org."searchName"
    WHERE org."mergedIntoId" IS NULL AND ${portfolioOn(scope, "org", ctx.today)}`;
  return row!;
}

/**
 * Customers going quiet: a client's ordering cycle is the median number of days between its orders
 * (at least 3 orders), else `defaultCycleDays`. Inactive: no order for more than one cycle; lost: two.
 * Each client's last order and median interval are kept by the imports (src/modules/orders/ordering-cycle.ts).
 */
async function quietCustomers(ctx: AuthedContext, scope: ResolvedScope, defaultCycleDays: number) {
  const [row] = await ctx.db.$queryRaw<QuietRow[]>`
    WITH status AS (
      SELECT ${ctx.today}::date - oc."lastOrderedAt" AS silence,
             CASE WHEN oc."intervals" >= 2 THEN oc."medianIntervalDays" ELSE ${defaultCycleDays}::float END AS cycle
      FROM "Organisation" org LEFT JOIN "OrderingCycle" oc ON oc."organisationId" = org."id"
      WHERE org."status" = 'CLIENT' AND ${portfolioOn(scope, "org", ctx.today)}
    )
    SELECT COUNT(*)::int AS customers,
      COUNT(*) FILTER (WHERE silence IS NOT NULL AND silence > cycle AND silence <= 2 * cycle)::int AS inactive,
      COUNT(*) FILTER (WHERE silence IS NULL OR silence > 2 * cycle)::int AS lost
    FROM status`;
  return row!;
}

async function pendingRequests(ctx: AuthedContext, scope: ResolvedScope) {
  const who = scope.repIds === null ? Prisma.sql`TRUE` : Prisma.sql`r."requestedById" = ANY(${scope.repIds}::uuid[])`;
  const [row] = await ctx.db.$queryRaw<RequestRow[]>`
    SELECT COUNT(*)::int AS pending,
      AVG(EXTRACT(EPOCH FROM (${ctx.now}::timestamp - r."createdAt")) / 86400)::float AS "averageAgeDays",
      MAX(EXTRACT(EPOCH FROM (${ctx.now}::timestamp - r."createdAt")) / 86400)::float AS "oldestAgeDays"
    FROM "OrganisationRequest" r WHERE r."status" = 'PENDING' AND ${who}`;
  return row!;
}

export async function dataHealthDashboard(ctx: AuthedContext, scope: ResolvedScope, range: DateRange, defaultCycleDays = DEFAULT_ORDER_CYCLE_DAYS) {
  const [contacts, organisations, quiet, requests] = await Promise.all([
    contactFigures(ctx, scope),
    organisationFigures(ctx, scope, range),
    quietCustomers(ctx, scope, defaultCycleDays),
    pendingRequests(ctx, scope),
  ]);
  const completeness = ratio(contacts.complete, contacts.total);
  const freshness = ratio(contacts.fresh, contacts.total);
  const uniqueness = ratio(organisations.organisations - organisations.duplicates, organisations.organisations);
  const emailValidity = ratio(contacts.validEmail, contacts.withEmail);
  const phoneValidity = ratio(contacts.validPhone, contacts.withPhone);
  const current = ratio(contacts.total, contacts.all);
  const components = [completeness, freshness, uniqueness, emailValidity, phoneValidity, current];
  const known = components.filter((c) => c.value !== null);
  return {
    contactCompleteness: completeness,
    qualityIndex: known.length ? Math.round((known.reduce((sum, c) => sum + c.value!, 0) / known.length) * 1000) / 10 : null,
    verificationFreshness: freshness,
    organisationUniqueness: uniqueness,
    suspectedDuplicates: organisations.duplicates,
    emailValidity,
    invalidEmails: contacts.withEmail - contacts.validEmail,
    phoneValidity,
    invalidPhones: contacts.withPhone - contacts.validPhone,
    contactsWhoLeft: contacts.left,
    currentContacts: current,
    newProspects: organisations.newProspects,
    customers: quiet.customers,
    inactiveCustomers: quiet.inactive,
    lostCustomers: quiet.lost,
    defaultOrderCycleDays: defaultCycleDays,
    pendingRequests: requests.pending,
    pendingRequestAverageAgeDays: requests.averageAgeDays,
    pendingRequestOldestAgeDays: requests.oldestAgeDays,
  };
}
