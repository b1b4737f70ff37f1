// `npm run bench [-- --quick] [--seconds N] [--rounds N] [--warmup N] [--connections N] [--only a,b] [--organisations N]
//                [--database-url URL] [--profile OPERATION] [--ours-entry path/to/main.js] [--targets ours,postgraphile,raw]`
// Generates the data set when missing, starts our server, PostGraphile and the raw-SQL floor on the same
// database, drives each operation over HTTP at fixed concurrency and prints medians of several rounds.
import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { PROJECT_ROOT } from "../src/config/paths.js";
import { toGlobalId } from "../src/graphql/relay.js";
import { BENCH_PASSWORD } from "../scripts/generate/bench-company.js";
import { DEFAULT_BENCH_DATABASE_URL, generateDataSet, readDataSetInfo } from "../scripts/generate/load.js";
import { freePort, load, median, startChild, stopChild, waitUntilReady, type Child, type HttpRequest, type RunResult } from "./harness.js";
import { OPERATIONS, POSTGRAPHILE_FUNCTIONS_SQL, type Fixture, type GraphQLCall, type Operation, type Variant } from "./operations.js";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    organisations: { type: "string" },
    seconds: { type: "string" },
    rounds: { type: "string" },
    /** seconds of unrecorded load per operation and target first (V8 and graphql-jit compile, pools fill) */
    warmup: { type: "string" },
    connections: { type: "string", default: "10" },
    only: { type: "string" },
    targets: { type: "string", default: "ours,postgraphile,raw" },
    "database-url": { type: "string" },
    profile: { type: "string" },
    /** another build of our server to compare (an experiment); default dist/src/main.js */
    "ours-entry": { type: "string" },
    seed: { type: "string", default: "20261122" },
  },
});

const quick = args.quick === true;
const organisations = Number(args.organisations ?? (quick ? 5_000 : 100_000));
const seconds = Number(args.seconds ?? (quick ? 1 : 8));
const rounds = Number(args.rounds ?? (quick ? 2 : 3));
const warmupSeconds = Number(args.warmup ?? (quick ? 0.5 : 2));
const connections = Number(args.connections);
const url = args["database-url"] ?? (quick ? DEFAULT_BENCH_DATABASE_URL.replace(/crm_bench$/, "crm_bench_quick") : DEFAULT_BENCH_DATABASE_URL);
const only = args.only ? new Set(args.only.split(",")) : null;
// a fresh key per run: a key written in the source would be public
const JWT_SECRET = randomBytes(48).toString("base64url");

type Target = "ours" | "postgraphile" | "raw";
const TARGETS = (["ours", "postgraphile", "raw"] as Target[]).filter((t) => args.targets!.split(",").includes(t));
const log = (line: string) => console.error(line);

