// Hand-made JWTs for the authentication tests: forged, expired, unsigned, for another audience…
import jwt from "jsonwebtoken";
import type { Config, JwtKeyRing } from "../../src/config/config.js";

/** What a token is signed for: the server's configuration (issuer, audience) and key ring. */
export interface Signer {
  config: Config;
  keyRing: JwtKeyRing;
}

/** A user token as login would sign it at `now` (the test server's clock), with some part overridden. */
export function signWith(
  { config, keyRing }: Signer,
  now: Date,
  overrides: { secret?: string; kid?: string; audience?: string; issuer?: string; expiresIn?: number; sub: string; typ?: string },
) {
  const kid = overrides.kid ?? keyRing.activeKid;
  const payload = { typ: overrides.typ ?? "user", iat: Math.floor(now.getTime() / 1000) };
  return jwt.sign(payload, overrides.secret ?? keyRing.keys.get(keyRing.activeKid)!, {
    algorithm: "HS256",
    keyid: kid,
    audience: overrides.audience ?? config.JWT_AUDIENCE,
    issuer: overrides.issuer ?? config.JWT_ISSUER,
    subject: overrides.sub,
    expiresIn: overrides.expiresIn ?? 3600,
  });
}

/** An `alg: none` token: header and payload, no signature. */
export function unsignedToken({ config, keyRing }: Signer, sub: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: "none", typ: "JWT", kid: keyRing.activeKid })}.${encode({ typ: "user", sub, aud: config.JWT_AUDIENCE, iss: config.JWT_ISSUER, iat: now, exp: now + 3600 })}.`;
}
