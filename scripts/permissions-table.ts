// `npm run permissions:table`: writes docs/permissions-table.md, which fields each kind of principal may
// read or call, evaluated from the graphql-shield rules of the running schema. The file is committed and
// reviewed; test/schema/permissions.test.ts fails when it differs from the rules (regenerate, then review
// the diff). New modules need nothing here: every object type of the schema is walked.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildTypeSchema, fieldAccess, permissionRules, ruleCoverageProblems, tablePrincipals, type Access } from "../src/app/schema.js";
import { PROJECT_ROOT } from "../src/config/paths.js";

export const PERMISSIONS_TABLE_PATH = path.join(PROJECT_ROOT, "docs", "permissions-table.md");

const MARK: Record<Access, string> = { allow: "✓", deny: "·", depends: "?", unreachable: "–" };

/** Short column names: roles as is, tokens as P:/S: plus their scope. */
const columnOf = (label: string) =>
  label.replace(/^PARTNER /, "P:").replace(/^SERVICE /, "S:").replace("HEAD_OFFICE", "HO").replace("DATA_STEWARD", "DS").replace("MANAGER", "MGR").replace("anonymous", "anon");

export async function renderPermissionsTable(): Promise<string> {
  const schema = await buildTypeSchema();
  const problems = ruleCoverageProblems(schema, permissionRules);
  const principals = tablePrincipals();
  const verdicts = await fieldAccess(schema, permissionRules, principals);
  const columns = principals.map((p) => columnOf(p.label));

  const byType = new Map<string, [string, Access[]][]>();
  for (const [key, row] of verdicts) {
    const [typeName, field] = key.split(".") as [string, string];
    byType.set(typeName, [...(byType.get(typeName) ?? []), [field, row]]);
  }
  const count = (typeName: string | null, p: number) =>
    [...verdicts].filter(([key, row]) => (typeName === null || key.startsWith(`${typeName}.`)) && row[p] === "allow").length;

  const lines: string[] = [
    "# Permissions table (generated: `npm run permissions:table`)",
    "",
    "Which field each kind of principal may read (object types) or call (`Query`, `Mutation`), evaluated from",
    "the graphql-shield rules of the running schema (`src/modules/*/*.rules.ts`) against a synthetic viewer of",
    "each kind. This is *who may ask*; *which rows* they then see is the row-level scope's business (a partner",
    "sees only its territories/organisations, a rep its portfolio…). `test/schema/permissions.test.ts` fails",
    "when this file differs from the rules: regenerate it and review the diff like code.",
    "",
    "`✓` allowed · `·` refused (FORBIDDEN, or UNAUTHENTICATED for anonymous) · `?` the rule depends on the data ·",
    "`–` the rule would allow it, but no field this principal may resolve leads to the type (so it never does).",
    "Columns: the four roles, anonymous, then partner (`P:`) and service (`S:`) tokens holding one scope each",
    "(a write scope implies the matching read scope; a token with several scopes may do the union).",
    "",
  ];
  if (problems.length) lines.push("**Rule problems (the server refuses to start):**", "", ...problems.map((p) => `- ${p}`), "");

  lines.push("## Summary: fields allowed (✓)", "", `| principal | Query | Mutation | all fields |`, `|---|---:|---:|---:|`);
  principals.forEach((p, i) => lines.push(`| ${p.label} | ${count("Query", i)} | ${count("Mutation", i)} | ${count(null, i)} |`));
  lines.push("", `${verdicts.size} fields in ${byType.size} object types.`, "");

  // Roots first, then every other type alphabetically.
  const order = [...byType.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const typeName of order) {
    lines.push(`## ${typeName}`, "", `| field | ${columns.join(" | ")} |`, `|---|${columns.map(() => ":-:").join("|")}|`);
    for (const [field, row] of byType.get(typeName)!) lines.push(`| ${field} | ${row.map((v) => MARK[v]).join(" | ")} |`);
    lines.push("");
  }
  return lines.join("\n");
}

const rank = (typeName: string) => (typeName === "Query" ? 0 : typeName === "Mutation" ? 1 : 2);

async function main(): Promise<void> {
  const table = await renderPermissionsTable();
  await writeFile(PERMISSIONS_TABLE_PATH, table);
  console.log(`wrote ${path.relative(PROJECT_ROOT, PERMISSIONS_TABLE_PATH)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
