// Traces: with OTEL_EXPORTER_OTLP_ENDPOINT set, the built server (its own process, as deployed) exports
// over OTLP/HTTP to a collector this test runs; one GraphQL request yields the HTTP span, the operation's
// span named after it, and the database spans beneath, all in one trace whose id the response's error and
// the log lines carry. A fresh database: PGlite in a temporary folder, or a new one on TEST_DATABASE_URL.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config/paths.js";
import { createScratchDatabase } from "../support/database.js";

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string } }[];
}

const temporary = mkdtempSync(path.join(os.tmpdir(), "crm-tracing-"));
const spans: ExportedSpan[] = [];
let collector: http.Server;
let server: ChildProcess;
let output = "";
let port = 0;
let dropDatabase: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ["scripts/build-if-changed.mjs"], { cwd: PROJECT_ROOT });
  // a collector: OTLP/HTTP with JSON bodies (what the exporter sends)
  collector = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.url === "/v1/traces") {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
        for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  let databaseEnv: Record<string, string> = { DATA_DIR: path.join(temporary, "data") };
  if (process.env.TEST_DATABASE_URL) {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL, "crm_test_tracing");
    databaseEnv = { DATABASE_URL: scratch.url };
    dropDatabase = scratch.drop;
  }
  server = spawn(process.execPath, [path.join(PROJECT_ROOT, "dist/src/main.js")], {
    env: {
      PATH: process.env.PATH ?? "",
      PORT: "0",
      LOG_LEVEL: "info",
      SEED_DEMO: "never",
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      OTEL_BSP_SCHEDULE_DELAY: "100",
      ...databaseEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  port = await new Promise<number>((resolve, reject) => {
    server.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /GraphQL API ready at http:\/\/localhost:(\d+)\//.exec(output);
      if (match) resolve(Number(match[1]));
    });
    server.on("exit", (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
}, 600_000); // builds dist/ first when the sources changed (a fresh clone: the whole build)

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.on("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  collector?.close();
  await dropDatabase();
  rmSync(temporary, { recursive: true, force: true });
});

const attribute = (span: ExportedSpan, key: string) => span.attributes.find((a) => a.key === key)?.value.stringValue;

describe("tracing on (OTEL_EXPORTER_OTLP_ENDPOINT)", () => {
  it("exports HTTP → GraphQL operation → database spans of one request, and names the trace in the error and the logs", async () => {
    // a login with an unknown e-mail: the user is looked up in the database, and the answer is an error
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "mutation TracedLogin { login(email: \"nobody@example.com\", password: \"wrong\") { token } }" }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string; traceId?: string } }[] };
    const traceId = body.errors[0]!.extensions.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    // the batch processor sends within OTEL_BSP_SCHEDULE_DELAY; wait for the request's spans to arrive
    const inTrace = () => spans.filter((span) => span.traceId === traceId);
    const arrived = () => inTrace().some((span) => !span.parentSpanId) && inTrace().some((span) => span.name.startsWith("prisma:"));
    for (let i = 0; i < 200 && !arrived(); i++) await new Promise((r) => setTimeout(r, 50));
    const trace = inTrace();
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const ancestors = (span: ExportedSpan): ExportedSpan[] => {
      const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      return parent ? [parent, ...ancestors(parent)] : [];
    };

    const root = trace.find((span) => !span.parentSpanId);
    expect(root?.name).toMatch(/^POST/);
    expect(trace.filter((span) => span.parentSpanId && !byId.has(span.parentSpanId))).toEqual([]);
    const operation = trace.find((span) => span.name === "mutation TracedLogin");
    expect(operation && attribute(operation, "graphql.operation.name")).toBe("TracedLogin");
    expect(ancestors(operation!)).toContain(root);
    const queries = trace.filter((span) => span.name === "prisma:client:db_query" || span.name === "prisma:engine:db_query");
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.some((span) => ancestors(span).includes(operation!))).toBe(true);

    // the request's log line carries the same trace id
    const requestLine = output
      .split("\n")
      .filter((line) => line.includes('"msg":"request"') && line.includes('"path":"/graphql"'))
      .map((line) => JSON.parse(line) as { traceId?: string });
    expect(requestLine.map((line) => line.traceId)).toContain(traceId);
  });
});
