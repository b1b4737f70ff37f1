// Bundles the API explorer (GraphiQL, React, Monaco and its workers) into dist/explorer/, which the server
// serves itself: the page loads nothing from a CDN and works offline.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "dist", "explorer");

const common = { bundle: true, minify: true, sourcemap: false, legalComments: "none", logLevel: "warning", define: { "process.env.NODE_ENV": '"production"' } };

await Promise.all([
  build({
    ...common,
    entryPoints: { explorer: path.join(root, "explorer", "main.jsx") },
    outdir,
    format: "iife",
    jsx: "automatic",
    loader: { ".ttf": "file", ".woff": "file", ".woff2": "file", ".svg": "dataurl" },
  }),
  // Monaco runs its language services in web workers, each its own script (worker-src 'self').
  build({
    ...common,
    entryPoints: {
      "editor.worker": path.join(root, "node_modules/monaco-editor/esm/vs/editor/editor.worker.js"),
      "json.worker": path.join(root, "node_modules/monaco-editor/esm/vs/language/json/json.worker.js"),
      "graphql.worker": path.join(root, "node_modules/monaco-graphql/esm/graphql.worker.js"),
    },
    outdir,
    format: "iife",
  }),
]);
console.log(`explorer bundled into ${path.relative(root, outdir)}/`);
