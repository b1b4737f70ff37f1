// For the webhook tests: a receiver on 127.0.0.1 that records each request and verifies its signature with the
// standardwebhooks package (the subscription's secret), as a receiver following the standard would; and a wait
// until the change feed can read every event written so far.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import type { TestServer } from "./server.js";

type Data = Record<string, any>;

export interface Received {
  id: string;
  body: Data;
  verified: boolean;
}

/** A receiver on 127.0.0.1: answers with `respond` (a status, or "hang": never answers), verifies signatures. */
export class Receiver {
  readonly received: Received[] = [];
  respond: () => number | "hang" = () => 200;
  secret = "";
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let verified = false;
      try {
        new Webhook(this.secret).verify(raw, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      this.received.push({ id: String(req.headers["webhook-id"]), body: JSON.parse(raw) as Data, verified });
      const answer = this.respond();
      this.arrived?.();
      if (answer === "hang") return;
      res.statusCode = answer;
      res.end("ok");
    });
  });
  private arrived: (() => void) | null = null;
  url = "";

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Resolves when the next request has arrived. */
  next(): Promise<void> {
    return new Promise((resolve) => (this.arrived = resolve));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Waits until the feed can read every event written so far: it reads below the oldest transaction still
 * open on the PostgreSQL server (any database's), so another client's long transaction holds it back.
 */
export async function feedReadsAll(server: TestServer): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const [row] = await server.database.prisma.$queryRaw<{ ready: boolean }[]>`
      SELECT coalesce(max("txid"), 0) < pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS ready FROM "AuditEvent"`;
    if (row!.ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("a transaction stayed open for a minute: the change feed could not move on");
}
