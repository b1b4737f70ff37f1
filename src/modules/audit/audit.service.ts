// Every write is audited in the same transaction as the write: who (user or token jti), what, before/after.
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

const asJson = (value: unknown) => (value === undefined || value === null ? undefined : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue));

export function recordAudit(tx: Tx, viewer: Viewer, entry: AuditEntry): Promise<void> {
  return recordAuditBy(tx, actorOf(viewer), entry);
}

/** For writes outside a request (admin commands): the actor is given, null for the operator of the command. */
export async function recordAuditBy(tx: Tx, actor: { actorId: string | null; tokenJti: string | null }, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      ...actor,
      entity: entry.entity,
      entityId: entry.entityId,
      action: entry.action,
      before: asJson(entry.before),
      after: asJson(entry.after),
    },
  });
}
