// `node scripts/measure-restart.mjs [runs]`: how long `npm start` takes from launch to a 200 on /ready
// when nothing changed (the tree built, the embedded database created and migrated by a first start).
// Prints each run and the median, with the CPU time the start used (build check included): on a busy
// machine the wall time grows with the load, the CPU time does not. Uses a temporary DATA_DIR.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const startCommand = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts.start;
const runs = Number(process.argv[2] ?? 5);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "crm-restart-"));

/** CPU ms of a process and of its children it waited for (/proc/<pid>/stat: utime, stime, cutime, cstime). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Starts `npm start`'s command (the shell execs the server), waits for /ready to answer 200, stops it. */
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
  const cpu = cpuMs(child.pid);
  child.kill("SIGTERM");
  await exited;
  return { elapsed, cpu };
}

try {
  const show = ({ elapsed, cpu }) => `${Math.round(elapsed)} ms (CPU ${Math.round(cpu)} ms)`;
  console.log(`first start (build check, new database, migrations, demo data): ${show(await startOnce())}`);
  const restarts = [];
  for (let i = 0; i < runs; i++) {
    restarts.push(await startOnce());
    console.log(`restart ${i + 1}: ${show(restarts.at(-1))}`);
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const summary = { elapsed: median(restarts.map((r) => r.elapsed)), cpu: median(restarts.map((r) => r.cpu)) };
  console.log(`median restart of an unchanged tree to /ready: ${show(summary)}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
