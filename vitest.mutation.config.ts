// The test configuration of mutation testing (stryker.config.mjs): the project's own (its TypeScript plugin
// included), restricted to the test files of the set being mutated (replacing `include`: mergeConfig would
// append to it).
import base from "./vitest.config.js";

const files = (process.env.MUTATION_TEST_FILES ?? "").split(",").filter(Boolean);
if (!files.length) throw new Error("MUTATION_TEST_FILES is empty: run through npm run test:mutation");

export default { ...base, test: { ...base.test, include: files, testTimeout: 400_000, hookTimeout: 600_000 } };