async function main(): Promise<void> {
  const started = performance.now();
  log(`bench: ${organisations.toLocaleString("en")} organisations, ${connections} connections, ${rounds} rounds × ${seconds} s per operation and target after ${warmupSeconds} s of warm-up; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);

  // 1. The data set (generated when missing or of another size)
  let info = await readDataSetInfo(url);
  if (!info || info.organisations !== organisations) {
    log(`generating the data set into ${url}…`);
    info = await generateDataSet({ url, organisations, seed: Number(args.seed), today: new Date(new Date().toISOString().slice(0, 10)), log });
  }
  log(`data set: ${Object.values(info.rows).reduce((a, b) => a + b, 0).toLocaleString("en")} rows (generated ${info.today}, seed ${info.seed})`);
  const db = new pg.Pool({ connectionString: url, max: 2 });
  await db.query(POSTGRAPHILE_FUNCTIONS_SQL);

  // 2. The three servers, each in its own process
  const [oursPort, peerPort, rawPort] = [await freePort(), await freePort(), await freePort()];
  const profileDir = path.join(PROJECT_ROOT, "bench", "profiles");
  const children: Child[] = [];
  const oursEnv: Record<string, string> = {
    DATABASE_URL: url,
    SEED_DEMO: "never",
    JWT_KEYS: `bench:${JWT_SECRET}`,
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
    DATABASE_POOL_SIZE: "10",
    MAX_QUERY_COST: "10000000",
    MAX_TOKENS: "100000",
    // the benchmark measures throughput, not the rate limiter
    RATE_LIMIT_POINTS: "1000000000000",
  };
  const oursEntry = path.resolve(args["ours-entry"] ?? path.join(PROJECT_ROOT, "dist/src/main.js"));
  const ours = startChild("ours", [...(args.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), oursEntry], { ...oursEnv, PORT: String(oursPort) }, oursPort);
  // Statement counting costs CPU (AsyncLocalStorage), so it is off in the loaded server as in production;
  // a second, idle instance with it on answers each check request once for the "SQL stmts/req" column.
  // Both start at once: the generator migrated the database, so neither has a migration to apply.
  const countingPort = await freePort();
  const oursCounting = startChild("ours-counting", [oursEntry], { ...oursEnv, PORT: String(countingPort), SQL_STATEMENT_COUNTING: "on", DATABASE_POOL_SIZE: "2" }, countingPort);
  const peer = startChild("postgraphile", [path.join(PROJECT_ROOT, "dist/bench/postgraphile-server.js")], { DATABASE_URL: url, PORT: String(peerPort), NODE_ENV: "production" }, peerPort);
  const raw = startChild("raw", [path.join(PROJECT_ROOT, "dist/bench/raw-sql-server.js")], { DATABASE_URL: url, PORT: String(rawPort), POOL_SIZE: "10" }, rawPort);
  children.push(ours, oursCounting, peer, raw);
  const byTarget: Record<Target, Child> = { ours, postgraphile: peer, raw };
  try {
    await Promise.all([
      waitUntilReady(ours, async () => (await fetch(`http://127.0.0.1:${oursPort}/ready`)).ok),
      waitUntilReady(oursCounting, async () => (await fetch(`http://127.0.0.1:${countingPort}/ready`)).ok),
      waitUntilReady(peer, async () => (await graphql(peerPort, { query: "{ __typename }" })).ok),
      waitUntilReady(raw, async () => (await fetch(`http://127.0.0.1:${rawPort}/health`)).ok),
    ]);
    log(`servers ready (ours :${oursPort}, postgraphile :${peerPort}, raw SQL :${rawPort})`);

    // 3. Who logs in and what they look at
    const fixture = await buildFixture(db, oursPort, info.repEmails[0]!, info.headOfficeEmail, info.today);
    const schema = await ourSchemaCoordinates(oursPort, fixture.tokens.rep);

    // 4. Each operation: choose the variant, check every target answers correctly once, then load it
    const reports: string[] = [];
    const summary: SummaryRow[] = [];
    for (const operation of OPERATIONS) {
      if (only && !only.has(operation.name)) continue;
      const supported = operation.variants.find((v) => v.requires.every((c) => schema.has(c)));
      const variant = supported ?? operation.variants[0]!;
      const counters: Record<Target, number> = { ours: 0, postgraphile: 0, raw: 0 };
      const makers: Partial<Record<Target, () => HttpRequest>> = {};
      if (supported?.ours) makers.ours = () => graphqlRequest(variant.ours!(fixture, counters.ours++), fixture, true);
      if (variant.postgraphile) makers.postgraphile = () => graphqlRequest(variant.postgraphile!(fixture, counters.postgraphile++), fixture, false);
      if (variant.raw) makers.raw = () => ({ path: `/op/${operation.name}`, headers: { "content-type": "application/json" }, body: JSON.stringify(variant.raw!(fixture, counters.raw++)) });

      const checks: Partial<Record<Target, { statements: string; bytes: number; error: string | null }>> = {};
      for (const target of TARGETS) {
        const make = makers[target];
        if (!make) continue;
        // a previous operation may still hold the database (timed-out dashboards…): retry a few times
        for (let attempt = 0; attempt < 4; attempt += 1) {
          if (attempt) await new Promise((r) => setTimeout(r, 5_000));
          checks[target] = await checkOnce(byTarget[target].port, make());
          if (!checks[target]!.error) break;
        }
        if (target === "ours" && !checks.ours!.error) checks.ours!.statements = (await checkOnce(countingPort, make())).statements;
        if (checks[target]!.error) {
          delete makers[target];
          log(`${target} failed ${operation.name}: ${checks[target]!.error}\n${byTarget[target].output.join("").slice(-2000)}`);
        }
      }
      const runs: Partial<Record<Target, RunResult[]>> = {};
      if (args.profile === operation.name) log(`profiling ours during ${operation.name} (profile written to bench/profiles at exit)`);
      for (const target of TARGETS) {
        const make = makers[target];
        if (make && warmupSeconds > 0) await load({ port: byTarget[target].port, connections, seconds: warmupSeconds, next: make, pid: byTarget[target].process.pid });
      }
      for (let round = 0; round < rounds; round += 1) {
        for (const target of TARGETS) {
          const make = makers[target];
          if (!make) continue;
          const result = await load({ port: byTarget[target].port, connections, seconds, next: make, pid: byTarget[target].process.pid });
          (runs[target] ??= []).push(result);
        }
      }
      const report = formatOperation(operation, variant, supported !== undefined, checks, runs);
      reports.push(report.text);
      summary.push(report.summary);
      console.log(report.text);
    }
    console.log(formatSummary(summary));
    console.log(`\n${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average at the end ${loadavg().map((l) => l.toFixed(1)).join(" ")}; ` +
      `${connections} connections, ${warmupSeconds} s warm-up then ${rounds} rounds × ${seconds} s, medians; data set ${organisations.toLocaleString("en")} organisations; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await Promise.all(children.map(stopChild));
    await db.end();
  }
}

function graphql(port: number, call: GraphQLCall, token?: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: call.query, variables: call.variables ?? {} }),
  });
}

function graphqlRequest(call: GraphQLCall, fixture: Fixture, authenticated: boolean): HttpRequest {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authenticated) headers.authorization = `Bearer ${fixture.tokens[call.as ?? "rep"]}`;
  return { path: "/graphql", headers, body: JSON.stringify({ query: call.query, variables: call.variables ?? {} }) };
}

async function checkOnce(port: number, request: HttpRequest) {
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, { method: "POST", headers: request.headers, body: request.body });
  const text = await response.text();
  const error = response.status !== 200 || text.includes('"errors":[') ? `HTTP ${response.status}: ${text.slice(0, 400)}` : null;
  return { statements: response.headers.get("x-sql-statements") ?? "?", bytes: text.length, error };
}

async function login(port: number, email: string): Promise<string> {
  const response = await graphql(port, { query: `mutation { login(email: ${JSON.stringify(email)}, password: ${JSON.stringify(BENCH_PASSWORD)}) { token } }` });
  const body = (await response.json()) as { data?: { login?: { token: string } }; errors?: unknown };
  if (!body.data?.login?.token) throw new Error(`login ${email} failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.token;
}

