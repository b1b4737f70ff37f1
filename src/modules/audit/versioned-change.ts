// One audited, optimistic-concurrency change of a row: read it inside the viewer's scope (NOT_FOUND
// otherwise), refuse a stale version (CONFLICT), write with the version in the WHERE (a concurrent writer
// that read the same version loses there) and read the row back from that same statement (RETURNING),
// audit before/after — all in the caller's transaction. Every versioned update of the API goes through
// here: the guarded statement is built below, once, and callers name only the table it runs on.
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import { conflict, notFound } from "../../errors/api-errors.js";
import { recordAudit } from "./audit.service.js";

type Tx = Prisma.TransactionClient;

/** What the guarded write needs of a Prisma model delegate (tx.task, tx.visit…). */
export interface VersionedTable<Row, Data, Select = undefined> {
  updateManyAndReturn(args: { where: { id: string; version: number }; data: Data & { version: { increment: number } }; select?: Select }): PromiseLike<Row[]>;
}

export interface VersionedChange<Row extends { id: string; version: number }, Data, Select = undefined> {
  entity: string;
  action: string;
  /** the version the client read; null for a change no client version comes with (a steward's approval
   * applying a request): the row's current version then guards against concurrent writers all the same */
  version: number | null;
  /** the row, read inside the viewer's scope */
  find: (tx: Tx) => Promise<Row | null>;
  /** the table written, e.g. `(tx) => tx.task` */
  table: (tx: Tx) => VersionedTable<Row, Data, Select>;
  /** the columns read back (and audited) when not all of them may be, e.g. no password hash */
  select?: Select;
  /** a state the row must still be in when written (e.g. a request still PENDING): refused as stale otherwise */
  still?: Record<string, unknown>;
  /** the data to write, after the business checks (which throw) */
  change: (before: Row, tx: Tx) => Data | Promise<Data>;
  /** history rows that follow the write in the same transaction, before the audit */
  afterWrite?: (tx: Tx, before: Row, after: Row) => Promise<void>;
}

export async function applyVersionedChange<Row extends { id: string; version: number }, Data, Select = undefined>(
  tx: Tx,
  viewer: Viewer,
  spec: VersionedChange<Row, Data, Select>,
): Promise<Row> {
  const before = await spec.find(tx);
  if (!before) throw notFound(spec.entity);
  const expected = spec.version ?? before.version;
  const stale = () => conflict(`${spec.entity} was changed by someone else (version ${before.version}, you sent ${expected})`, { currentVersion: before.version });
  if (before.version !== expected) throw stale();
  const data = await spec.change(before, tx);
  const [after] = await spec.table(tx).updateManyAndReturn({
    where: { id: before.id, version: expected, ...spec.still },
    data: { ...data, version: { increment: 1 } },
    ...(spec.select ? { select: spec.select } : {}),
  });
  if (!after) throw stale();
  await spec.afterWrite?.(tx, before, after);
  await recordAudit(tx, viewer, { entity: spec.entity, entityId: before.id, action: spec.action, before, after });
  return after;
}
