// Every environment variable the server reads, validated once at start-up with a clear message.
import { createHash } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { PROJECT_ROOT } from "./paths.js";

/**
 * SHA-256 of every signing secret that was ever written in this repository (the former development key,
 * the benchmark's key). They are public through the history, so production refuses them. Kept as hashes
 * so that the source no longer carries a usable key for anyone to copy.
 */
const FORMER_DEFAULT_SECRET_HASHES = new Set([
  "e8d2b5fad9f60d9a0b7f1f1bf1732d393d72ad2cdec95ce96339a4cbf36eb6a7",
  "bfb5c0d50140709fbe4f06fd045aa84badbe18e026cb3f8dee5074a2571bc59d",
]);

/** HMAC secrets shorter than this are refused (RFC 7518 §3.2: at least the hash size, 256 bits for HS256). */
export const MIN_SECRET_BYTES = 32;

const intFromEnv = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL (leave it unset for the embedded database)")
    .optional(),
  DATA_DIR: z.string().default(path.join(PROJECT_ROOT, ".data")),
  DATABASE_POOL_SIZE: intFromEnv(10),
  DATABASE_STATEMENT_TIMEOUT_MS: intFromEnv(15_000),
  /** streaming replicas of DATABASE_URL (comma-separated postgresql:// URLs) that GraphQL queries read from */
  DATABASE_REPLICA_URLS: z.string().optional(),
  /** the most a replica may be behind the primary and still be read; also how long a principal reads the primary after its write */
  REPLICA_MAX_LAG_MS: intFromEnv(2_000),
  /** auto: an empty database gets the demo company outside production; always: in production too; never */
  SEED_DEMO: z.enum(["auto", "always", "never"]).default("auto"),
  JWT_KEYS: z.string().optional(),
  JWT_ACTIVE_KID: z.string().optional(),
  JWT_ISSUER: z.string().default("fieldsales-crm"),
  JWT_AUDIENCE: z.string().default("fieldsales-crm-api"),
  USER_TOKEN_TTL_SECONDS: intFromEnv(8 * 3600),
  TOKEN_STATE_CACHE_MS: z.coerce.number().int().min(0).default(2_000),
  /** How long an instance keeps configuration tables (the pipeline stages); 0: read them on every request. */
  CONFIGURATION_CACHE_MS: z.coerce.number().int().min(0).default(2_000),
  MAX_BODY_BYTES: intFromEnv(1_000_000),
  /** The largest CSV upload to POST /import/<entity> (spooled to a temporary file before its rows are read). */
  IMPORT_MAX_BYTES: intFromEnv(200_000_000),
  MAX_QUERY_DEPTH: intFromEnv(12),
  MAX_QUERY_COST: intFromEnv(50_000),
  MAX_ALIASES: intFromEnv(30),
  MAX_DIRECTIVES: intFromEnv(20),
  MAX_TOKENS: intFromEnv(5_000),
  OPERATION_TIMEOUT_MS: intFromEnv(20_000),
  /** how many days back a change-feed cursor may resume; older cursors are told to download again */
  CHANGES_RETENTION_DAYS: intFromEnv(30),
  /** cost points each principal (token, user, anonymous IP) may spend per window; keep it ≥ MAX_QUERY_COST */
  RATE_LIMIT_POINTS: intFromEnv(300_000),
  RATE_LIMIT_WINDOW_SECONDS: intFromEnv(60),
  /** shared rate-limit budgets for every instance; in memory when unset */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL").optional(),
  /** namespace of the budgets in a shared Redis */
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).default("crm-rate"),
  /** failed logins an account (the e-mail given) may make per window before it is blocked */
  LOGIN_MAX_FAILURES: intFromEnv(5),
  /** failed logins one client address may make per window, across accounts */
  LOGIN_IP_MAX_FAILURES: intFromEnv(100),
  LOGIN_FAILURE_WINDOW_SECONDS: intFromEnv(15 * 60),
  /** an account's first block; each further block within a day doubles it, up to LOGIN_MAX_BLOCK_SECONDS */
  LOGIN_BLOCK_SECONDS: intFromEnv(15 * 60),
  LOGIN_MAX_BLOCK_SECONDS: intFromEnv(24 * 3600),
  /** browser origins allowed to call the API (comma-separated, exact); unset: any localhost origin in development and tests, none in production */
  CORS_ORIGINS: z.string().optional(),
  /** bearer token for GET /metrics; unset: /metrics is open outside production and absent (404) in production */
  METRICS_TOKEN: z.string().min(24, "must be at least 24 characters (e.g. `openssl rand -base64 32`)").optional(),
  /** OpenTelemetry collector's OTLP/HTTP endpoint (spans go to <endpoint>/v1/traces); unset: no tracing, not even loaded */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().regex(/^https?:\/\//, "must be an http:// or https:// URL (the collector's OTLP/HTTP endpoint)").optional(),
  /** the service name on every span */
  OTEL_SERVICE_NAME: z.string().min(1).default("fieldsales-crm-api"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Per-request SQL statement counting (x-sql-statements header): its AsyncLocalStorage costs every promise
  // of the request (~+50 % CPU on wide reads, bench/README.md), so it is off by default in production.
  SQL_STATEMENT_COUNTING: z.enum(["on", "off"]).optional(),
  /** the in-browser API explorer (GraphiQL) at GET /graphql and /explorer; default: on outside production */
  EXPLORER: z.enum(["on", "off"], { error: "must be on or off" }).optional(),
  /** on: this process also delivers webhooks; off: only `npm run worker` processes do (docs/webhooks.md) */
  WEBHOOK_WORKER: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  /** a subscriber to the change feed looks again after this long without news (changes written outside the API's mutations) */
  SUBSCRIPTION_POLL_MS: intFromEnv(5_000),
  /** how often the webhook worker looks for changes to enqueue and deliveries due */
  WEBHOOK_POLL_MS: intFromEnv(1_000),
  /** how many days a deleted contact, deal, quote, visit or task stays restorable in the recycle bin */
  TRASH_RETENTION_DAYS: intFromEnv(30),
  /** how often the processes that run the webhook loop also purge the recycle bin of what is past retention */
  TRASH_PURGE_INTERVAL_MS: intFromEnv(3_600_000),
  /** hosts (names or IP literals, comma-separated) webhooks may reach even on private or loopback addresses */
  WEBHOOK_ALLOWED_HOSTS: z.string().optional(),
});

