// One audited, optimistic-concurrency change of a row: read it inside the viewer's scope (NOT_FOUND
// otherwise), refuse a stale version (CONFLICT), write with the version in the WHERE (a concurrent writer
// that read the same version loses there), audit before/after — all in the caller's transaction.
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
  /** writes `data` where id and version match; returns how many rows it changed */
  write: (tx: Tx, data: Data, version: number) => Promise<number>;
  reload: (tx: Tx, id: string) => Promise<Row>;
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
  if ((await spec.write(tx, data, spec.version)) !== 1) throw stale();
  const after = await spec.reload(tx, before.id);
  await recordAudit(tx, viewer, { entity: spec.entity, entityId: before.id, action: spec.action, before, after });
  return after;
}
