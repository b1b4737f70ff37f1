// Every write is audited in the same transaction as the write: who (user or token jti), what, before/after.
// The audit trail is also the change feed's outbox (src/modules/changes): one record of change, so the two
// can never disagree; each event carries the changed field names and the row's version for the feed.
import { actorOf, type Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";

type Tx = Prisma.TransactionClient;

export interface AuditEntry {
  entity: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

type Actor = { actorId: string | null; tokenJti: string | null };

const asJson = (value: unknown) => (value === undefined || value === null ? undefined : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Top-level fields whose stored value differs (all of them for a creation or a removal); the version
 * counter itself is not a change of content. */
export function changedFieldsOf(before: unknown, after: unknown): string[] {
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  keys.delete("version");
  keys.delete("updatedAt");
  return [...keys].filter((key) => JSON.stringify(b[key]) !== JSON.stringify(a[key])).sort();
}

function eventData(actor: Actor, entry: AuditEntry): Prisma.AuditEventCreateManyInput {
  const before = asJson(entry.before);
  const after = asJson(entry.after);
  const version = isRecord(entry.after) && typeof entry.after.version === "number" ? entry.after.version : null;
  return {
    ...actor,
    entity: entry.entity,
    entityId: entry.entityId,
    action: entry.action,
    before,
    after,
    changedFields: changedFieldsOf(before, after),
    version,
  };
}

export function recordAudit(tx: Tx, viewer: Viewer, entry: AuditEntry): Promise<void> {
  return recordAuditBy(tx, actorOf(viewer), entry);
}

/** Several events of one write (an import's rows) in one statement. */
export function recordAudits(tx: Tx, viewer: Viewer, entries: readonly AuditEntry[]): Promise<void> {
  return recordAuditsBy(tx, actorOf(viewer), entries);
}

/** Several events of one write outside a request (a scheduled job): the actor is given, null for the system. */
export async function recordAuditsBy(tx: Tx, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await tx.auditEvent.createMany({ data: entries.map((entry) => eventData(actor, entry)) });
}

/** For writes outside a request (admin commands): the actor is given, null for the operator of the command. */
export async function recordAuditBy(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: eventData(actor, entry) });
}
