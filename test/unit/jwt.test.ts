import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { signUserToken, verifyToken, type JwtSettings } from "../../src/auth/jwt.js";

const OLD = "old-secret-0123456789-0123456789-0123";
const NEW = "new-secret-0123456789-0123456789-0123";
const settings = (activeKid: string): JwtSettings => ({
  keyRing: { keys: new Map([["old", OLD], ["new", NEW]]), activeKid },
  issuer: "iss",
  audience: "aud",
  userTokenTtlSeconds: 60,
});

describe("key rotation", () => {
  it("a token signed with the previous key still verifies while its kid is listed", () => {
    const { token } = signUserToken(settings("old"), "00000000-0000-4000-8000-000000000001");
    expect(jwt.decode(token, { complete: true })?.header.kid).toBe("old");
    expect(verifyToken(settings("new"), token)).toEqual({ typ: "user", sub: "00000000-0000-4000-8000-000000000001" });
  });

  it("once the kid is removed from the ring, the token is refused", () => {
    const { token } = signUserToken(settings("old"), "00000000-0000-4000-8000-000000000001");
    const withoutOld: JwtSettings = { ...settings("new"), keyRing: { keys: new Map([["new", NEW]]), activeKid: "new" } };
    expect(() => verifyToken(withoutOld, token)).toThrow(/unknown or missing key id/);
  });

  it("a token signed with another key under a listed kid is refused", () => {
    const forged = jwt.sign({ typ: "user" }, NEW, { algorithm: "HS256", keyid: "old", issuer: "iss", audience: "aud", subject: "x" });
    expect(() => verifyToken(settings("new"), forged)).toThrow();
  });

  it("an HS384 token is refused even with the right key (algorithm pinned)", () => {
    const other = jwt.sign({ typ: "user" }, NEW, { algorithm: "HS384", keyid: "new", issuer: "iss", audience: "aud", subject: "x" });
    expect(() => verifyToken(settings("new"), other)).toThrow();
  });
});
