import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { printServerSchema } from "../../src/app/schema.js";
import { PROJECT_ROOT } from "../../src/config/paths.js";
import { openDatabase } from "../../src/db/client.js";
import { diffMigrationsToSchema } from "../../src/db/schema-engine.js";

describe("drift", () => {
  it("schema.graphql is the SDL of the running server (run `npm run schema:print` after an API change)", async () => {
    const committed = await readFile(path.join(PROJECT_ROOT, "schema.graphql"), "utf8");
    expect(await printServerSchema()).toBe(committed);
  });

  it("prisma/migrations build exactly schema.prisma (run `npm run db:migration -- <name>` after a schema change)", async () => {
    const scratch = await openDatabase({ kind: "embedded", dataDir: null });
    try {
      expect(await diffMigrationsToSchema(scratch.migrationAdapterFactory)).toBe("");
    } finally {
      await scratch.close();
    }
  });
});
