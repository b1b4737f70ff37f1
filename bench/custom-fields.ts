// `node dist/bench/custom-fields.js [--runs 20] [--database-url URL] [--ours-entry path]` (built by
// `npm run bench:custom-fields`). Issue 20's figures on the generated data set: head office defines an ENUM
// and a NUMBER on organisations and an ENUM on opportunities, every record gets values (set-up SQL, once),
// then, one request at a time, `--runs` times after 3 warm-ups (median and p95 latency):
//   - organisations filtered on the ENUM and a NUMBER range, for head office, a manager and a rep;
//   - opportunityAggregates by stage × expected close month over the company's deals (head office).
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { PROJECT_ROOT } from "../src/config/paths.js";
import { BENCH_PASSWORD } from "../scripts/generate/bench-company.js";
import { DEFAULT_BENCH_DATABASE_URL, readDataSetInfo } from "../scripts/generate/load.js";
import { percentile, postGraphql as post, startOursOnDataSet, stopChild } from "./harness.js";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "20" },
    "database-url": { type: "string", default: DEFAULT_BENCH_DATABASE_URL },
    "ours-entry": { type: "string" },
  },
});

const TIERS = ["A", "B", "C", "D", "E"];
const DEAL_TYPES = ["NEW", "RENEWAL", "UPSELL"];

async function main(): Promise<void> {
  const url = args["database-url"]!;
  const info = await readDataSetInfo(url);
  if (!info) throw new Error(`no generated data set in ${url}: run npm run generate first`);
  const ours = await startOursOnDataSet(url, path.resolve(args["ours-entry"] ?? path.join(PROJECT_ROOT, "dist/src/main.js")));
  const port = ours.port;
  const db = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const login = async (email: string) =>
      (JSON.parse((await post(port, { query: `mutation { login(email: ${JSON.stringify(email)}, password: ${JSON.stringify(BENCH_PASSWORD)}) { token } }` })).text) as { data: { login: { token: string } } }).data.login.token;
    const tokens = { "head office": await login(info.headOfficeEmail), manager: await login(info.managerEmails[0]!), rep: await login(info.repEmails[0]!) };

    // set-up: the definitions (through the API, which indexes each field's value; defined again on each run)
    // and, once per data set, a value on every record (SQL)
    await db.query(`DELETE FROM "CustomFieldDefinition" WHERE key = ANY($1)`, [["equipmentTier", "fleetSize", "dealType"]]);
    for (const index of ["cf_organisation_equipmentTier", "cf_organisation_fleetSize", "cf_opportunity_dealType"]) await db.query(`DROP INDEX IF EXISTS "${index}"`);
    const everyone = "[REP, MANAGER, HEAD_OFFICE, DATA_STEWARD, PARTNER, SERVICE]";
    const definitions = [
      ["equipmentTier", `{ entity: ORGANISATION, key: "equipmentTier", label: "Equipment tier", type: ENUM, options: ${JSON.stringify(TIERS)}, readers: ${everyone}, writers: [REP] }`],
      ["fleetSize", `{ entity: ORGANISATION, key: "fleetSize", label: "Fleet size", type: NUMBER, readers: ${everyone}, writers: [REP] }`],
      ["dealType", `{ entity: OPPORTUNITY, key: "dealType", label: "Deal type", type: ENUM, options: ${JSON.stringify(DEAL_TYPES)}, readers: ${everyone}, writers: [REP] }`],
    ];
    for (const [, input] of definitions) {
      const answer = await post(port, { query: `mutation { defineCustomField(input: ${input}) { key } }` }, tokens["head office"]);
      if (answer.text.includes('"errors"')) throw new Error(answer.text);
    }
    const filled = await db.query(`SELECT 1 FROM "Organisation" WHERE "customFields" ? 'equipmentTier' LIMIT 1`);
    if (!filled.rowCount) {
      const started = performance.now();
      await db.query(`UPDATE "Organisation" SET "customFields" = jsonb_build_object('equipmentTier', ($1::text[])[1 + abs(hashtext(id::text)) % 5], 'fleetSize', abs(hashtext(id::text || 'fleet')) % 500)`, [TIERS]);
      await db.query(`UPDATE "Opportunity" SET "customFields" = jsonb_build_object('dealType', ($1::text[])[1 + abs(hashtext(id::text)) % 3])`, [DEAL_TYPES]);
      await db.query(`VACUUM ANALYZE "Organisation"`);
      await db.query(`VACUUM ANALYZE "Opportunity"`);
      console.error(`values written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const counts = (await db.query<{ organisations: string; opportunities: string }>(`SELECT (SELECT count(*) FROM "Organisation") AS organisations, (SELECT count(*) FROM "Opportunity") AS opportunities`)).rows[0]!;

    const runs = Number(args.runs);
    const measure = async (label: string, query: string, token: string) => {
      const times: number[] = [];
      let statements = "?";
      let summary = "";
      for (let i = 0; i < runs + 3; i += 1) {
        const started = performance.now();
        const answer = await post(port, { query }, token);
        const ms = performance.now() - started;
        if (answer.text.includes('"errors":[')) throw new Error(`${label}: ${answer.text.slice(0, 400)}`);
        statements = answer.headers.get("x-sql-statements") ?? "?";
        const data = JSON.parse(answer.text).data;
        summary = data.organisations ? `${data.organisations.totalCount} organisations` : `${data.opportunityAggregates.groups.length} groups, ${data.opportunityAggregates.total.count} deals`;
        if (i >= 3) times.push(ms);
      }
      const sorted = [...times].sort((a, b) => a - b);
      console.log(`| ${label} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 95).toFixed(1)} | ${statements} | ${summary} |`);
    };
    console.log(`# Custom fields and aggregates: ${Number(counts.organisations).toLocaleString("en")} organisations, ${Number(counts.opportunities).toLocaleString("en")} opportunities; ${runs} sequential runs after 3 warm-ups`);
    console.log(`${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}; data set generated ${info.today}\n`);
    console.log("| request | median ms | p95 ms | SQL stmts | answer |");
    console.log("|---|---:|---:|---:|---|");
    const filtered = `{ organisations(first: 50, filter: { customFields: [{ key: "equipmentTier", equals: "C" }, { key: "fleetSize", min: 100, max: 150 }] }) {
      totalCount edges { node { id name customFields { key value } } } } }`;
    for (const [principal, token] of Object.entries(tokens)) await measure(`organisations: ENUM = C and NUMBER in [100, 150], first 50 + totalCount (${principal})`, filtered, token);
    const aggregate = `{ opportunityAggregates(groupBy: [{ dimension: STAGE }, { dimension: EXPECTED_CLOSE_MONTH }]) { groups { keys { value label } count sum } total { count sum } } }`;
    await measure("opportunityAggregates: stage × expected close month, the company (head office)", aggregate, tokens["head office"]);
    const byType = `{ opportunityAggregates(groupBy: [{ dimension: CUSTOM_FIELD, customField: "dealType" }, { dimension: ORGANISATION_SEGMENT }], measure: WEIGHTED_AMOUNT) { groups { keys { value } count sum } total { count sum } } }`;
    await measure("opportunityAggregates: custom ENUM × organisation segment, weighted (head office)", byType, tokens["head office"]);
  } finally {
    await db.end();
    await stopChild(ours);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