/** Every variable the server reads (.env.example documents each; a test compares the two). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

export interface JwtKeyRing {
  /** kid → HMAC secret */
  keys: ReadonlyMap<string, string>;
  /** kid used to sign new tokens */
  activeKid: string;
}

export interface CorsPolicy {
  /** exact origins (scheme://host[:port]) allowed to call from a browser */
  origins: readonly string[];
  /** any http://localhost:<port> or http://127.0.0.1:<port> origin (the default outside production) */
  localhost: boolean;
}

export type Config = Omit<z.infer<typeof EnvSchema>, "JWT_KEYS" | "JWT_ACTIVE_KID" | "CORS_ORIGINS" | "WEBHOOK_ALLOWED_HOSTS" | "DATABASE_REPLICA_URLS"> & {
  cors: CorsPolicy;
  /**
   * The keys of JWT_KEYS; null when it is unset (development and tests only): the server then uses the
   * installation's generated key, known once the database is open (src/auth/installation-key.ts).
   */
  jwtKeys: JwtKeyRing | null;
  /** whether an empty database gets the demo company (SEED_DEMO with NODE_ENV applied) */
  seedDemo: boolean;
  /** SQL_STATEMENT_COUNTING, defaulted: on in development and tests, off in production */
  countSqlStatements: boolean;
  /** EXPLORER, defaulted: on in development and tests, off in production */
  explorer: boolean;
  /** WEBHOOK_ALLOWED_HOSTS, lower case */
  webhookAllowedHosts: readonly string[];
  /** DATABASE_REPLICA_URLS (empty: every read on the primary) */
  replicaUrls: readonly string[];
};

export class ConfigError extends Error {}

/** JWT_KEYS is `kid1:secret1,kid2:secret2`; several keys let old tokens verify during a rotation. */
function parseKeyRing(raw: string, activeKid: string | undefined, production: boolean): JwtKeyRing {
  const pairs = raw.split(",").map((s) => s.trim()).filter(Boolean);
  if (!pairs.length) throw new ConfigError("JWT_KEYS: no key given (format: kid:secret[,kid:secret])");
  const keys = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.indexOf(":");
    if (at <= 0) throw new ConfigError("JWT_KEYS: each entry must be kid:secret");
    const kid = pair.slice(0, at);
    const secret = pair.slice(at + 1);
    if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
      throw new ConfigError(`JWT_KEYS: the secret of kid "${kid}" must be at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 48\`)`);
    }
    if (production && FORMER_DEFAULT_SECRET_HASHES.has(createHash("sha256").update(secret).digest("hex"))) {
      throw new ConfigError(`JWT_KEYS: the secret of kid "${kid}" is a former default published in this project's history; generate a new one (e.g. \`openssl rand -base64 48\`)`);
    }
    keys.set(kid, secret);
  }
  const active = activeKid ?? [...keys.keys()].at(-1);
  if (!active || !keys.has(active)) throw new ConfigError(`JWT_ACTIVE_KID "${activeKid}" is not one of the kids in JWT_KEYS`);
  return { keys, activeKid: active };
}

