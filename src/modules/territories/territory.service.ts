// Territories: who may read and change them, the effective-dated changes (rules, exceptions, holders),
// each followed in the same transaction by the recomputation of what it touches, and the coverage of a date.
import DataLoader from "dataloader";
import { z } from "zod";
import { assignmentInForce, organisationScope } from "../../auth/row-scope.js";
import type { UserViewer, Viewer } from "../../auth/viewer.js";
import { Prisma } from "../../db/generated/client.js";
import { inForce, notEndedBy, toSqlText, toWhere } from "../../auth/scope/condition.js";
import { groupByKey, indexByKey, type AuthedContext, type RequestContext } from "../../graphql/context.js";
import { badInput, forbidden, notFound } from "../../errors/api-errors.js";
import { expectGlobalId, lazyConnection, type PageArgs, pageWindow, readPage } from "../../graphql/relay.js";
import { validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { recomputeTerritoriesInTx, type RecomputeResult, type RecomputeScope } from "./territory.materialise.js";
import type {
  AddTerritoryRuleInput,
  AssignmentRow,
  AssignTerritoryInput,
  CreateTerritoryInput,
  EndTerritoryRuleInput,
  ExceptionRow,
  HolderRow,
  RuleRow,
  SetTerritoryExceptionInput,
  TerritoryCoverage,
  TerritoryRow,
} from "./territory.type.js";

type Tx = Prisma.TransactionClient;
const NO_ID = "00000000-0000-0000-0000-000000000000";
/** Changes run a recomputation: give the transaction room (a territory may hold thousands of organisations). */
const CHANGE_TX = { timeout: 120_000, maxWait: 10_000 };

/** Territories a viewer may read: head office and stewards all, managers their team's, reps those they hold. */
export function territoryScope(viewer: Viewer, day: Date): Prisma.TerritoryWhereInput {
  switch (viewer.kind) {
    case "HEAD_OFFICE":
    case "DATA_STEWARD":
      return {};
    case "MANAGER":
      return { teamId: viewer.teamId ?? NO_ID };
    case "REP":
      return { holders: { some: { repId: viewer.userId, ...assignmentInForce(day) } } };
    case "PARTNER":
      return { id: { in: [...viewer.restrictTerritoryIds] } };
    case "SERVICE":
      return { id: { in: [] } };
  }
}

/** Territories a viewer may change: head office any, managers their team's (shield lets only those two in). */
function changeableTerritories(viewer: Viewer): Prisma.TerritoryWhereInput {
  if (viewer.kind === "HEAD_OFFICE") return {};
  if (viewer.kind === "MANAGER") return { teamId: viewer.teamId ?? NO_ID };
  return { id: { in: [] } };
}

export function listTerritories(ctx: AuthedContext, pageArgs: PageArgs) {
  const page = readPage(pageArgs);
  const where = territoryScope(ctx.viewer, ctx.today);
  return lazyConnection(
    () =>
      ctx.db.territory.findMany({
        where,
        orderBy: [{ name: "asc" }, { id: "asc" }],
        ...pageWindow(page),
      }),
    page,
    () => ctx.db.territory.count({ where }),
  );
}

export async function getTerritory(ctx: AuthedContext, globalId: string) {
  const territory = await ctx.db.territory.findFirst({
    where: { id: expectGlobalId(globalId, "Territory"), ...territoryScope(ctx.viewer, ctx.today) },
  });
  if (!territory) throw notFound("Territory");
  return territory;
}

/** Territories by id, unscoped: for showing the restriction of a token its viewer may already see. */
export async function loadTerritories(ctx: RequestContext, ids: string[]) {
  const rows = await ctx.loaders.get(territoryById).loadMany(ids);
  return rows.filter((row): row is TerritoryRow => row !== null && !(row instanceof Error));
}

export const territoryById = (ctx: RequestContext) =>
  new DataLoader<string, TerritoryRow | null, string>(async (ids) => {
    const rows = await ctx.db.territory.findMany({ where: { id: { in: [...ids] } } });
    return indexByKey(ids, rows, (row) => row.id);
  });

export const loadTerritory = (ctx: RequestContext, id: string | null) => (id ? ctx.loaders.get(territoryById).load(id) : null);

const rulesByTerritory = (ctx: RequestContext) =>
  new DataLoader<string, RuleRow[], string>(async (ids) => {
    const rows = await ctx.db.territoryRule.findMany({ where: { territoryId: { in: [...ids] } }, orderBy: [{ validFrom: "asc" }, { id: "asc" }] });
    return groupByKey(ids, rows, (row) => row.territoryId);
  });
const holdersByTerritory = (ctx: RequestContext) =>
  new DataLoader<string, HolderRow[], string>(async (ids) => {
    const rows = await ctx.db.territoryAssignment.findMany({ where: { territoryId: { in: [...ids] } }, orderBy: [{ validFrom: "asc" }, { id: "asc" }] });
    return groupByKey(ids, rows, (row) => row.territoryId);
  });
const exceptionsByTerritory = (ctx: RequestContext) =>
  new DataLoader<string, ExceptionRow[], string>(async (ids) => {
    const rows = await ctx.db.territoryException.findMany({ where: { territoryId: { in: [...ids] } }, orderBy: [{ validFrom: "asc" }, { id: "asc" }] });
    return groupByKey(ids, rows, (row) => row.territoryId);
  });

export const territoryRules = (ctx: RequestContext, territoryId: string) => ctx.loaders.get(rulesByTerritory).load(territoryId);
export const territoryHolders = (ctx: RequestContext, territoryId: string) => ctx.loaders.get(holdersByTerritory).load(territoryId);
export const territoryExceptions = (ctx: RequestContext, territoryId: string) => ctx.loaders.get(exceptionsByTerritory).load(territoryId);

/** Organisations a territory matches on `day`, inside what the viewer may see. */
export function territoryMembers(ctx: AuthedContext, territoryId: string, day: Date | null | undefined, pageArgs: PageArgs) {
  const page = readPage(pageArgs);
  const where: Prisma.OrganisationWhereInput = {
    AND: [organisationScope(ctx.viewer, ctx.today), { territoryMemberships: { some: { territoryId, ...assignmentInForce(day ?? ctx.today) } } }],
  };
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

/** Who was (or will be) in charge of what, when: a rep's history, visible to themselves, their manager, head office. */
export function assignmentHistory(ctx: AuthedContext, by: { repId?: string; organisationId?: string }, pageArgs: PageArgs) {
  const page = readPage(pageArgs);
  const reps = ctx.scope.repIds;
  const where: Prisma.OrganisationAssignmentWhereInput = {
    ...(by.repId ? { repId: by.repId } : {}),
    ...(by.organisationId ? { organisationId: by.organisationId } : {}),
    ...(reps === "all" ? {} : { repId: by.repId && !reps.includes(by.repId) ? NO_ID : { in: [...reps] } }),
  };
  return lazyConnection<AssignmentRow>(
    () =>
      ctx.db.organisationAssignment.findMany({
        where,
        orderBy: [{ validFrom: "desc" }, { id: "asc" }],
        ...pageWindow(page),
      }),
    page,
    () => ctx.db.organisationAssignment.count({ where }),
  );
}

// ───────── Changes ─────────

const DAY_MS = 86_400_000;
const notBeforeToday = (ctx: AuthedContext, field: string, day: Date) => {
  // History before today is frozen (revenue already credited stays credited): changes start today at the earliest.
  if (day < ctx.today) throw badInput(`${field} is before today: the past cannot be changed`, { fields: [{ field }] });
};
const windowOk = (from: Date, to: Date | null | undefined, field = "validTo") => {
  if (to && to <= from) throw badInput(`${field} must be after validFrom`, { fields: [{ field }] });
};

async function changeableTerritory(tx: Tx, ctx: AuthedContext, globalId: string): Promise<TerritoryRow> {
  const id = expectGlobalId(globalId, "Territory");
  const readable = await tx.territory.findFirst({ where: { id, ...territoryScope(ctx.viewer, ctx.today) } });
  if (!readable) throw notFound("Territory");
  const changeable = await tx.territory.findFirst({ where: { id, ...changeableTerritories(ctx.viewer) } });
  if (!changeable) throw forbidden("Only head office and the team's manager change this territory");
  return changeable;
}

async function recompute(tx: Tx, ctx: AuthedContext, scope: RecomputeScope): Promise<RecomputeResult> {
  return recomputeTerritoriesInTx(tx, scope, ctx.today);
}

const TerritoryFields = z.object({ name: z.string().trim().min(1, "must not be empty").max(100), priority: z.number().int().min(0).max(10_000).nullish() });

export async function createTerritory(ctx: AuthedContext, input: CreateTerritoryInput) {
  const fields = validate(TerritoryFields, input);
  const viewer = ctx.viewer as UserViewer;
  const teamId = input.teamId ? expectGlobalId(input.teamId, "Team") : viewer.kind === "MANAGER" ? viewer.teamId : null;
  if (viewer.kind === "MANAGER" && teamId !== viewer.teamId) throw forbidden("Managers create territories for their own team");
  return ctx.db.$transaction(async (tx) => {
    if (await tx.territory.findUnique({ where: { name: fields.name } })) throw badInput("A territory with this name exists", { fields: [{ field: "name" }] });
    if (teamId && !(await tx.team.findUnique({ where: { id: teamId } }))) throw notFound("Team");
    const territory = await tx.territory.create({ data: { name: fields.name, teamId, priority: fields.priority ?? 100 } });
    await recordAudit(tx, ctx.viewer, { entity: "Territory", entityId: territory.id, action: "create", after: territory });
    return { territory, recomputedOrganisations: 0 };
  });
}

const PREFIX = z.string().trim().regex(/^[0-9A-Za-z]{1,10}$/, "must be letters and digits");
const RuleFields = z
  .object({
    country: z.string().trim().length(2).toUpperCase().nullish(),
    region: z.string().trim().min(1).max(100).nullish(),
    postalCodePrefixes: z.array(PREFIX).max(100).nullish(),
    banner: z.string().trim().min(1).max(100).nullish(),
    buyingGroup: z.string().trim().min(1).max(100).nullish(),
    ancestorOrganisationId: z.string().nullish(),
    validFrom: z.date(),
    validTo: z.date().nullish(),
  })
  .refine((r) => r.country || r.region || r.postalCodePrefixes?.length || r.banner || r.buyingGroup || r.ancestorOrganisationId, {
    message: "a rule needs at least one criterion",
    path: ["region"],
  });

export async function addTerritoryRule(ctx: AuthedContext, input: AddTerritoryRuleInput) {
  const fields = validate(RuleFields, input);
  const ancestorId = fields.ancestorOrganisationId ? expectGlobalId(fields.ancestorOrganisationId, "Organisation") : null;
  notBeforeToday(ctx, "validFrom", fields.validFrom);
  windowOk(fields.validFrom, fields.validTo);
  return ctx.db.$transaction(async (tx) => {
    const territory = await changeableTerritory(tx, ctx, input.territoryId);
    if (ancestorId && !(await tx.organisation.findFirst({ where: { id: ancestorId, mergedIntoId: null } }))) throw notFound("Organisation");
    const rule = await tx.territoryRule.create({
      data: {
        territoryId: territory.id,
        country: fields.country ?? null,
        region: fields.region ?? null,
        postalCodePrefixes: fields.postalCodePrefixes ?? [],
        banner: fields.banner ?? null,
        buyingGroup: fields.buyingGroup ?? null,
        ancestorOrganisationId: ancestorId,
        validFrom: fields.validFrom,
        validTo: fields.validTo ?? null,
      },
    });
    await recordAudit(tx, ctx.viewer, { entity: "TerritoryRule", entityId: rule.id, action: "create", after: rule });
    const result = await recompute(tx, ctx, { territoryIds: [territory.id] });
    return { territory, recomputedOrganisations: result.organisations };
  }, CHANGE_TX);
}

export async function endTerritoryRule(ctx: AuthedContext, input: EndTerritoryRuleInput) {
  const ruleId = expectGlobalId(input.ruleId, "TerritoryRule");
  notBeforeToday(ctx, "validTo", input.validTo);
  return ctx.db.$transaction(async (tx) => {
    const territory = await changeableTerritory(tx, ctx, input.territoryId);
    const before = await tx.territoryRule.findFirst({ where: { id: ruleId, territoryId: territory.id } });
    if (!before) throw notFound("TerritoryRule");
    if (input.validTo < before.validFrom) throw badInput("validTo is before the rule starts", { fields: [{ field: "validTo" }] });
    if (before.validTo && before.validTo < ctx.today) throw badInput("The rule already ended", { fields: [{ field: "ruleId" }] });
    // Scope first: the organisations the rule matches now must be recomputed even after it stops matching them.
    const scope = { territoryIds: [territory.id] };
    const after = await tx.territoryRule.update({ where: { id: ruleId }, data: { validTo: input.validTo } });
    await recordAudit(tx, ctx.viewer, { entity: "TerritoryRule", entityId: ruleId, action: "end", before, after });
    const result = await recompute(tx, ctx, scope);
    return { territory, recomputedOrganisations: result.organisations };
  }, CHANGE_TX);
}

export async function setTerritoryException(ctx: AuthedContext, input: SetTerritoryExceptionInput) {
  const organisationId = expectGlobalId(input.organisationId, "Organisation");
  notBeforeToday(ctx, "validFrom", input.validFrom);
  windowOk(input.validFrom, input.validTo);
  return ctx.db.$transaction(async (tx) => {
    const territory = await changeableTerritory(tx, ctx, input.territoryId);
    if (!(await tx.organisation.findFirst({ where: { id: organisationId, mergedIntoId: null } }))) throw notFound("Organisation");
    const exception = await tx.territoryException.create({
      data: { territoryId: territory.id, organisationId, mode: input.mode, validFrom: input.validFrom, validTo: input.validTo ?? null },
    });
    await recordAudit(tx, ctx.viewer, { entity: "TerritoryException", entityId: exception.id, action: "create", after: exception });
    const result = await recompute(tx, ctx, { organisationIds: [organisationId] });
    return { territory, recomputedOrganisations: result.organisations };
  }, CHANGE_TX);
}

export async function assignTerritory(ctx: AuthedContext, input: AssignTerritoryInput) {
  const repId = expectGlobalId(input.repId, "User");
  notBeforeToday(ctx, "validFrom", input.validFrom);
  windowOk(input.validFrom, input.validTo);
  if (input.kind === "TEMPORARY" && !input.validTo) throw badInput("A temporary cover needs an end (validTo)", { fields: [{ field: "validTo" }] });
  const reps = ctx.scope.repIds;
  if (reps !== "all" && !reps.includes(repId)) throw notFound("User");
  return ctx.db.$transaction(async (tx) => {
    const territory = await changeableTerritory(tx, ctx, input.territoryId);
    const rep = await tx.user.findFirst({ where: { id: repId, role: "REP", active: true } });
    if (!rep) throw notFound("User");
    // A new permanent holder ends the current/scheduled permanent ones on its first day.
    if (input.kind === "PERMANENT") {
      const open = await tx.territoryAssignment.findMany({
        where: { territoryId: territory.id, kind: "PERMANENT", AND: [{ validFrom: { lt: input.validFrom } }, toWhere<Prisma.TerritoryAssignmentWhereInput>(notEndedBy(input.validFrom))] },
      });
      for (const before of open) {
        const after = await tx.territoryAssignment.update({ where: { id: before.id }, data: { validTo: input.validFrom } });
        await recordAudit(tx, ctx.viewer, { entity: "TerritoryAssignment", entityId: before.id, action: "end", before, after });
      }
    }
    const holder = await tx.territoryAssignment.create({
      data: { territoryId: territory.id, repId, kind: input.kind, validFrom: input.validFrom, validTo: input.validTo ?? null },
    });
    await recordAudit(tx, ctx.viewer, { entity: "TerritoryAssignment", entityId: holder.id, action: "create", after: holder });
    const result = await recompute(tx, ctx, { territoryIds: [territory.id] });
    return { territory, recomputedOrganisations: result.organisations };
  }, CHANGE_TX);
}

/**
 * For other modules (organisation created, moved, merged; requests approved): `recomputeTerritories(db or
 * tx, { organisationIds } | { territoryIds }, ctx.today)` recomputes what they touch from today on.
 */
export { recomputeTerritories } from "./territory.materialise.js";

// ───────── Coverage ─────────

const MAX_LIST = 200;

/**
 * Overlaps (organisations matched by several territories, with the one that wins), organisations matched by
 * none, and territories without a rep, on `day`. Managers see their team's territories (and no unmatched
 * organisations, which belong to nobody's team); head office everything.
 */
export async function territoryCoverage(ctx: AuthedContext, day: Date, first: number | null | undefined): Promise<TerritoryCoverage> {
  const take = first ?? 50;
  if (!Number.isInteger(take) || take < 0 || take > MAX_LIST) throw badInput(`first must be between 0 and ${MAX_LIST}`, { argument: "first" });
  const d = day.toISOString().slice(0, 10);
  const teamId = ctx.viewer.kind === "HEAD_OFFICE" ? null : ((ctx.viewer as UserViewer).teamId ?? NO_ID);
  const inForceOnDay = (alias: string) => toSqlText(inForce(Prisma.raw("$1::date")), alias);
  const overlaps = await ctx.db.$queryRawUnsafe<{ org: string; territories: string[]; winner: string | null; total: number }[]>(
    `WITH o AS (
       SELECT m."organisationId" AS org, array_agg(t.id::text ORDER BY t."priority", t."createdAt", t.id) AS territories
         FROM "TerritoryMembership" m JOIN "Territory" t ON t.id = m."territoryId"
        WHERE ${inForceOnDay("m")}
        GROUP BY m."organisationId"
       HAVING count(DISTINCT t.id) > 1 AND ($2::uuid IS NULL OR bool_or(t."teamId" = $2::uuid)))
     SELECT o.org::text AS org, o.territories,
            (SELECT a."territoryId"::text FROM "OrganisationAssignment" a
              WHERE a."organisationId" = o.org AND a."territoryId" IS NOT NULL AND ${inForceOnDay("a")} LIMIT 1) AS winner,
            count(*) OVER ()::int AS total
       FROM o ORDER BY o.org LIMIT $3::int`,
    d,
    teamId,
    take,
  );
  const overlapCount = overlaps[0]?.total ?? 0;
  const unmatched =
    teamId === null
      ? await ctx.db.$queryRawUnsafe<{ org: string; total: number }[]>(
          `SELECT o.id::text AS org, count(*) OVER ()::int AS total FROM "Organisation" o
            WHERE o."mergedIntoId" IS NULL
              AND NOT EXISTS (SELECT 1 FROM "TerritoryMembership" m WHERE m."organisationId" = o.id AND ${inForceOnDay("m")})
            ORDER BY o.name, o.id LIMIT $2::int`,
          d,
          take,
        )
      : [];
  const territoryWhere: Prisma.TerritoryWhereInput = {
    ...(teamId ? { teamId } : {}),
    holders: { none: assignmentInForce(day) },
  };
  const [territoriesWithoutRep, territoriesWithoutRepCount] = await Promise.all([
    ctx.db.territory.findMany({ where: territoryWhere, orderBy: [{ name: "asc" }, { id: "asc" }], take }),
    ctx.db.territory.count({ where: territoryWhere }),
  ]);
  return {
    date: day,
    overlaps: overlaps.map((row) => ({ organisationId: row.org, territoryIds: row.territories, winnerTerritoryId: row.winner ?? row.territories[0]! })),
    overlapCount,
    unmatchedOrganisationIds: unmatched.map((row) => row.org),
    unmatchedCount: unmatched[0]?.total ?? 0,
    territoriesWithoutRep,
    territoriesWithoutRepCount,
  };
}

export const dayBefore = (day: Date) => new Date(day.getTime() - DAY_MS);
