// The purge of the recycle bin: records deleted more than TRASH_RETENTION_DAYS ago are removed for good, with
// what only they held (a deal's quotes and their chases, its stage history and contact roles, a contact's
// roles on deals); tasks and material requests that pointed at a purged deal or visit stay, without the
// link. Each purged row leaves a "purge" event in the audit trail (no image: the record is gone). Runs in the
// processes that run the webhook loop, on the same clock (tests run passes themselves with a moved clock);
// rows are claimed FOR UPDATE SKIP LOCKED, so instances purging at once never collide.
import type { Db } from "../../db/client.js";
import { Prisma } from "../../db/generated/client.js";
import { recordAuditsBy, type AuditEntry } from "../audit/audit.service.js";
import { cutoffOf } from "./trash.service.js";
import { TrashEntity } from "./trash.type.js";
import { SerialPass } from "../../jobs/serial-pass.js";

const BATCH = 500;

export interface PurgeResult {
  contacts: number;
  opportunities: number;
  quotes: number;
  visits: number;
  tasks: number;
}

type Tx = Prisma.TransactionClient;

/** Up to BATCH ids of a table's rows deleted before the cutoff, locked for this transaction. */
async function due(tx: Tx, table: string, cutoff: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT x."id"::text AS id FROM ${Prisma.raw(`"${table}"`)} x WHERE x."deletedAt" <= ${cutoff}
     ORDER BY x."deletedAt", x."id" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
  return rows.map((row) => row.id);
}

/** Purged contacts leave the visits that named them (to meet, met), the other names keeping their order. */
async function forgetContactsInVisits(tx: Tx, contactIds: readonly string[]): Promise<void> {
  if (contactIds.length === 0) return;
  const ids = Prisma.sql`${[...contactIds]}::uuid[]`;
  const without = (column: string) =>
    Prisma.sql`ARRAY(SELECT c FROM unnest(${Prisma.raw(`"${column}"`)}) WITH ORDINALITY AS named(c, n) WHERE c <> ALL(${ids}) ORDER BY n)`;
  await tx.$executeRaw`
    UPDATE "Visit" SET "contactIdsToMeet" = ${without("contactIdsToMeet")}, "contactIdsMet" = ${without("contactIdsMet")}
     WHERE "contactIdsToMeet" && ${ids} OR "contactIdsMet" && ${ids}`;
}

/** One batch, in one transaction. */
async function purgeBatch(db: Db, cutoff: Date): Promise<PurgeResult> {
  return db.$transaction(async (tx) => {
    const opportunityIds = await due(tx, "Opportunity", cutoff);
    // a purged deal takes its quotes along, deleted or not (they were out of sight with it)
    const ownQuotes = await due(tx, "Quote", cutoff);
    const dealQuotes = opportunityIds.length ? await tx.quote.findMany({ where: { opportunityId: { in: opportunityIds } }, select: { id: true } }) : [];
    const quoteIds = [...new Set([...ownQuotes, ...dealQuotes.map((q) => q.id)])];
    const visitIds = await due(tx, "Visit", cutoff);
    const taskIds = await due(tx, "Task", cutoff);
    const contactIds = await due(tx, "Contact", cutoff);

    await tx.quoteChase.deleteMany({ where: { quoteId: { in: quoteIds } } });
    await tx.quote.deleteMany({ where: { id: { in: quoteIds } } });
    await tx.task.deleteMany({ where: { id: { in: taskIds } } });
    await tx.task.updateMany({ where: { opportunityId: { in: opportunityIds } }, data: { opportunityId: null } });
    await tx.lead.updateMany({ where: { opportunityId: { in: opportunityIds } }, data: { opportunityId: null } });
    // stage history and contact roles go with the deal (ON DELETE CASCADE)
    await tx.opportunity.deleteMany({ where: { id: { in: opportunityIds } } });
    await tx.task.updateMany({ where: { visitId: { in: visitIds } }, data: { visitId: null } });
    await tx.materialRequest.updateMany({ where: { visitId: { in: visitIds } }, data: { visitId: null } });
    await tx.visit.deleteMany({ where: { id: { in: visitIds } } });
    await tx.opportunityContact.deleteMany({ where: { contactId: { in: contactIds } } });
    await forgetContactsInVisits(tx, contactIds);
    await tx.contact.deleteMany({ where: { id: { in: contactIds } } });

    const purged = (entity: TrashEntity, ids: readonly string[]): AuditEntry[] => ids.map((entityId) => ({ entity, entityId, action: "purge" }));
    await recordAuditsBy(tx, { actorId: null, tokenJti: null }, [
      ...purged(TrashEntity.Opportunity, opportunityIds),
      ...purged(TrashEntity.Quote, quoteIds),
      ...purged(TrashEntity.Visit, visitIds),
      ...purged(TrashEntity.Task, taskIds),
      ...purged(TrashEntity.Contact, contactIds),
    ]);
    return { contacts: contactIds.length, opportunities: opportunityIds.length, quotes: quoteIds.length, visits: visitIds.length, tasks: taskIds.length };
  });
}

/** Purges everything past retention at `now`, batch after batch. */
export async function purgeTrash(db: Db, now: Date, retentionDays: number): Promise<PurgeResult> {
  const cutoff = cutoffOf(now, retentionDays);
  const total: PurgeResult = { contacts: 0, opportunities: 0, quotes: 0, visits: 0, tasks: 0 };
  for (;;) {
    const batch = await purgeBatch(db, cutoff);
    for (const key of Object.keys(total) as (keyof PurgeResult)[]) total[key] += batch[key];
    if (Object.values(batch).every((count) => count < BATCH)) return total;
  }
}

export interface TrashPurgerDeps {
  db: Db;
  clock: () => Date;
  retentionDays: number;
  onError(error: unknown, message: string): void;
}

/** The scheduled purge: a pass every `intervalMs` (the first after one interval), never two at once. */
export class TrashPurger {
  private readonly passes: SerialPass<PurgeResult>;

  constructor(deps: TrashPurgerDeps) {
    this.passes = new SerialPass(
      () => purgeTrash(deps.db, deps.clock(), deps.retentionDays),
      (error) => deps.onError(error, "trash purge failed"),
    );
  }

  start(intervalMs: number): void {
    this.passes.every(intervalMs);
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass at the clock's now (a second call waits for the first). */
  runPass(): Promise<PurgeResult> {
    return this.passes.run();
  }
}