/** CORS_ORIGINS is a comma-separated list of exact origins; unset, only local origins outside production. */
function parseCorsOrigins(raw: string | undefined, nodeEnv: string): CorsPolicy {
  if (raw === undefined) return { origins: [], localhost: nodeEnv !== "production" };
  const origins = raw.split(",").map((s) => s.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = null;
    }
    if (!parsed || origin.includes("*") || !["http:", "https:"].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(`CORS_ORIGINS: "${origin}" is not an exact origin (scheme://host[:port], no path, no trailing slash, no wildcard)`);
    }
  }
  return { origins, localhost: false };
}

/** WEBHOOK_ALLOWED_HOSTS: bare host names or IP literals (no scheme, port or path). */
function parseAllowedHosts(raw: string | undefined): string[] {
  const hosts = (raw ?? "").split(",").map((s) => s.trim().toLowerCase().replace(/^\[|\]$/g, "")).filter(Boolean);
  for (const host of hosts) {
    if (!/^[a-z0-9.:-]+$/.test(host) || (host.includes(":") && !host.includes("::") && host.split(":").length < 3)) {
      throw new ConfigError(`WEBHOOK_ALLOWED_HOSTS: "${host}" is not a host name or IP address (no scheme, port or path)`);
    }
  }
  return hosts;
}

/** DATABASE_REPLICA_URLS: postgresql:// URLs, comma-separated; replicas of a DATABASE_URL server only. */
function parseReplicaUrls(raw: string | undefined, primaryUrl: string | undefined): string[] {
  const urls = (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (urls.length && !primaryUrl) throw new ConfigError("DATABASE_REPLICA_URLS is set but DATABASE_URL is not: replicas follow a PostgreSQL primary, the embedded database has none");
  for (const [index, url] of urls.entries()) {
    let valid = /^postgres(ql)?:\/\//.test(url);
    try {
      new URL(url);
    } catch {
      valid = false;
    }
    if (!valid) throw new ConfigError(`DATABASE_REPLICA_URLS: entry ${index + 1} is not a postgresql:// URL`);
  }
  return urls;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const { JWT_KEYS, JWT_ACTIVE_KID, CORS_ORIGINS, WEBHOOK_ALLOWED_HOSTS, DATABASE_REPLICA_URLS, ...rest } = parsed.data;
  const production = rest.NODE_ENV === "production";
  if (!JWT_KEYS && production) {
    throw new ConfigError("JWT_KEYS is required when NODE_ENV=production (format: kid:secret[,kid:secret], each secret at least 32 bytes)");
  }
  if (!JWT_KEYS && JWT_ACTIVE_KID) throw new ConfigError("JWT_ACTIVE_KID is set but JWT_KEYS is not");
  if (rest.LOGIN_MAX_BLOCK_SECONDS < rest.LOGIN_BLOCK_SECONDS) {
    throw new ConfigError(`LOGIN_MAX_BLOCK_SECONDS (${rest.LOGIN_MAX_BLOCK_SECONDS}) must be at least LOGIN_BLOCK_SECONDS (${rest.LOGIN_BLOCK_SECONDS})`);
  }
  const jwtKeys = JWT_KEYS ? parseKeyRing(JWT_KEYS, JWT_ACTIVE_KID, production) : null;
  const seedDemo = rest.SEED_DEMO === "always" || (rest.SEED_DEMO === "auto" && !production);
  const countSqlStatements = (rest.SQL_STATEMENT_COUNTING ?? (production ? "off" : "on")) === "on";
  const explorer = (rest.EXPLORER ?? (production ? "off" : "on")) === "on";
  const cors = parseCorsOrigins(CORS_ORIGINS, rest.NODE_ENV);
  const webhookAllowedHosts = parseAllowedHosts(WEBHOOK_ALLOWED_HOSTS);
  const replicaUrls = parseReplicaUrls(DATABASE_REPLICA_URLS, rest.DATABASE_URL);
  return { ...rest, cors, jwtKeys, seedDemo, countSqlStatements, explorer, webhookAllowedHosts, replicaUrls };
}
