// `npm run import -- <entity> <file.csv> [--dry-run] [--all-or-none] [--separator ";"]`
// Sends a CSV file to POST /import/<entity> of a running server (CRM_API_URL, default http://localhost:4000)
// with the bearer token in CRM_API_TOKEN (a service token with the entity's import scope, or a data
// steward's session), streaming the file, and prints the summary and every refused line. Exit code: 0 when
// every row was accepted and written, 1 when some were refused (or, with --all-or-none, nothing was written),
// 2 on a usage or request error.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";

const USAGE = 'usage: CRM_API_TOKEN=… npm run import -- <organisations|contacts|orders|invoices|incidents> <file.csv> [--dry-run] [--all-or-none] [--separator ";"]';

interface ReportLine {
  line: number;
  externalId: string;
  status: string;
  errors: { field: string; message: string }[];
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { "dry-run": { type: "boolean" }, "all-or-none": { type: "boolean" }, separator: { type: "string" } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [entity, file] = parsed.positionals;
  const token = process.env.CRM_API_TOKEN;
  if (!entity || !file || !token) {
    console.error(USAGE);
    return 2;
  }
  const url = new URL(`/import/${encodeURIComponent(entity)}`, process.env.CRM_API_URL ?? "http://localhost:4000");
  if (parsed.values["dry-run"]) url.searchParams.set("dryRun", "true");
  if (parsed.values["all-or-none"]) url.searchParams.set("allOrNone", "true");
  if (parsed.values.separator) url.searchParams.set("separator", parsed.values.separator);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "text/csv", authorization: `Bearer ${token}` },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  const report = (await response.json()) as { rows?: ReportLine[]; summary?: Record<string, unknown>; errors?: { message: string }[]; error?: { message: string } };
  if (!response.ok || !report.summary) {
    console.error(`import refused (${response.status}): ${(report.errors?.[0] ?? report.error)?.message ?? "no report"}`);
    return 2;
  }
  for (const row of report.rows ?? []) {
    if (row.errors.length) console.log(`line ${row.line} (${row.externalId}): ${row.status} — ${row.errors.map((e) => `${e.field} ${e.message}`).join("; ")}`);
  }
  console.log(JSON.stringify(report.summary));
  return Number(report.summary.rejected) > 0 || Number(report.summary.conflicts) > 0 || (!parsed.values["dry-run"] && !report.summary.committed) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(2);
  },
);
