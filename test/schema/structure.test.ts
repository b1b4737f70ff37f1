// The shape of the code, read from the source: the rules that keep one definition per rule and modules that
// own their edges. A failure names the files.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config/paths.js";

const SRC = path.join(PROJECT_ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "generated") return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith(".ts") ? [full] : [];
  });
}

const files = sourceFiles(SRC);
const relative = (file: string) => path.relative(PROJECT_ROOT, file);

/** Every relative import of a file (static imports and re-exports, type-only ones included), resolved to a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const targets = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gms)].map((m) => m[1]!);
  return targets.map((target) => path.resolve(path.dirname(file), target.replace(/\.js$/, ".ts")));
}

/** The unit a file belongs to: its module folder for modules, else its top-level folder (auth, graphql…). */
function unitOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  if (parts[0] === "modules" && parts.length > 2) return `modules/${parts[1]}`;
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, "");
}

/** Cycles of a directed graph (one per strongly connected component of two or more nodes, or a self-loop). */
function cyclesOf(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    order.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, order.get(next)!));
    }
    if (low.get(node) === order.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || edges.get(node)?.has(node)) components.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!order.has(node)) visit(node);
  return components;
}

describe("import graph", () => {
  const fileEdges = new Map(files.map((file) => [file, new Set(importsOf(file).filter((target) => files.includes(target)))]));

  it("has no cycle between files", () => {
    expect(cyclesOf(fileEdges).map((cycle) => cycle.map(relative))).toEqual([]);
  });

  it("has no cycle between modules, nor between src/auth, src/graphql, src/db and src/config", () => {
    const unitEdges = new Map<string, Set<string>>();
    for (const [file, targets] of fileEdges) {
      const from = unitOf(file);
      const set = unitEdges.get(from) ?? new Set<string>();
      for (const target of targets) if (unitOf(target) !== from) set.add(unitOf(target));
      unitEdges.set(from, set);
    }
    expect(cyclesOf(unitEdges)).toEqual([]);
  });

  it("src/auth, src/graphql, src/db, src/config and src/jobs never import a module or the composition root", () => {
    const offenders = [...fileEdges]
      .filter(([file]) => ["auth", "graphql", "db", "config", "jobs"].includes(unitOf(file)))
      .flatMap(([file, targets]) => [...targets].filter((target) => unitOf(target).startsWith("modules/") || unitOf(target) === "app").map((target) => `${relative(file)} → ${relative(target)}`));
    expect(offenders).toEqual([]);
  });
});

describe("one definition per rule", () => {
  // The two halves of "in force on a day" wherever they are written: the lower bound (`"validFrom" <= d`,
  // Prisma's `validFrom: { lte: d }`, `row.validFrom <= d` in memory) and the open-ended upper bound
  // (`"validTo" IS NULL OR …`, `validTo: { gt: d }`, `row.validTo > d`). Other comparisons of these
  // columns (input checks, the materialisation's splicing of intervals) are not this rule.
  const PREDICATE = /"validFrom"\s*<=|validFrom:\s*\{\s*lte\b|\.validFrom(\.getTime\(\))?\s*<=|"validTo" IS NULL OR|validTo:\s*\{\s*gt\b|\.validTo(\.getTime\(\))?\s*>[^=]/;
  const THE_DEFINITION = path.join(SRC, "auth", "scope", "condition.ts");

  it("the in-force predicate (validFrom ≤ day < validTo) is written in src/auth/scope/condition.ts only", () => {
    const offenders = files
      .filter((file) => file !== THE_DEFINITION)
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, i) => [line, i + 1] as const)
          .filter(([line]) => PREDICATE.test(line) && !line.trim().startsWith("//") && !line.trim().startsWith("*"))
          .map(([, n]) => `${relative(file)}:${n}`),
      );
    expect(offenders).toEqual([]);
  });
});
