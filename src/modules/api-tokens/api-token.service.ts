// Partner and service tokens: issued by head office (any) or managers (partners on their team's
// territories), stored hashed, revocable, listed with their last use.
import { createHash, randomUUID } from "node:crypto";
import { signApiToken } from "../../auth/jwt.js";
import { assignmentInForce } from "../../auth/row-scope.js";
import { delegableScopes, isScope, PARTNER_SCOPES, SERVICE_SCOPES } from "../../auth/scopes.js";
import { isUserViewer, type UserViewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput, forbidden, notFound } from "../../errors/api-errors.js";
import { expectGlobalId, lazyConnection, toGlobalId, type PageArgs, pageWindow, readPage } from "../../graphql/relay.js";
import { recordAudit } from "../audit/audit.service.js";
import type { ApiTokenRow, IssueApiTokenInput, RevokeApiTokenInput } from "./api-token.type.js";

export const PARTNER_MAX_DAYS = 90;
const DAY_MS = 86_400_000;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

function issuer(ctx: AuthedContext): UserViewer {
  if (!isUserViewer(ctx.viewer) || !["HEAD_OFFICE", "MANAGER"].includes(ctx.viewer.kind)) throw forbidden();
  return ctx.viewer;
}

/** Tokens a viewer may list and revoke: head office all, managers those they issued. */
function tokenScope(viewer: UserViewer): Prisma.ApiTokenWhereInput {
  return viewer.kind === "HEAD_OFFICE" ? {} : { createdById: viewer.userId };
}

function checkScopesAndExpiry(ctx: AuthedContext, viewer: UserViewer, input: IssueApiTokenInput): void {
  const unknown = input.scopes.filter((s) => !isScope(s));
  if (!input.scopes.length || unknown.length) {
    throw badInput(`Unknown scopes: ${unknown.join(", ") || "(none given)"}; see the scope catalogue`, { invalidScopes: unknown });
  }
  // A token never carries a power its issuer does not hold (before the kind's catalogue: a manager asking
  // for export:read is refused for lacking it, whatever kind of token they asked for).
  const delegable: readonly string[] = delegableScopes(viewer.kind);
  const lacking = input.scopes.filter((s) => !delegable.includes(s));
  if (lacking.length) {
    throw forbidden(`You cannot grant ${lacking.join(", ")}: a token carries only scopes its issuer holds (${delegable.join(", ")})`);
  }
  const allowed: readonly string[] = input.kind === "PARTNER" ? PARTNER_SCOPES : SERVICE_SCOPES;
  const misplaced = input.scopes.filter((s) => !allowed.includes(s));
  if (misplaced.length) {
    throw badInput(`A ${input.kind} token takes scopes among: ${allowed.join(", ")}`, { invalidScopes: misplaced });
  }
  if (!input.name.trim()) throw badInput("name must not be empty");
  const now = ctx.now.getTime();
  if (input.expiresAt && input.expiresAt.getTime() <= now) throw badInput("expiresAt must be in the future");
  if (input.kind === "PARTNER") {
    if (!input.expiresAt) throw badInput(`A partner token needs an expiry (at most ${PARTNER_MAX_DAYS} days)`);
    if (input.expiresAt.getTime() > now + PARTNER_MAX_DAYS * DAY_MS) {
      throw badInput(`A partner token expires at most ${PARTNER_MAX_DAYS} days after it is issued`);
    }
  }
}

/**
 * A restriction never reaches beyond the issuer's own sight (ctx.scope, the one scope definition): every
 * territory is of a team they see, and every organisation it holds today is one they read; every explicit
 * organisation is one they read (else NOT_FOUND, as for any row out of scope). A team territory without a
 * rep holds organisations nobody on the team is in charge of: a manager cannot hand those out.
 */
