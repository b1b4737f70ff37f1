// Measurement: child processes (start, wait until ready, RSS from /proc), one autocannon run at fixed
// concurrency with our own latency percentiles (autocannon reports p97.5, not p95), medians of rounds.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import autocannon from "autocannon";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Child {
  name: string;
  process: ChildProcess;
  port: number;
  output: string[];
}

export function startChild(name: string, args: string[], env: Record<string, string>, port: number): Child {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString("utf8"));
    if (output.length > 200) output.shift();
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { name, process: child, port, output };
}

export async function waitUntilReady(child: Child, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited (${child.process.exitCode}):\n${child.output.join("").slice(-3000)}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${child.name} not ready after ${timeoutMs} ms:\n${child.output.join("").slice(-3000)}`);
}

export async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.process.once("exit", () => resolve()));
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on Linux unless configured otherwise). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time of a process in ms (/proc/<pid>/stat), null when it is gone. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14th and 15th
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** CPU time of every PostgreSQL process of this machine (the backends serving the loaded target), in ms. */
function postgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") total += processCpuMs(Number(entry)) ?? 0;
    } catch {
      // a process that ended meanwhile
    }
  }
  return total;
}

export interface HttpRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface RunResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  firstError: string | null;
  rssMb: number | null;
  /** CPU ms per request of the target's process, and of PostgreSQL (all its processes), over the run */
  cpuMsPerRequest: number | null;
  postgresCpuMsPerRequest: number | null;
}

/** The p-th percentile (nearest rank) of sorted values; NaN for none. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One load run: `connections` clients sending requests back to back for `seconds`. */
export async function load(options: {
  port: number;
  connections: number;
  seconds: number;
  next: () => HttpRequest;
  pid: number | undefined;
}): Promise<RunResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let maxRss = rssMb(options.pid) ?? 0;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssMb(options.pid) ?? 0)), 250);
  const cpuBefore = options.pid ? processCpuMs(options.pid) : null;
  const postgresBefore = postgresCpuMs();
  const noteError = (message: string) => {
    errors += 1;
    firstError ??= message.slice(0, 300);
  };
  const options_: autocannon.Options = {
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const next = options.next();
          return { ...request, path: next.path, headers: next.headers, body: next.body };
        },
        onResponse: (status, body) => {
          if (status !== 200) noteError(`HTTP ${status}: ${body}`);
          else if (body.startsWith('{"errors"') || body.includes('"errors":[')) noteError(body);
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options_, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
  clearInterval(sampler);
  const cpuAfter = options.pid ? processCpuMs(options.pid) : null;
  const perRequest = (ms: number | null) => (ms !== null && latencies.length ? ms / latencies.length : null);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / options.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: errors + result.errors + result.timeouts,
    firstError,
    rssMb: maxRss || null,
    cpuMsPerRequest: perRequest(cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null),
    postgresCpuMsPerRequest: perRequest(postgresCpuMs() - postgresBefore),
  };
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A GraphQL POST to a local server: the response headers and body text. */
export async function postGraphql(port: number, body: unknown, token?: string): Promise<{ headers: Headers; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { headers: response.headers, text: await response.text() };
}

/**
 * Our server on a generated data set, for the one-request-at-a-time figures (dashboards, custom fields):
 * production mode, no demo, statement counting on (x-sql-statements), limits out of the way, ready.
 */
export async function startOursOnDataSet(url: string, entry: string): Promise<Child> {
  const port = await freePort();
  const ours = startChild(
    "ours",
    [entry],
    {
      DATABASE_URL: url,
      SEED_DEMO: "never",
      PORT: String(port),
      JWT_KEYS: `bench:${randomBytes(48).toString("base64url")}`, // a fresh key per run: a key in the source would be public
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      SQL_STATEMENT_COUNTING: "on",
      MAX_QUERY_COST: "10000000",
      MAX_TOKENS: "100000",
      RATE_LIMIT_POINTS: "1000000000000",
    },
    port,
  );
  await waitUntilReady(ours, async () => (await fetch(`http://127.0.0.1:${port}/ready`)).ok);
  return ours;
}
