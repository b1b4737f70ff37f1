import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/config.js";

describe("configuration is validated at start-up with clear messages", () => {
  it("refuses to start in production without signing keys", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/JWT_KEYS is required when NODE_ENV=production/);
  });

  it("uses the development key, and says so, outside production", () => {
    const config = loadConfig({ NODE_ENV: "development" });
    expect(config.usesDevelopmentKey).toBe(true);
    expect(config.jwt.activeKid).toBe("dev");
  });

  it("names every bad variable", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", MAX_QUERY_DEPTH: "-1" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("PORT");
    expect(message).toContain("DATABASE_URL: must be a postgresql:// URL");
    expect(message).toContain("MAX_QUERY_DEPTH");
  });

  it("accepts several keys for rotation and refuses short secrets or an unknown active kid", () => {
    const long = "x".repeat(32);
    const rotated = loadConfig({ JWT_KEYS: `old:${long},new:${long}y`, JWT_ACTIVE_KID: "new" });
    expect([...rotated.jwt.keys.keys()]).toEqual(["old", "new"]);
    expect(rotated.jwt.activeKid).toBe("new");
    expect(() => loadConfig({ JWT_KEYS: "k:short" })).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ JWT_KEYS: `k:${long}`, JWT_ACTIVE_KID: "other" })).toThrow(/JWT_ACTIVE_KID/);
  });
});
