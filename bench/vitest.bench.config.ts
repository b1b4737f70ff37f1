// Runs the benchmarks (not tests) with the project's TypeScript transform: `npx vitest run -c bench/vitest.bench.config.ts`.
import { defineConfig } from "vitest/config";
import base from "../vitest.config.js";

export default defineConfig({
  ...base,
  test: { ...base.test, include: ["bench/**/*.bench.ts"], setupFiles: [], testTimeout: 1_800_000, hookTimeout: 600_000 },
});
