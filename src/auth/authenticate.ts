// Turns the Authorization header into a Viewer. Token state (revoked, expired, user deactivated) lives in
// the database and is cached for a couple of seconds only (TOKEN_STATE_CACHE_MS), so every instance refuses
// a revoked token within seconds without a query per request.
import type { Db } from "../db/client.js";
import { isConnectionFailure } from "../db/connection-failure.js";
import { requestError, ErrorCode } from "../errors/api-errors.js";
import { InvalidTokenError, verifyToken, type JwtSettings } from "./jwt.js";
import { expandScopes } from "./scopes.js";
import type { TokenViewer, UserViewer, Viewer } from "./viewer.js";

interface CacheEntry {
  viewer: Viewer | null;
  expiresAt: number;
  /** for API tokens: when the token itself expires */
  tokenExpiresAt?: number | null;
  /** for users: user tokens issued before this (ms) are refused — the password changed since */
  sessionsValidFrom?: number | null;
}

const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lastUsedWritten = new Map<string, number>();

  /**
   * `now` is the request clock (token expiry, last use); the cache lifetime runs on `monotonicMs`, the real
   * elapsed time, so that a test clock standing still cannot keep a revoked token alive.
   */
  constructor(
    private readonly db: Db,
    private readonly jwt: JwtSettings,
    private readonly cacheMs: number,
    private readonly now: () => Date = () => new Date(),
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /** null for an anonymous request; throws UNAUTHENTICATED for any token that is not valid now. */
  async authenticate(authorization: string | undefined): Promise<Viewer | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticated("Authorization header must be `Bearer <token>`");
    let claims;
    try {
      claims = verifyToken(this.jwt, match[1]!, this.now());
    } catch (error) {
      if (error instanceof InvalidTokenError) throw unauthenticated("Invalid or expired token");
      throw error;
    }
    const cacheKey = claims.typ === "user" ? `u:${claims.sub}` : `t:${claims.jti}`;
    let viewer: Viewer | null;
    try {
      viewer = await this.cached(
        cacheKey,
        () => (claims.typ === "user" ? this.loadUser(claims.sub) : this.loadApiToken(claims.sub, claims.jti)),
        claims.typ === "user" ? claims.issuedAt : null,
      );
    } catch (error) {
      // Without the database the token's state is unknown: say so clearly (503) instead of a 500.
      if (isConnectionFailure(error)) throw requestError(ErrorCode.SERVICE_UNAVAILABLE, "The database is unavailable; retry shortly");
      throw error;
    }
    if (!viewer) throw unauthenticated("Token revoked, expired or no longer valid");
    if (viewer.kind === "PARTNER" || viewer.kind === "SERVICE") this.touch(viewer.tokenId);
    return viewer;
  }

  /**
   * The viewer of a stored principal, read now (a webhook subscription's owner): null when the user is
   * deactivated or the token revoked or expired.
   */
  async viewerOf(principal: { userId: string } | { tokenId: string }): Promise<Viewer | null> {
    const entry = "userId" in principal ? await this.loadUser(principal.userId) : await this.loadApiToken(principal.tokenId, null);
    if (entry.tokenExpiresAt != null && entry.tokenExpiresAt <= this.now().getTime()) return null;
    return entry.viewer;
  }

  private async cached(key: string, load: () => Promise<CacheEntry>, issuedAt: number | null): Promise<Viewer | null> {
    let entry = this.cache.get(key);
    if (!entry || entry.expiresAt <= this.monotonicMs()) {
      entry = await load();
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, entry);
    }
    if (entry.tokenExpiresAt != null && entry.tokenExpiresAt <= this.now().getTime()) return null;
    if (entry.sessionsValidFrom != null && issuedAt !== null && issuedAt < entry.sessionsValidFrom) return null;
    return entry.viewer;
  }

  private async loadUser(userId: string): Promise<CacheEntry> {
    const user = await this.db.user.findUnique({
      where: { id: userId },
      select: { id: true, email: true, role: true, active: true, teamId: true, sessionsValidFrom: true, managedTeam: { select: { id: true } } },
    });
    const expiresAt = this.monotonicMs() + this.cacheMs;
    if (!user?.active) return { viewer: null, expiresAt };
    const teamId = user.role === "MANAGER" ? (user.managedTeam?.id ?? user.teamId) : user.teamId;
    const teamRepIds =
      user.role === "MANAGER" && teamId
        ? (await this.db.user.findMany({ where: { teamId, role: "REP" }, select: { id: true } })).map((u) => u.id)
        : [];
    const viewer: UserViewer = { kind: user.role, userId: user.id, email: user.email, teamId, teamRepIds };
    const sessionsValidFrom = user.sessionsValidFrom?.getTime() ?? null;
    return { viewer, expiresAt, sessionsValidFrom };
  }

  /** `jti`: the one the presented token carries (null: the stored token itself, whatever its jti) */
  private async loadApiToken(tokenId: string, jti: string | null): Promise<CacheEntry> {
    const token = await this.db.apiToken.findUnique({ where: { id: tokenId } });
    const expiresAt = this.monotonicMs() + this.cacheMs;
    if (!token || (jti !== null && token.jti !== jti) || token.revokedAt) return { viewer: null, expiresAt };
    const viewer: TokenViewer = {
      kind: token.kind,
      tokenId: token.id,
      jti: token.jti,
      scopes: expandScopes(token.scopes),
      restrictTerritoryIds: token.restrictTerritoryIds,
      restrictOrganisationIds: token.restrictOrganisationIds,
      issuedById: token.createdById,
    };
    return { viewer, expiresAt, tokenExpiresAt: token.expiresAt?.getTime() ?? null };
  }

  /** Records "last used", at most once a minute per token and instance, without delaying the request. */
  private touch(tokenId: string): void {
    const nowMs = this.now().getTime();
    if ((this.lastUsedWritten.get(tokenId) ?? 0) + LAST_USED_WRITE_INTERVAL_MS > nowMs) return;
    this.lastUsedWritten.set(tokenId, nowMs);
    this.db.apiToken.update({ where: { id: tokenId }, data: { lastUsedAt: new Date(nowMs) } }).catch(() => undefined);
  }

  /** Forget cached state at once (used after a revocation on this instance). */
  forget(): void {
    this.cache.clear();
  }
}

function unauthenticated(message: string) {
  return requestError(ErrorCode.UNAUTHENTICATED, message);
}
