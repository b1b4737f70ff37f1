import { existsSync } from "node:fs";
import path from "node:path";

/** The repository root, whether the code runs from `src/` (tests) or from `dist/src/` (built). */
function findProjectRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, "prisma", "schema.prisma"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`prisma/schema.prisma not found above ${from}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot(import.meta.dirname);
