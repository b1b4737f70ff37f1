// `npm run serve` starts what is built in dist/ (no build) and answers /ready; SIGTERM stops it gracefully;
// with nothing built it refuses with a clear message. Runs the script's own command as a child process,
// on a fresh database: PGlite in a temporary folder, or a new database on TEST_DATABASE_URL's server.
import { execFile, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config/paths.js";
import { createScratchDatabase } from "../support/database.js";

const adminUrl = process.env.TEST_DATABASE_URL;
const serveCommand = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.serve;
const temporary = mkdtempSync(path.join(os.tmpdir(), "crm-serve-"));
let databaseEnv: Record<string, string> = { DATA_DIR: path.join(temporary, "data") };
let dropDatabase: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  // what `npm start` builds; a tree built already is left as it is
  await promisify(execFile)(process.execPath, ["scripts/build-if-changed.mjs"], { cwd: PROJECT_ROOT });
  if (adminUrl) {
    const scratch = await createScratchDatabase(adminUrl, "crm_test_serve");
    databaseEnv = { DATABASE_URL: scratch.url };
    dropDatabase = scratch.drop;
  }
});

afterAll(async () => {
  await dropDatabase();
  rmSync(temporary, { recursive: true, force: true });
});

describe("npm run serve", () => {
  it("starts the built server, which answers /ready, and stops on SIGTERM", async () => {
    expect(serveCommand).not.toMatch(/build|tsc/);
    const child = spawn("sh", ["-c", serveCommand], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? "", PORT: "0", LOG_LEVEL: "info", SEED_DEMO: "never", ...databaseEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let output = "";
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /GraphQL API ready at http:\/\/localhost:(\d+)\//.exec(output);
        if (match) resolve(Number(match[1]));
      });
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      void exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${output}`)));
    });
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, database: "up", migrations: "applied" });
    // the command leaves no shell between the signal and the server: its graceful shutdown runs
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toMatch(/"msg":"stopped"/);
  });

  it("refuses with a clear message when nothing is built", async () => {
    // the same script in a tree without dist/
    const tree = path.join(temporary, "unbuilt");
    mkdirSync(path.join(tree, "scripts"), { recursive: true });
    copyFileSync(path.join(PROJECT_ROOT, "scripts/serve.mjs"), path.join(tree, "scripts/serve.mjs"));
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn("sh", ["-c", serveCommand], { cwd: tree, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Nothing to serve: dist\/src\/main\.js is missing\. Build first with `npm run build`/);
  });
});