async function buildFixture(db: pg.Pool, port: number, repEmail: string, headOfficeEmail: string, today: string): Promise<Fixture> {
  const rep = (await db.query<{ id: string; teamId: string }>(`SELECT id, "teamId" FROM "User" WHERE email = $1`, [repEmail])).rows[0]!;
  const manager = (await db.query<{ email: string }>(`SELECT u.email FROM "Team" t JOIN "User" u ON u.id = t."managerId" WHERE t.id = $1`, [rep.teamId])).rows[0]!;
  const teamRepIds = (await db.query<{ id: string }>(`SELECT id FROM "User" WHERE "teamId" = $1 AND role = 'REP' ORDER BY email`, [rep.teamId])).rows.map((r) => r.id);
  const inForce = `a."validFrom" <= $2::date AND (a."validTo" IS NULL OR a."validTo" > $2::date)`;
  // an ordinary customer of the rep: the first by name with a few opportunities
  const organisation = (await db.query<{ id: string }>(
    `SELECT o.id FROM "Organisation" o JOIN "OrganisationAssignment" a ON a."organisationId" = o.id AND a."repId" = $1 AND ${inForce}
      WHERE o.status = 'CLIENT' AND (SELECT count(*) FROM "Opportunity" p WHERE p."organisationId" = o.id) BETWEEN 5 AND 8
      ORDER BY o.name, o.id LIMIT 1`,
    [rep.id, today],
  )).rows[0]!;
  const contacts = (await db.query<{ id: string; version: number }>(
    `SELECT c.id, c.version FROM "Contact" c JOIN "OrganisationAssignment" a ON a."organisationId" = c."organisationId" AND a."repId" = $1 AND ${inForce}
      WHERE c."leftCompanyAt" IS NULL ORDER BY c.id LIMIT 2000`,
    [rep.id, today],
  )).rows;
  const peerContactIds = (await db.query<{ id: string }>(
    `SELECT c.id FROM "Contact" c WHERE NOT EXISTS (SELECT 1 FROM "OrganisationAssignment" a WHERE a."organisationId" = c."organisationId" AND a."repId" = $1) ORDER BY c.id LIMIT 4000`,
    [rep.id],
  )).rows.map((r) => r.id);
  // deals move between Qualification and Proposal: ours takes the rep's deals in either, the peers others
  const stages = (await db.query<{ id: string; name: string; defaultProbability: number }>(
    `SELECT id, name, "defaultProbability" FROM "PipelineStage" WHERE name IN ('Qualification', 'Proposal')`,
  )).rows;
  const stage = (name: string) => {
    const row = stages.find((s) => s.name === name)!;
    return { id: row.id, globalId: toGlobalId("PipelineStage", row.id), probability: row.defaultProbability };
  };
  const opportunities = (await db.query<{ id: string; version: number; stageId: string }>(
    `SELECT p.id, p.version, p."stageId" FROM "Opportunity" p JOIN "PipelineStage" s ON s.id = p."stageId"
      WHERE p."ownerId" = $1 AND p.status = 'OPEN' AND s.name IN ('Qualification', 'Proposal')
        AND EXISTS (SELECT 1 FROM "OrganisationAssignment" a WHERE a."organisationId" = p."organisationId" AND a."repId" = $1 AND ${inForce})
      ORDER BY p.id LIMIT 2000`,
    [rep.id, today],
  )).rows;
  const peerOpportunities = (await db.query<{ id: string; amount: string }>(
    `SELECT id, amount::text FROM "Opportunity" WHERE status = 'OPEN' AND "ownerId" <> $1 ORDER BY id LIMIT 4000`,
    [rep.id],
  )).rows;
  const visits = (await db.query<{ id: string; version: number }>(
    `SELECT v.id, v.version FROM "Visit" v WHERE v."repId" = $1 AND v.status <> 'CANCELLED' AND v."organisationId" IS NOT NULL
        AND EXISTS (SELECT 1 FROM "OrganisationAssignment" a WHERE a."organisationId" = v."organisationId" AND a."repId" = $1 AND ${inForce})
      ORDER BY v.id LIMIT 2000`,
    [rep.id, today],
  )).rows;
  const peerVisitIds = (await db.query<{ id: string }>(`SELECT id FROM "Visit" WHERE "repId" <> $1 ORDER BY id LIMIT 4000`, [rep.id])).rows.map((r) => r.id);
  const versioned = (type: string, rows: { id: string; version: number }[]) => rows.map((r) => ({ id: r.id, globalId: toGlobalId(type, r.id), version: r.version }));
  return {
    today,
    repId: rep.id,
    repGlobalId: toGlobalId("User", rep.id),
    teamId: rep.teamId,
    teamRepIds,
    organisationId: organisation.id,
    organisationGlobalId: toGlobalId("Organisation", organisation.id),
    searchText: "dupont",
    contacts: versioned("Contact", contacts),
    peerContactIds,
    opportunities: versioned("Opportunity", opportunities).map((deal, i) => ({ ...deal, stageId: opportunities[i]!.stageId })),
    peerOpportunities,
    visits: versioned("Visit", visits),
    peerVisitIds,
    stages: { from: stage("Qualification"), to: stage("Proposal") },
    tokens: { rep: await login(port, repEmail), manager: await login(port, manager.email), headOffice: await login(port, headOfficeEmail) },
  };
}