async function checkRestriction(ctx: AuthedContext, territoryIds: string[], organisationIds: string[]) {
  const sight = ctx.scope.where.organisations();
  if (territoryIds.length) {
    const territories = await ctx.db.territory.findMany({ where: { id: { in: territoryIds } }, select: { id: true, name: true, teamId: true } });
    if (territories.length !== new Set(territoryIds).size) throw notFound("Territory");
    for (const territory of territories) {
      if (!ctx.scope.maySeeTeam(territory.teamId)) {
        throw forbidden(`Territory "${territory.name}" is not one of your team's territories`);
      }
      // The same organisations the token will read (partnerRestriction: live members in force that day).
      const outOfSight = await ctx.db.organisation.count({
        where: {
          mergedIntoId: null,
          territoryMemberships: { some: { territoryId: territory.id, ...assignmentInForce(ctx.today) } },
          NOT: sight,
        },
      });
      if (outOfSight) {
        throw forbidden(
          `Territory "${territory.name}" holds ${outOfSight} organisation(s) outside your portfolio (no rep of yours is in charge of them): a token cannot grant what you cannot read`,
        );
      }
    }
  }
  const distinct = [...new Set(organisationIds)];
  if (distinct.length) {
    const visible = await ctx.db.organisation.findMany({ where: { AND: [{ id: { in: distinct } }, sight] }, select: { id: true } });
    const seen = new Set(visible.map((o) => o.id));
    const missing = distinct.find((id) => !seen.has(id));
    if (missing) throw notFound(`Organisation ${toGlobalId("Organisation", missing)}`);
  }
}

export async function issueApiToken(ctx: AuthedContext, input: IssueApiTokenInput): Promise<{ apiToken: ApiTokenRow; token: string }> {
  const viewer = issuer(ctx);
  if (viewer.kind === "MANAGER" && input.kind !== "PARTNER") throw forbidden("Managers issue partner tokens only");
  checkScopesAndExpiry(ctx, viewer, input);
  const territoryIds = (input.territoryIds ?? []).map((id) => expectGlobalId(id, "Territory"));
  const organisationIds = (input.organisationIds ?? []).map((id) => expectGlobalId(id, "Organisation"));
  if (input.kind === "PARTNER" && !territoryIds.length && !organisationIds.length) {
    throw badInput("A partner token must be restricted to territories and/or organisations");
  }
  if (viewer.kind === "MANAGER" && !territoryIds.length) throw badInput("A manager's partner token names at least one team territory");
  await checkRestriction(ctx, territoryIds, organisationIds);

  const id = randomUUID();
  const { token, jti } = signApiToken(ctx.jwt, id, input.expiresAt ?? null, ctx.now);
  const apiToken = await ctx.db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        id,
        jti,
        kind: input.kind,
        name: input.name.trim(),
        scopes: [...new Set(input.scopes)],
        restrictTerritoryIds: territoryIds,
        restrictOrganisationIds: organisationIds,
        tokenHash: hashToken(token),
        createdById: viewer.userId,
        expiresAt: input.expiresAt ?? null,
      },
    });
    const { tokenHash: _hash, ...safe } = created;
    await recordAudit(tx, viewer, { entity: "ApiToken", entityId: id, action: "issue", after: safe });
    return created;
  });
  return { apiToken, token };
}

export async function revokeApiToken(ctx: AuthedContext, input: RevokeApiTokenInput): Promise<ApiTokenRow> {
  const viewer = issuer(ctx);
  const id = expectGlobalId(input.id, "ApiToken");
  const revoked = await ctx.db.$transaction(async (tx) => {
    const before = await tx.apiToken.findFirst({ where: { id, ...tokenScope(viewer) } });
    if (!before) throw notFound("ApiToken");
    if (before.revokedAt) return before;
    const after = await tx.apiToken.update({ where: { id }, data: { revokedAt: ctx.now } });
    await recordAudit(tx, viewer, { entity: "ApiToken", entityId: id, action: "revoke", before: { revokedAt: null }, after: { revokedAt: after.revokedAt } });
    return after;
  });
  ctx.forgetTokenState();
  return revoked;
}

export function listApiTokens(ctx: AuthedContext, pageArgs: PageArgs) {
  const viewer = issuer(ctx);
  const page = readPage(pageArgs);
  const where = tokenScope(viewer);
  return lazyConnection(
    () =>
      ctx.db.apiToken.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        ...pageWindow(page),
      }),
    page,
    () => ctx.db.apiToken.count({ where }),
  );
}

/** Through node(id): a token outside what the viewer may list is reported as missing. */
export async function getApiToken(ctx: AuthedContext, globalId: string) {
  const id = expectGlobalId(globalId, "ApiToken");
  const viewer = ctx.viewer;
  const canList = isUserViewer(viewer) && (viewer.kind === "HEAD_OFFICE" || viewer.kind === "MANAGER");
  const token = canList ? await ctx.db.apiToken.findFirst({ where: { id, ...tokenScope(viewer) } }) : null;
  if (!token) throw notFound("ApiToken");
  return token;
}
