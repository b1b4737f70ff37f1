// An import's upload is written to a temporary file before its rows are processed. Node's HTTP server
// gives a client `requestTimeout` (5 minutes) to send a whole request; reading the body only as fast as the
// rows are written would hold a 100 000-row upload open for longer than that and have it cut. Spooled, the
// upload takes what the network takes, the rows then stream from the file (memory stays flat), and the
// file is removed whatever happens. The size is capped (IMPORT_MAX_BYTES): a larger upload is refused
// with 413 before anything is written to the database.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ErrorCode } from "../../errors/api-errors.js";
import { ExchangeError } from "./exchange-schema.js";

export interface SpooledUpload {
  /** the upload, read back from the file */
  open(): Readable;
  /** removes the file (idempotent) */
  discard(): Promise<void>;
}

export function uploadTooLarge(maxBytes: number): ExchangeError {
  return new ExchangeError(413, { message: `Upload larger than ${maxBytes} bytes (IMPORT_MAX_BYTES)`, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: "upload", max: maxBytes } });
}

export async function spoolUpload(upload: Readable, maxBytes: number): Promise<SpooledUpload> {
  const directory = await mkdtemp(join(tmpdir(), "crm-import-"));
  const file = join(directory, "upload.csv");
  const discard = () => rm(directory, { recursive: true, force: true });
  let bytes = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > maxBytes ? uploadTooLarge(maxBytes) : null, chunk);
    },
  });
  // piped by hand, not through pipeline(): an upload over the cap must stay open to receive the 413
  upload.on("error", (error: Error) => capped.destroy(error));
  upload.on("close", () => {
    if (!upload.readableEnded) capped.destroy(new ExchangeError(400, { message: "The upload was interrupted", extensions: { code: "BAD_REQUEST" } }));
  });
  upload.pipe(capped);
  try {
    await pipeline(capped, createWriteStream(file));
  } catch (error) {
    upload.unpipe(capped);
    await discard();
    throw error;
  }
  return { open: () => createReadStream(file), discard };
}
