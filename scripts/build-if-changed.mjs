// Builds only when the build's inputs changed since the last successful build, so that `npm start` on an
// unchanged tree goes straight to the server. The stamp (dist/.build-stamp.json) holds a content hash of
// the inputs and the mtime of the entry point it produced: any other build (`npm run build`, a checkout
// built elsewhere) moves that mtime and forces a rebuild here, so a stale stamp never vouches for a dist/
// it did not see built.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = path.join(root, "dist", ".build-stamp.json");
const ENTRY = path.join(root, "dist", "src", "main.js");
const GENERATED_CLIENT = path.join(root, "src", "db", "generated");

/** What the Prisma client is generated from (the generator's version is in the lock file). */
const PRISMA_INPUTS = ["prisma/schema.prisma", "package-lock.json"];
/** What tsc compiles from; the generated client is left out (it follows PRISMA_INPUTS). */
const SOURCE_INPUTS = ["src", "scripts", "prisma", "explorer", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];

function listFiles(relative) {
  const absolute = path.join(root, relative);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [relative];
  if (absolute === GENERATED_CLIENT) return [];
  return readdirSync(absolute)
    .sort()
    .flatMap((name) => listFiles(path.join(relative, name)));
}

function hashOf(inputs) {
  const hash = createHash("sha256");
  for (const file of [...new Set(inputs.flatMap(listFiles))].sort()) {
    // the path too: a renamed file changes the build
    hash.update(file).update("\0").update(readFileSync(path.join(root, file))).update("\0");
  }
  return hash.digest("hex");
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, "utf8"));
  } catch {
    return null;
  }
}

const entryMtime = () => (existsSync(ENTRY) ? statSync(ENTRY).mtimeMs : null);

function run(script, args) {
  execFileSync(process.execPath, [script, ...args], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}

const force = process.argv.includes("--force");
const prismaHash = hashOf(PRISMA_INPUTS);
const sourcesHash = hashOf(SOURCE_INPUTS);
const stamp = force ? null : readStamp();
const distIntact = stamp !== null && entryMtime() !== null && stamp.entryMtimeMs === entryMtime();

if (distIntact && stamp.sourcesHash === sourcesHash && stamp.prismaHash === prismaHash && existsSync(GENERATED_CLIENT)) {
  console.log("build: dist/ is up to date (sources unchanged since the last build)");
} else {
  // a failed build must not leave a stamp behind that vouches for half a dist/
  rmSync(STAMP, { force: true });
  if (!distIntact || stamp.prismaHash !== prismaHash || !existsSync(GENERATED_CLIENT)) {
    console.log("build: generating the Prisma client");
    run(path.join(root, "scripts", "prisma-generate.mjs"), []);
  }
  console.log("build: compiling (tsc -p tsconfig.build.json)");
  const require = (await import("node:module")).createRequire(import.meta.url);
  run(require.resolve("typescript/bin/tsc"), ["-p", "tsconfig.build.json"]);
  console.log("build: bundling the API explorer");
  run(path.join(root, "scripts", "build-explorer.mjs"), []);
  mkdirSync(path.dirname(STAMP), { recursive: true });
  writeFileSync(STAMP, JSON.stringify({ sourcesHash, prismaHash, entryMtimeMs: entryMtime(), builtAt: new Date().toISOString() }, null, 2) + "\n");
}
