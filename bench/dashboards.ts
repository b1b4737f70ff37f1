// `node dist/bench/dashboards.js [--runs 20] [--period TRAILING_12_MONTHS] [--database-url URL] [--ours-entry path]`
// (built by `npm run bench:dashboards`). Issue 7 acceptance 2: each dashboard, company scope, over a period,
// asked by head office one request at a time, `--runs` times after one warm-up: median and p95 latency.
// Every field of each dashboard is selected (read from introspection, so the script follows the schema).
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../src/config/paths.js";
import { BENCH_PASSWORD } from "../scripts/generate/bench-company.js";
import { DEFAULT_BENCH_DATABASE_URL, readDataSetInfo } from "../scripts/generate/load.js";
import { percentile, postGraphql as post, startOursOnDataSet, stopChild } from "./harness.js";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "20" },
    period: { type: "string", default: "TRAILING_12_MONTHS" },
    "database-url": { type: "string", default: DEFAULT_BENCH_DATABASE_URL },
    "ours-entry": { type: "string" },
    only: { type: "string" },
  },
});

const DASHBOARDS = ["activityDashboard", "organisationDashboard", "dataHealthDashboard", "fieldDynamicsDashboard"];

interface IntrospectedType {
  name: string;
  kind: string;
  fields: { name: string; args: { name: string; type: { kind: string } }[]; type: TypeRef }[] | null;
}
interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}

const named = (ref: TypeRef): TypeRef => (ref.ofType ? named(ref.ofType) : ref);

/** Every field without required arguments, objects expanded (depth-limited: no cycles in dashboards). */
function selection(types: Map<string, IntrospectedType>, typeName: string, depth = 0): string {
  const type = types.get(typeName)!;
  const parts: string[] = [];
  for (const field of type.fields ?? []) {
    if (field.args.some((a) => a.type.kind === "NON_NULL")) continue;
    const target = named(field.type);
    if (target.kind === "OBJECT") {
      if (depth < 3) parts.push(`${field.name} { ${selection(types, target.name!, depth + 1)} }`);
    } else if (target.kind === "INTERFACE" || target.kind === "UNION") {
      parts.push(`${field.name} { __typename }`);
    } else {
      parts.push(field.name);
    }
  }
  return parts.length ? parts.join(" ") : "__typename";
}

async function main(): Promise<void> {
  const url = args["database-url"]!;
  const info = await readDataSetInfo(url);
  if (!info) throw new Error(`no generated data set in ${url}: run npm run generate first`);
  const ours = await startOursOnDataSet(url, path.resolve(args["ours-entry"] ?? path.join(PROJECT_ROOT, "dist/src/main.js")));
  const port = ours.port;
  try {
    const login = JSON.parse(
      (await post(port, { query: `mutation { login(email: ${JSON.stringify(info.headOfficeEmail)}, password: ${JSON.stringify(BENCH_PASSWORD)}) { token } }` })).text,
    ) as { data: { login: { token: string } } };
    const token = login.data.login.token;
    const introspection = JSON.parse(
      (await post(port, { query: `{ __schema { types { name kind fields { name args { name type { kind } } type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }` }, token)).text,
    ) as { data: { __schema: { types: IntrospectedType[] } } };
    const types = new Map(introspection.data.__schema.types.map((t) => [t.name, t]));
    const queryFields = new Map((types.get("Query")!.fields ?? []).map((f) => [f.name, f]));
    const runs = Number(args.runs);
    const only = args.only ? new Set(args.only.split(",")) : null;
    console.log(`# Dashboards, company scope, ${args.period}, head office, ${runs} sequential runs after 1 warm-up`);
    console.log(`${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}; data set generated ${info.today}\n`);
    console.log("| dashboard | median ms | p95 ms | min ms | max ms | SQL stmts | bytes |");
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const name of DASHBOARDS) {
      if (only && !only.has(name)) continue;
      const field = queryFields.get(name);
      if (!field) {
        console.log(`| ${name} | n/a (not in the schema) | | | | | |`);
        continue;
      }
      const hasPeriod = field.args.some((a) => a.name === "period");
      const call = `${name}(scope: { kind: COMPANY }${hasPeriod ? `, period: { preset: ${args.period} }` : ""})`;
      const query = `query Dashboard { ${call} { ${selection(types, named(field.type).name!)} } }`;
      const times: number[] = [];
      let statements = "?";
      let bytes = 0;
      let error: string | null = null;
      for (let i = 0; i <= runs; i += 1) {
        const started = performance.now();
        const answer = await post(port, { query }, token);
        const ms = performance.now() - started;
        if (answer.text.includes('"errors":[')) {
          error = answer.text.slice(0, 300).replace(/\|/g, "/").replace(/\n/g, " ");
          break;
        }
        statements = answer.headers.get("x-sql-statements") ?? "?";
        bytes = answer.text.length;
        if (i > 0) times.push(ms); // the first is a warm-up
      }
      if (error) {
        console.log(`| ${name} | failed: ${error} | | | | | |`);
        console.error(ours.output.join("").slice(-1500));
        continue;
      }
      const sorted = [...times].sort((a, b) => a - b);
      const fmt = (n: number) => n.toFixed(1);
      console.log(`| ${name} | ${fmt(percentile(sorted, 50))} | ${fmt(percentile(sorted, 95))} | ${fmt(sorted[0]!)} | ${fmt(sorted.at(-1)!)} | ${statements} | ${bytes} |`);
    }
  } finally {
    await stopChild(ours);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
