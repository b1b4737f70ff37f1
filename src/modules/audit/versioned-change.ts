// One audited, optimistic-concurrency change of a row: read it inside the viewer's scope (NOT_FOUND
// otherwise), refuse a stale version (CONFLICT), write with the version in the WHERE (a concurrent writer
// that read the same version loses there) and read the row back from that same statement (RETURNING),
// audit before/after — all in the caller's transaction. Every versioned update of the API goes through here.
import type { Viewer } from "../../auth/viewer.js";
import type { Prisma } from "../../db/generated/client.js";
import { conflict, notFound } from "../../graphql/errors.js";
import { recordAudit } from "./audit.service.js";

type Tx = Prisma.TransactionClient;

export interface VersionedChange<Row extends { id: string; version: number }, Data> {
  entity: string;
  action: string;
  version: number;
  /** the row, read inside the viewer's scope */
  find: (tx: Tx) => Promise<Row | null>;
  /** the data to write, after the business checks (which throw) */
  change: (before: Row, tx: Tx) => Data | Promise<Data>;
  /** writes `data` (and the next version) where id and version match; returns the rows it changed */
  write: (tx: Tx, data: Data, version: number) => Promise<Row[]>;
  /** what follows the write in the same transaction (history rows, records the change creates) */
  afterWrite?: (tx: Tx, before: Row, after: Row) => Promise<void>;
}

export async function applyVersionedChange<Row extends { id: string; version: number }, Data>(
  tx: Tx,
  viewer: Viewer,
  spec: VersionedChange<Row, Data>,
): Promise<Row> {
  const before = await spec.find(tx);
  if (!before) throw notFound(spec.entity);
  const stale = () => conflict(`${spec.entity} was changed by someone else (version ${before.version}, you sent ${spec.version})`, { currentVersion: before.version });
  if (before.version !== spec.version) throw stale();
  const data = await spec.change(before, tx);
  const [after] = await spec.write(tx, data, spec.version);
  if (!after) throw stale();
  await spec.afterWrite?.(tx, before, after);
  await recordAudit(tx, viewer, { entity: spec.entity, entityId: before.id, action: spec.action, before, after });
  return after;
}
