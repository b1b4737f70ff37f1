// What every resolver and service receives for one request.
import DataLoader from "dataloader";
import type { JwtSettings } from "../auth/jwt.js";
import type { LoginThrottle } from "./login-throttle.js";
import type { ReadPolicy } from "../auth/read-policy.js";
import type { RequestScope } from "../auth/scope/request-scope.js";
import type { Viewer } from "../auth/viewer.js";
import type { Db } from "../db/client.js";
import type { ConfigurationCache } from "../db/configuration-cache.js";

export interface RequestContext {
  requestId: string;
  viewer: Viewer | null;
  /** the viewer's row-level scope (null for an anonymous request) */
  scope: RequestScope | null;
  /** the primary; for a GraphQL query, a read replica's client when one serves it (src/graphql/read-routing.ts) */
  db: Db;
  /** Notes that this request's principal has written: its reads see its own writes (read-your-writes). */
  noteWrite: () => Promise<void>;
  /** the request's clock: every "today" in a request is the same day */
  now: Date;
  today: Date;
  loaders: RequestLoaders;
  /** which fields of which entity the viewer may read: what side paths (audit, timeline) show */
  readPolicy: ReadPolicy;
  /** the columns side paths show cut per reader (custom values): see visibleImage (src/graphql/side-image.ts) */
  columnCuts: ColumnCuts;
  /** token signing settings (login, API tokens) */
  jwt: JwtSettings;
  /** the caller's address (the connection's, never a client-sent header) */
  clientIp: string;
  /** counts failed logins per account and address */
  loginThrottle: LoginThrottle;
  /** drops this instance's cached token state at once (other instances follow within the cache time) */
  forgetTokenState: () => void;
  /** this instance's copy of the configuration tables (CONFIGURATION_CACHE_MS) */
  configuration: ConfigurationCache;
  /** how far back a change-feed cursor may resume (older: the reader downloads again) */
  changeFeed: { retentionDays: number };
  /** how long a deleted record stays restorable in the recycle bin */
  trash: { retentionDays: number };
  /** where webhooks may be sent (SSRF): production refuses internal addresses unless the host is listed */
  webhookAddresses: { production: boolean; allowedHosts: readonly string[] };
  /** only for a GraphQL subscription (a long-lived operation over WebSocket) */
  live?: LiveSession;
}

/** What a subscription has beyond a request's context: news of changes, and a context kept current. */
export interface LiveSession {
  /**
   * Resolves once there is news of committed changes (from any instance) since the subscription started or
   * this last resolved — at once if some came meanwhile — after the poll interval at the latest, or when the subscription ends.
   */
  nextChange(): Promise<void>;
  /**
   * Authenticates the connection's principal again and renews this context in place (clock, day, scope,
   * loaders), so each event is read as a request made now would be. False once the token no longer holds
   * (expired, revoked, user deactivated): the subscription must end.
   */
  renew(): Promise<boolean>;
  /** fires when the client stops the subscription or the connection closes */
  ended: AbortSignal;
  /** ends the session now (the subscription was stopped): a pending wait returns at once */
  end(): void;
}

/**
 * A stored column that a side path (audit before/after, a webhook's node) shows only in part, cut for each reader
 * by the module that owns its rule (custom values, key by key, by their definitions): the GraphQL field that
 * carries it, and what of a stored value this reader may see (undefined: nothing).
 */
export interface ColumnCut {
  field: string;
  visible(ctx: AuthedContext, stored: unknown): Promise<unknown>;
}

/** entity (as the audit trail records it) → column → its cut */
export type ColumnCuts = Record<string, Record<string, ColumnCut>>;

/** A context whose viewer is known (rules have run). */
export type AuthedContext = RequestContext & { viewer: Viewer; scope: RequestScope };

export type LoaderFactory<K, V> = (ctx: RequestContext) => DataLoader<K, V, string>;

/** Request-scoped DataLoaders, created on first use: modules declare factories, not a central list. */
export class RequestLoaders {
  private readonly loaders = new Map<LoaderFactory<never, unknown>, DataLoader<never, unknown, string>>();

  constructor(private readonly ctx: () => RequestContext) {}

  get<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V, string> {
    let loader = this.loaders.get(factory as LoaderFactory<never, unknown>);
    if (!loader) {
      loader = factory(this.ctx()) as unknown as DataLoader<never, unknown, string>;
      this.loaders.set(factory as LoaderFactory<never, unknown>, loader);
    }
    return loader as unknown as DataLoader<K, V, string>;
  }
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Groups rows by a key, in the order of `keys` (what a DataLoader batch function must return). */
export function groupByKey<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

export function indexByKey<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | null)[] {
  const index = new Map<K, T>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key) ?? null);
}