/** `Type.field` for every field and input field of our running schema. */
async function ourSchemaCoordinates(port: number, token: string): Promise<Set<string>> {
  const response = await graphql(port, { query: "{ __schema { types { name fields { name } inputFields { name } } } }" }, token);
  const body = (await response.json()) as { data: { __schema: { types: { name: string; fields: { name: string }[] | null; inputFields: { name: string }[] | null }[] } } };
  const coordinates = new Set<string>();
  for (const type of body.data.__schema.types) {
    for (const field of [...(type.fields ?? []), ...(type.inputFields ?? [])]) coordinates.add(`${type.name}.${field.name}`);
  }
  return coordinates;
}

interface SummaryRow {
  operation: string;
  oursRps: number;
  oursP95: number;
  rawP95: number;
  rawRps: number;
  peerRps: number;
  peerP95: number;
  oursCpu: number;
  peerCpu: number;
  rawCpu: number;
  kind: "read" | "write";
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? "n/a" : n.toFixed(digits));

function formatOperation(
  operation: Operation,
  variant: Variant,
  oursSupported: boolean,
  checks: Partial<Record<Target, { statements: string; bytes: number; error: string | null }>>,
  runs: Partial<Record<Target, RunResult[]>>,
): { text: string; summary: SummaryRow } {
  const lines = [`\n## ${operation.title}`, `variant: ${variant.label}${oursSupported ? "" : " (not in our schema yet: ours n/a)"}`, ""];
  lines.push("| target | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req | PostgreSQL CPU ms/req | SQL stmts/req | RSS MB (max) | bytes | errors |");
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  const med: Partial<Record<Target, { rps: number; p50: number; p95: number; p99: number; cpu: number; postgresCpu: number; rss: number }>> = {};
  for (const target of TARGETS) {
    const check = checks[target];
    const results = runs[target];
    if (!check) {
      lines.push(`| ${target} | n/a | | | | | | | | | |`);
      continue;
    }
    if (check.error || !results) {
      lines.push(`| ${target} | failed: ${(check.error ?? "no run").replace(/\|/g, "/").replace(/\n/g, " ").slice(0, 200)} | | | | | | | | | |`);
      continue;
    }
    const m = {
      rps: median(results.map((r) => r.rps)),
      p50: median(results.map((r) => r.p50)),
      p95: median(results.map((r) => r.p95)),
      p99: median(results.map((r) => r.p99)),
      cpu: median(results.map((r) => r.cpuMsPerRequest ?? NaN)),
      postgresCpu: median(results.map((r) => r.postgresCpuMsPerRequest ?? NaN)),
      rss: Math.max(...results.map((r) => r.rssMb ?? 0)),
    };
    med[target] = m;
    const errors = results.reduce((a, r) => a + r.errors, 0);
    const firstError = results.find((r) => r.firstError)?.firstError;
    lines.push(`| ${target} | ${fmt(m.rps)} | ${fmt(m.p50)} | ${fmt(m.p95)} | ${fmt(m.p99)} | ${fmt(m.cpu, 2)} | ${fmt(m.postgresCpu, 2)} | ${check.statements} | ${fmt(m.rss, 0)} | ${check.bytes} | ${errors}${firstError ? ` (${firstError.replace(/\|/g, "/").slice(0, 120)})` : ""} |`);
  }
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");
  lines.push("");
  lines.push(`ours / raw SQL: p95 ${ratio(med.ours?.p95, med.raw?.p95)}, throughput ${ratio(med.ours?.rps, med.raw?.rps)}; ` +
    `ours / PostGraphile: p95 ${ratio(med.ours?.p95, med.postgraphile?.p95)}, throughput ${ratio(med.ours?.rps, med.postgraphile?.rps)}, CPU ms/req ${ratio(med.ours?.cpu, med.postgraphile?.cpu)}`);
  return {
    text: lines.join("\n"),
    summary: {
      operation: operation.name,
      kind: operation.kind,
      oursRps: med.ours?.rps ?? NaN,
      oursP95: med.ours?.p95 ?? NaN,
      rawP95: med.raw?.p95 ?? NaN,
      rawRps: med.raw?.rps ?? NaN,
      peerRps: med.postgraphile?.rps ?? NaN,
      peerP95: med.postgraphile?.p95 ?? NaN,
      oursCpu: med.ours?.cpu ?? NaN,
      peerCpu: med.postgraphile?.cpu ?? NaN,
      rawCpu: med.raw?.cpu ?? NaN,
    },
  };
}

