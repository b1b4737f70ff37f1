// `npm run permissions:table`: writes docs/permissions-table.md, which fields each kind of principal may
// read or call, evaluated from the graphql-shield rules of the running schema. The file is committed and
// reviewed; test/schema/permissions.test.ts fails when it differs from the rules (regenerate, then review
// the diff). New modules need nothing here: every object type of the schema is walked.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { storedColumns, sidePathEntities } from "../src/app/read-policy.js";
import { fieldAccess, ruleCoverageProblems, tablePrincipals, type Access, type Principal } from "../src/app/rule-analysis.js";
import { buildAppSchema, permissionRules } from "../src/app/schema.js";
import type { ReadPolicy } from "../src/auth/read-policy.js";
import { PROJECT_ROOT } from "../src/config/paths.js";
import { TIMELINE_SOURCES } from "../src/modules/timeline/sources/index.js";

export const PERMISSIONS_TABLE_PATH = path.join(PROJECT_ROOT, "docs", "permissions-table.md");

const MARK: Record<Access, string> = { allow: "✓", deny: "·", depends: "?", unreachable: "–" };

/** Short column names: roles as is, tokens as P:/S: plus their scope. */
const columnOf = (label: string) =>
  label.replace(/^PARTNER /, "P:").replace(/^SERVICE /, "S:").replace("HEAD_OFFICE", "HO").replace("DATA_STEWARD", "DS").replace("MANAGER", "MGR").replace("anonymous", "anon");

export async function renderPermissionsTable(): Promise<string> {
  const { typeSchema: schema, readPolicy } = await buildAppSchema();
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
  lines.push(...sidePathSections(readPolicy, principals, columns, verdicts));
  return lines.join("\n");
}

/**
 * What the side paths show, from the same rules (ctx.readPolicy): for the principals who may read the audit
 * trail, which stored columns of each entity its before/after keep; for those who may read timelines, which
 * kinds of item they get. A principal who may not call the path at all has no column.
 */
function sidePathSections(policy: ReadPolicy, principals: Principal[], columns: string[], verdicts: Map<string, Access[]>): string[] {
  const allowedOn = (key: string) => principals.map((_, i) => i).filter((i) => verdicts.get(key)?.[i] === "allow");
  const lines: string[] = [];
  const auditReaders = allowedOn("Query.auditEvents");
  lines.push(
    "## Side path: audit trail (`before` / `after`)",
    "",
    "Which stored columns of each entity an audit event keeps for its reader: those carried by a field the reader may",
    "read on the entity's own type. `all` every column but the internal ones; `none` the reader may read nothing of",
    "the entity, and its events are not listed at all; otherwise the columns withheld. Internal columns (carried by no",
    "field) are withheld from everyone.",
    "",
    `| entity | internal | ${auditReaders.map((i) => columns[i]).join(" | ")} |`,
    `|---|---|${auditReaders.map(() => "---").join("|")}|`,
  );
  for (const entity of sidePathEntities(policy)) {
    const stored = storedColumns(entity);
    const internal = stored.filter((column) => policy.fieldOfColumn(entity, column) === null);
    const shown = stored.filter((column) => !internal.includes(column));
    const cells = auditReaders.map((i) => {
      const visible = policy.visibleColumns(principals[i]!.viewer, entity, Object.fromEntries(shown.map((column) => [column, true]))) ?? {};
      const withheld = shown.filter((column) => !(column in visible));
      return withheld.length === 0 ? "all" : withheld.length === shown.length ? "none" : `withheld: ${withheld.join(", ")}`;
    });
    lines.push(`| ${entity} | ${internal.join(", ") || "—"} | ${cells.join(" | ")} |`);
  }
  const timelineReaders = allowedOn("Organisation.timeline");
  lines.push(
    "",
    "## Side path: organisation timeline (item kinds)",
    "",
    "A kind of item is shown to a principal only if the read rules of its entity let them read every field it is",
    "drawn from (`Type: fields`).",
    "",
    `| kind (drawn from) | ${timelineReaders.map((i) => columns[i]).join(" | ")} |`,
    `|---|${timelineReaders.map(() => ":-:").join("|")}|`,
  );
  for (const source of TIMELINE_SOURCES) {
    const marks = timelineReaders.map((i) => (policy.mayRead(principals[i]!.viewer, source.shows.type, source.shows.fields) ? "✓" : "·"));
    lines.push(`| ${source.kinds.join(", ")} (${source.shows.type}: ${source.shows.fields.join(", ")}) | ${marks.join(" | ")} |`);
  }
  lines.push("");
  return lines;
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
