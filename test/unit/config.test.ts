import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/config.js";

// The former development key, published in this project's history: production must refuse it.
const FORMER_DEV_KEY = "dev-only-insecure-signing-key-change-me-0123456789";
const STRONG = "k".repeat(20) + "-strong-secret-for-tests-0123456789";

describe("configuration is validated at start-up with clear messages", () => {
  it("refuses to start in production without signing keys", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/JWT_KEYS is required when NODE_ENV=production/);
  });

  it("leaves the key ring to the installation outside production (no key in the source)", () => {
    const config = loadConfig({ NODE_ENV: "development" });
    expect(config.jwtKeys).toBeNull();
    expect(JSON.stringify(Object.entries(config))).not.toContain("dev-only");
  });

  it("refuses in production a secret shorter than 32 bytes", () => {
    expect(() => loadConfig({ NODE_ENV: "production", JWT_KEYS: `k:${"x".repeat(31)}` })).toThrow(/the secret of kid "k" must be at least 32 bytes/);
    // bytes, not characters: 16 two-byte characters are 32 bytes
    expect(loadConfig({ NODE_ENV: "production", JWT_KEYS: `k:${"é".repeat(16)}` }).jwtKeys?.activeKid).toBe("k");
  });

  it("refuses in production every secret that was ever a default in this repository", () => {
    for (const former of [FORMER_DEV_KEY, "bench-signing-key-0123456789abcdef-0123456789abcdef"]) {
      expect(() => loadConfig({ NODE_ENV: "production", JWT_KEYS: `old:${former}` })).toThrow(
        /JWT_KEYS: the secret of kid "old" is a former default published in this project's history/,
      );
      // also when it hides among good keys of a rotation
      expect(() => loadConfig({ NODE_ENV: "production", JWT_KEYS: `new:${STRONG},old:${former}`, JWT_ACTIVE_KID: "new" })).toThrow(/former default/);
    }
    expect(loadConfig({ NODE_ENV: "production", JWT_KEYS: `new:${STRONG}` }).jwtKeys?.keys.get("new")).toBe(STRONG);
  });

  it("names every bad variable", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", MAX_QUERY_DEPTH: "-1", SEED_DEMO: "sometimes" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("PORT");
    expect(message).toContain("DATABASE_URL: must be a postgresql:// URL");
    expect(message).toContain("MAX_QUERY_DEPTH");
    expect(message).toContain("SEED_DEMO");
  });

  it("accepts several keys for rotation and refuses short secrets or an unknown active kid", () => {
    const long = "x".repeat(32);
    const rotated = loadConfig({ JWT_KEYS: `old:${long},new:${long}y`, JWT_ACTIVE_KID: "new" });
    expect([...rotated.jwtKeys!.keys.keys()]).toEqual(["old", "new"]);
    expect(rotated.jwtKeys!.activeKid).toBe("new");
    expect(() => loadConfig({ JWT_KEYS: "k:short" })).toThrow(/at least 32 bytes/);
    expect(() => loadConfig({ JWT_KEYS: `k:${long}`, JWT_ACTIVE_KID: "other" })).toThrow(/JWT_ACTIVE_KID/);
    expect(() => loadConfig({ JWT_ACTIVE_KID: "k" })).toThrow(/JWT_ACTIVE_KID is set but JWT_KEYS is not/);
  });

  it("seeds the demo on an empty database in development and tests only, unless told always or never", () => {
    const seeds = (env: Record<string, string>) => loadConfig({ JWT_KEYS: `k:${STRONG}`, ...env }).seedDemo;
    expect(seeds({ NODE_ENV: "development" })).toBe(true);
    expect(seeds({ NODE_ENV: "test" })).toBe(true);
    expect(seeds({ NODE_ENV: "production" })).toBe(false);
    expect(seeds({ NODE_ENV: "production", SEED_DEMO: "auto" })).toBe(false);
    expect(seeds({ NODE_ENV: "production", SEED_DEMO: "always" })).toBe(true);
    expect(seeds({ NODE_ENV: "development", SEED_DEMO: "never" })).toBe(false);
  });

  it("validates the webhook settings: worker on or off (default on), a positive poll interval, bare allowed hosts", () => {
    expect(loadConfig({}).WEBHOOK_WORKER).toBe("on");
    expect(loadConfig({}).WEBHOOK_POLL_MS).toBe(1000);
    expect(() => loadConfig({ WEBHOOK_WORKER: "maybe" })).toThrow(/WEBHOOK_WORKER: must be on or off/);
    expect(() => loadConfig({ WEBHOOK_POLL_MS: "0" })).toThrow(/WEBHOOK_POLL_MS/);
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: " Hooks.Internal.example ,10.0.0.5,[fd00::1]" }).webhookAllowedHosts).toEqual(["hooks.internal.example", "10.0.0.5", "fd00::1"]);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: "https://hooks.example.com" })).toThrow(/WEBHOOK_ALLOWED_HOSTS: "https:\/\/hooks.example.com" is not a host name/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: "hooks.example.com:8443" })).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });

  it("validates the replicas: postgresql:// URLs of a DATABASE_URL server, a positive allowed lag", () => {
    const primary = "postgresql://crm@db:5432/crm";
    expect(loadConfig({}).replicaUrls).toEqual([]);
    expect(loadConfig({}).REPLICA_MAX_LAG_MS).toBe(2000);
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: " postgresql://crm@r1:5432/crm, postgres://crm@r2/crm ," }).replicaUrls).toEqual([
      "postgresql://crm@r1:5432/crm",
      "postgres://crm@r2/crm",
    ]);
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: "postgresql://crm@r1:5432/crm" })).toThrow(/DATABASE_REPLICA_URLS is set but DATABASE_URL is not/);
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: "mysql://r1/crm" })).toThrow(/DATABASE_REPLICA_URLS: entry 1 is not a postgresql:\/\/ URL/);
    expect(() => loadConfig({ DATABASE_URL: primary, REPLICA_MAX_LAG_MS: "0" })).toThrow(/REPLICA_MAX_LAG_MS/);
  });
});