function formatSummary(rows: SummaryRow[]): string {
  const lines = ["\n## Summary (targets for reads: p95 within 3× of raw SQL, throughput ≥ PostGraphile)", ""];
  lines.push("| operation | ours req/s | PostGraphile req/s | raw req/s | ours p95 | PostGraphile p95 | raw p95 | ours/raw p95 | ours/PG req/s | CPU ms/req ours / PG / raw | targets |");
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const r of rows) {
    const vsRaw = r.oursP95 / r.rawP95;
    const vsPeer = r.oursRps / r.peerRps;
    const verdict = r.kind === "write" ? "(write)" : !Number.isFinite(r.oursP95) ? "ours n/a" :
      [Number.isFinite(vsRaw) ? (vsRaw <= 3 ? "p95 ✓" : "p95 ✗") : "p95 n/a", Number.isFinite(vsPeer) ? (vsPeer >= 1 ? "req/s ✓" : "req/s ✗") : "req/s n/a"].join(", ");
    lines.push(`| ${r.operation} | ${fmt(r.oursRps)} | ${fmt(r.peerRps)} | ${fmt(r.rawRps)} | ${fmt(r.oursP95)} | ${fmt(r.peerP95)} | ${fmt(r.rawP95)} | ${Number.isFinite(vsRaw) ? vsRaw.toFixed(2) + "×" : "n/a"} | ${Number.isFinite(vsPeer) ? vsPeer.toFixed(2) + "×" : "n/a"} | ${fmt(r.oursCpu, 2)} / ${fmt(r.peerCpu, 2)} / ${fmt(r.rawCpu, 2)} | ${verdict} |`);
  }
  return lines.join("\n");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  },
);
