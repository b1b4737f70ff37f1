// `node scripts/measure-restart.mjs [runs]`: how long `npm start` takes from launch to a 200 on /ready
// when nothing changed (the tree built, the embedded database created and migrated by a first start).
// Prints each run and the median; uses a temporary DATA_DIR so that no real data is touched.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const startCommand = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts.start;
const runs = Number(process.argv[2] ?? 5);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "crm-restart-"));

/** Starts `npm start`'s command, waits for /ready to answer 200, stops the server; resolves the elapsed ms. */
async function startOnce() {
  const started = performance.now();
  const env = { ...process.env, PORT: "0", LOG_LEVEL: "info", DATA_DIR: dataDir };
  delete env.DATABASE_URL; // the embedded database
  const child = spawn("sh", ["-c", startCommand], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  let output = "";
  const port = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /ready at http:\/\/localhost:(\d+)\//.exec(output);
      if (match) resolve(Number(match[1]));
    });
    exited.then((code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => null);
    if (response?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const elapsed = performance.now() - started;
  child.kill("SIGTERM");
  await exited;
  return elapsed;
}

try {
  const first = await startOnce();
  console.log(`first start (build check, new database, migrations, demo data): ${Math.round(first)} ms`);
  const times = [];
  for (let i = 0; i < runs; i++) {
    times.push(await startOnce());
    console.log(`restart ${i + 1}: ${Math.round(times.at(-1))} ms`);
  }
  times.sort((a, b) => a - b);
  console.log(`median restart of an unchanged tree to /ready: ${Math.round(times[Math.floor(times.length / 2)])} ms`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
