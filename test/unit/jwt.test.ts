import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { signUserToken, verifyToken, type JwtSettings } from "../../src/auth/jwt.js";

const OLD = "old-secret-0123456789-0123456789-0123";
const NEW = "new-secret-0123456789-0123456789-0123";
const NOW = new Date();
const settings = (activeKid: string): JwtSettings => ({
  keyRing: { keys: new Map([["old", OLD], ["new", NEW]]), activeKid },
  issuer: "iss",
  audience: "aud",
  userTokenTtlSeconds: 60,
});

describe("key rotation", () => {
  it("a token signed with the previous key still verifies while its kid is listed", () => {
    const { token } = signUserToken(settings("old"), "00000000-0000-4000-8000-000000000001", NOW);
    expect(jwt.decode(token, { complete: true })?.header.kid).toBe("old");
    expect(verifyToken(settings("new"), token, NOW)).toEqual({ typ: "user", sub: "00000000-0000-4000-8000-000000000001", issuedAt: NOW.getTime() });
  });

  it("once the kid is removed from the ring, the token is refused", () => {
    const { token } = signUserToken(settings("old"), "00000000-0000-4000-8000-000000000001", NOW);
    const withoutOld: JwtSettings = { ...settings("new"), keyRing: { keys: new Map([["new", NEW]]), activeKid: "new" } };
    expect(() => verifyToken(withoutOld, token, NOW)).toThrow(/unknown or missing key id/);
  });

  it("a token signed with another key under a listed kid is refused", () => {
    const forged = jwt.sign({ typ: "user" }, NEW, { algorithm: "HS256", keyid: "old", issuer: "iss", audience: "aud", subject: "x" });
    expect(() => verifyToken(settings("new"), forged, NOW)).toThrow();
  });

  it("an HS384 token is refused even with the right key (algorithm pinned)", () => {
    const other = jwt.sign({ typ: "user" }, NEW, { algorithm: "HS384", keyid: "new", issuer: "iss", audience: "aud", subject: "x" });
    expect(() => verifyToken(settings("new"), other, NOW)).toThrow();
  });
});

describe("one clock", () => {
  it("expiry is judged against the clock passed in, not the machine's", () => {
    const issuedAt = new Date("2020-01-01T00:00:00Z");
    const { token } = signUserToken(settings("new"), "00000000-0000-4000-8000-000000000001", issuedAt);
    expect(verifyToken(settings("new"), token, new Date(issuedAt.getTime() + 59_000)).sub).toBe("00000000-0000-4000-8000-000000000001");
    expect(() => verifyToken(settings("new"), token, new Date(issuedAt.getTime() + 61_000))).toThrow(/expired/);
  });
});
