// `npm run generate -- --organisations 100000 [--seed N] [--database-url URL] [--today YYYY-MM-DD] [--quick]`
// Drops and recreates the benchmark database, then loads a deterministic company of the given size.
import { parseArgs } from "node:util";
import { DEFAULT_BENCH_DATABASE_URL, generateDataSet } from "./generate/load.js";

const QUICK_ORGANISATIONS = 5_000;

const { values } = parseArgs({
  options: {
    organisations: { type: "string" },
    seed: { type: "string", default: "20261122" },
    "database-url": { type: "string" },
    today: { type: "string" },
    quick: { type: "boolean", default: false },
  },
});

const organisations = Number(values.organisations ?? (values.quick ? QUICK_ORGANISATIONS : 100_000));
const seed = Number(values.seed);
if (!Number.isInteger(organisations) || organisations < 100) throw new Error("--organisations must be an integer ≥ 100");
if (!Number.isInteger(seed)) throw new Error("--seed must be an integer");
const today = values.today ? new Date(`${values.today}T00:00:00Z`) : new Date(new Date().toISOString().slice(0, 10));
if (Number.isNaN(today.getTime())) throw new Error("--today must be YYYY-MM-DD");
const url = values["database-url"] ?? (values.quick ? DEFAULT_BENCH_DATABASE_URL.replace(/crm_bench$/, "crm_bench_quick") : DEFAULT_BENCH_DATABASE_URL);

console.log(`generating ${organisations.toLocaleString("en")} organisations (seed ${seed}, today ${today.toISOString().slice(0, 10)}) into ${url}`);
const info = await generateDataSet({ url, organisations, seed, today });
const total = Object.values(info.rows).reduce((a, b) => a + b, 0);
for (const [table, count] of Object.entries(info.rows)) console.log(`  ${table.padEnd(24)} ${count.toLocaleString("en").padStart(10)}`);
console.log(`${total.toLocaleString("en")} rows in ${info.seconds} s; users log in with password "bench" (${info.headOfficeEmail}, ${info.managerEmails[0]}, ${info.repEmails[0]})`);
// (the schema engine leaves a timer behind: exit explicitly once done)
process.exit(0);
