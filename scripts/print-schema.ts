// `npm run schema:print`: writes schema.graphql, the SDL of the running server (a test compares them).
import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { printServerSchema } from "../src/app/schema.js";
import { PROJECT_ROOT } from "../src/config/paths.js";

await writeFile(path.join(PROJECT_ROOT, "schema.graphql"), await printServerSchema());
console.log("wrote schema.graphql");
