// JWTs for users and API tokens. Algorithm, issuer and audience are pinned at verification; the `kid`
// header picks the key, so keys can rotate (old kids keep verifying while listed in JWT_KEYS).
import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import type { JwtKeyRing } from "../config/config.js";

const ALGORITHM = "HS256" as const;

export interface JwtSettings {
  keyRing: JwtKeyRing;
  issuer: string;
  audience: string;
  userTokenTtlSeconds: number;
}

export type TokenClaims =
  | { typ: "user"; sub: string }
  | { typ: "api"; sub: string /* ApiToken id */; jti: string };

export function signUserToken(settings: JwtSettings, userId: string): { token: string; expiresAt: Date } {
  const { keyRing } = settings;
  const token = jwt.sign({ typ: "user" }, keyRing.keys.get(keyRing.activeKid)!, {
    algorithm: ALGORITHM,
    keyid: keyRing.activeKid,
    issuer: settings.issuer,
    audience: settings.audience,
    subject: userId,
    expiresIn: settings.userTokenTtlSeconds,
  });
  return { token, expiresAt: new Date(Date.now() + settings.userTokenTtlSeconds * 1000) };
}

export function signApiToken(settings: JwtSettings, tokenId: string, expiresAt: Date | null): { token: string; jti: string } {
  const { keyRing } = settings;
  const jti = randomUUID();
  const token = jwt.sign(
    { typ: "api", ...(expiresAt ? { exp: Math.floor(expiresAt.getTime() / 1000) } : {}) },
    keyRing.keys.get(keyRing.activeKid)!,
    { algorithm: ALGORITHM, keyid: keyRing.activeKid, issuer: settings.issuer, audience: settings.audience, subject: tokenId, jwtid: jti },
  );
  return { token, jti };
}

export class InvalidTokenError extends Error {}

export function verifyToken(settings: JwtSettings, token: string): TokenClaims {
  const decoded = jwt.decode(token, { complete: true });
  const kid = decoded?.header.kid;
  const key = kid ? settings.keyRing.keys.get(kid) : undefined;
  if (!key) throw new InvalidTokenError("unknown or missing key id");
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(token, key, {
      algorithms: [ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      complete: false,
    }) as jwt.JwtPayload;
  } catch (error) {
    throw new InvalidTokenError((error as Error).message);
  }
  if (typeof payload.sub !== "string") throw new InvalidTokenError("missing subject");
  if (payload.typ === "user") return { typ: "user", sub: payload.sub };
  if (payload.typ === "api" && typeof payload.jti === "string") return { typ: "api", sub: payload.sub, jti: payload.jti };
  throw new InvalidTokenError("unknown token type");
}
