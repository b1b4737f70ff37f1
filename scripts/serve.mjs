// `npm run serve`: starts the built server as it is (no build), for deployments that built beforehand
// (`npm run build`). Refuses clearly when there is nothing built.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entry = path.join(root, "dist", "src", "main.js");

if (!existsSync(entry)) {
  console.error(`Nothing to serve: ${path.relative(process.cwd(), entry) || entry} is missing. Build first with \`npm run build\` (or use \`npm start\`, which builds when needed).`);
  process.exit(1);
}
// main.js runs only as the entry point (it compares itself with argv[1]); this process stays the one that
// receives SIGTERM, so the graceful shutdown works as with `node dist/src/main.js`.
process.argv[1] = entry;
await import(pathToFileURL(entry).href);
