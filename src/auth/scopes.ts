// The catalogue of token scopes. A write scope implies reading what it writes.
export const SCOPES = {
  "organisations:read": "Read organisations inside the token's restriction (partners always have it).",
  "contacts:read": "Read contacts of visible organisations.",
  "contacts:write": "Create and update contacts of visible organisations.",
  "visits:write": "Plan, prepare and report visits inside the restriction.",
  "leads:write": "Create leads and organisation requests.",
  "opportunities:read": "Read opportunities and quotes (never revenue, orders or invoices for partners).",
  "opportunities:write": "Create and update opportunities inside the restriction.",
  "referential:read": "Read the whole validated referential (organisations, contacts): service tokens.",
  "export:read": "Bulk read for exports: service tokens.",
  "orders:import": "Import orders from the ERP: service tokens.",
  "invoices:import": "Import invoices from the ERP: service tokens.",
  "incidents:import": "Import incidents and alerts from support or logistics: service tokens.",
  "organisations:import": "Import and upsert organisations by external id (look-alikes go to the data stewards): service tokens.",
  "contacts:import": "Import and upsert contacts by external id: service tokens.",
  "webhooks:manage": "Manage the token's own webhook subscriptions (deliveries carry what the token may read): service tokens.",
} as const;

export type Scope = keyof typeof SCOPES;

export const PARTNER_SCOPES: readonly Scope[] = [
  "organisations:read",
  "contacts:read",
  "contacts:write",
  "visits:write",
  "leads:write",
  "opportunities:read",
  "opportunities:write",
];

export const SERVICE_SCOPES: readonly Scope[] = [
  "organisations:read",
  "contacts:read",
  "referential:read",
  "export:read",
  "orders:import",
  "invoices:import",
  "incidents:import",
  "organisations:import",
  "contacts:import",
  "webhooks:manage",
];

export const isScope = (value: string): value is Scope => Object.hasOwn(SCOPES, value);

/** Scopes a granted set implies: a write scope reads what it writes; bulk readers read the referential. */
export function expandScopes(granted: readonly string[]): Set<string> {
  const scopes = new Set(granted);
  if (scopes.has("contacts:write")) scopes.add("contacts:read");
  if (scopes.has("opportunities:write")) scopes.add("opportunities:read");
  // an import reads back what it wrote (and contacts belong to organisations)
  if (scopes.has("organisations:import")) scopes.add("organisations:read");
  if (scopes.has("contacts:import")) {
    scopes.add("contacts:read");
    scopes.add("organisations:read");
  }
  if (scopes.has("referential:read") || scopes.has("export:read")) {
    scopes.add("organisations:read");
    scopes.add("contacts:read");
  }
  return scopes;
}

/**
 * Scopes an issuer may delegate: only powers they hold themselves. Head office holds every power a token
 * can carry (SPEC §2: any partner or service token). A manager does what their reps do on the team's
 * portfolio (read organisations and deals, write contacts, visits, leads, deals) but never reads the whole
 * referential, exports or imports: those scopes are not theirs to give. Other roles issue nothing.
 */
export function delegableScopes(issuerKind: string): readonly Scope[] {
  if (issuerKind === "HEAD_OFFICE") return Object.keys(SCOPES) as Scope[];
  if (issuerKind === "MANAGER") return PARTNER_SCOPES;
  return [];
}
