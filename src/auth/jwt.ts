// JWTs for users and API tokens. Algorithm, issuer and audience are pinned at verification; the `kid`
// header picks the key, so keys can rotate (old kids keep verifying while listed in JWT_KEYS).
import { createSecretKey, randomUUID, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import type { JwtKeyRing } from "../config/config.js";
import { UUID } from "../db/uuid.js";

const ALGORITHM = "HS256" as const;

export interface JwtSettings {
  keyRing: JwtKeyRing;
  issuer: string;
  audience: string;
  userTokenTtlSeconds: number;
}

// jsonwebtoken turns a string secret into a KeyObject on every call, after first trying (and failing, with
// an exception) to read it as a public key: the key objects are built once per key ring instead.
const keyObjects = new WeakMap<JwtKeyRing, Map<string, KeyObject>>();

function keyOf(keyRing: JwtKeyRing, kid: string): KeyObject | undefined {
  let keys = keyObjects.get(keyRing);
  if (!keys) {
    keys = new Map([...keyRing.keys].map(([id, secret]) => [id, createSecretKey(Buffer.from(secret))]));
    keyObjects.set(keyRing, keys);
  }
  return keys.get(kid);
}

export type TokenClaims =
  | { typ: "user"; sub: string; /** milliseconds */ issuedAt: number }
  | { typ: "api"; sub: string /* ApiToken id */; jti: string };

/** `now` is the request clock: issue and expiry times follow it, so one clock rules every check. */
export function signUserToken(settings: JwtSettings, userId: string, now: Date): { token: string; expiresAt: Date } {
  const { keyRing } = settings;
  // issuedAtMs: to the millisecond, so that a password change ends the sessions opened before it, not those after
  const token = jwt.sign({ typ: "user", iat: Math.floor(now.getTime() / 1000), issuedAtMs: now.getTime() }, keyOf(keyRing, keyRing.activeKid)!, {
    algorithm: ALGORITHM,
    keyid: keyRing.activeKid,
    issuer: settings.issuer,
    audience: settings.audience,
    subject: userId,
    jwtid: randomUUID(), // each login is its own session, even within one second
    expiresIn: settings.userTokenTtlSeconds,
  });
  return { token, expiresAt: new Date(now.getTime() + settings.userTokenTtlSeconds * 1000) };
}

export function signApiToken(settings: JwtSettings, tokenId: string, expiresAt: Date | null, now: Date): { token: string; jti: string } {
  const { keyRing } = settings;
  const jti = randomUUID();
  const token = jwt.sign(
    { typ: "api", iat: Math.floor(now.getTime() / 1000), ...(expiresAt ? { exp: Math.floor(expiresAt.getTime() / 1000) } : {}) },
    keyOf(keyRing, keyRing.activeKid)!,
    { algorithm: ALGORITHM, keyid: keyRing.activeKid, issuer: settings.issuer, audience: settings.audience, subject: tokenId, jwtid: jti },
  );
  return { token, jti };
}

export class InvalidTokenError extends Error {}

/** Expiry is checked against `now`, the request clock (the same one that issued the token). */
export function verifyToken(settings: JwtSettings, token: string, now: Date): TokenClaims {
  let decoded: jwt.Jwt | null;
  try {
    decoded = jwt.decode(token, { complete: true });
  } catch {
    // a header declaring `typ: "JWT"` makes the decoder JSON.parse the payload, which throws on garbage
    throw new InvalidTokenError("malformed token");
  }
  const kid = decoded?.header.kid;
  const key = kid ? keyOf(settings.keyRing, kid) : undefined;
  if (!key) throw new InvalidTokenError("unknown or missing key id");
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(token, key, {
      algorithms: [ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTimestamp: Math.floor(now.getTime() / 1000),
      complete: false,
    }) as jwt.JwtPayload;
  } catch (error) {
    throw new InvalidTokenError((error as Error).message);
  }
  // the subject is a database id (uuid column): anything else would fail in the query, not here
  if (typeof payload.sub !== "string" || !UUID.test(payload.sub)) throw new InvalidTokenError("missing or malformed subject");
  if (payload.typ === "user") return { typ: "user", sub: payload.sub, issuedAt: typeof payload.issuedAtMs === "number" ? payload.issuedAtMs : typeof payload.iat === "number" ? payload.iat * 1000 : 0 };
  if (payload.typ === "api" && typeof payload.jti === "string") return { typ: "api", sub: payload.sub, jti: payload.jti };
  throw new InvalidTokenError("unknown token type");
}
