// Streams rows into a table with COPY … FROM STDIN (text format), one connection per table, so that
// several tables load at once while the generator keeps producing rows.
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

export type Cell = string | number | boolean | Date | null | undefined | readonly string[];

const CHUNK_BYTES = 256 * 1024;

/** COPY text format: backslash, tab, newline and carriage return are escaped; null is \N. */
function escapeText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : value;
}

/** An array literal element: quoted when it holds anything PostgreSQL's array parser would split on. */
function arrayElement(value: string): string {
  return /^[A-Za-z0-9_.@:+-]+$/.test(value) ? value : `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function formatCell(cell: Cell): string {
  if (cell === null || cell === undefined) return "\\N";
  if (typeof cell === "string") return escapeText(cell);
  if (typeof cell === "number") return String(cell);
  if (typeof cell === "boolean") return cell ? "t" : "f";
  if (cell instanceof Date) return cell.toISOString();
  return escapeText(`{${cell.map(arrayElement).join(",")}}`);
}

export class CopyWriter {
  private buffer = "";
  rows = 0;
  private readonly stream: ReturnType<typeof copyFrom>;
  private readonly done: Promise<void>;

  constructor(client: pg.PoolClient, table: string, columns: readonly string[]) {
    this.stream = client.query(copyFrom(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`));
    this.done = new Promise((resolve, reject) => {
      this.stream.on("finish", () => resolve());
      this.stream.on("error", reject);
    });
    // an error surfaces at end(); keep Node from reporting it as unhandled meanwhile
    this.done.catch(() => undefined);
  }

  /** Queues one row; resolves at once unless the stream asks us to wait (backpressure). */
  push(cells: readonly Cell[]): Promise<void> | undefined {
    this.buffer += cells.map(formatCell).join("\t") + "\n";
    this.rows += 1;
    if (this.buffer.length < CHUNK_BYTES) return undefined;
    return this.flush();
  }

  private flush(): Promise<void> | undefined {
    const chunk = this.buffer;
    this.buffer = "";
    if (this.stream.write(chunk)) return undefined;
    return new Promise((resolve) => this.stream.once("drain", () => resolve()));
  }

  async end(): Promise<number> {
    if (this.buffer) await this.flush();
    this.stream.end();
    await this.done;
    return this.rows;
  }
}
