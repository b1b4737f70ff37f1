// The change feed's cursor: opaque to clients (base64url of a small JSON), resumable, and safe to forge — it
// only says where a reader stands; what the reader may see is decided again on every read.
//   t, s — the position: events after (transaction id, sequence) are still to come
//   d    — the reader's day at that position: changes of charge that take effect after it are still to come
//   b    — while those are being paged: the day they are read up to, and the last one given (sequence)
import { badInput } from "../../errors/api-errors.js";

export interface FeedCursor {
  txid: bigint;
  seq: bigint;
  day: string;
  block?: { until: string; seq: bigint };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INTEGER = /^\d{1,19}$/;

export function encodeCursor(cursor: FeedCursor): string {
  const json = { t: cursor.txid.toString(), s: cursor.seq.toString(), d: cursor.day, ...(cursor.block ? { b: [cursor.block.until, cursor.block.seq.toString()] } : {}) };
  return Buffer.from(JSON.stringify(json)).toString("base64url");
}

export function decodeCursor(text: string): FeedCursor {
  const refuse = () => badInput("Not a change feed cursor: use one that changes or changesCursor returned", { field: "after" });
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw refuse();
  }
  if (typeof json !== "object" || json === null) throw refuse();
  const { t, s, d, b } = json as Record<string, unknown>;
  if (typeof t !== "string" || !INTEGER.test(t) || typeof s !== "string" || !INTEGER.test(s) || typeof d !== "string" || !DAY.test(d)) throw refuse();
  if (b === undefined) return { txid: BigInt(t), seq: BigInt(s), day: d };
  if (!Array.isArray(b) || typeof b[0] !== "string" || !DAY.test(b[0]) || typeof b[1] !== "string" || !INTEGER.test(b[1])) throw refuse();
  return { txid: BigInt(t), seq: BigInt(s), day: d, block: { until: b[0], seq: BigInt(b[1]) } };
}
