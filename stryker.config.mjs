// Mutation testing (npm run test:mutation), not part of CI: each mutant re-runs real test files on a real
// database, far too slow for two cores. One set of source files at a time, each with the test files that
// exercise it (all of them start the whole server, so "related" test discovery would pick every file):
//   npm run test:mutation -- --mutate 'src/modules/audit/versioned-change.ts'
//   MUTATION_SET=dashboards npm run test:mutation
//   MUTATION_SET=versioned MUTATION_TESTS=test/http/versioned-write.test.ts npm run test:mutation
// The set is named by MUTATION_SET or recognised from --mutate; incremental results are kept per set in
// reports/mutation/, so a second run only re-tests the mutants of changed code or changed tests.
const SETS = {
  versioned: {
    mutate: ["src/modules/audit/versioned-change.ts"],
    tests: ["test/http/versioned-write.test.ts", "test/http/tasks.test.ts"],
  },
  dashboards: {
    mutate: ["src/modules/dashboards/**/*.ts"],
    tests: ["test/http/dashboards.test.ts", "test/http/dashboard-boundaries.test.ts", "test/http/dashboard-permissions.test.ts", "test/http/one-definition.test.ts"],
  },
  territories: {
    mutate: ["src/modules/territories/**/*.ts"],
    tests: ["test/http/territories.test.ts", "test/http/territories-materialise.test.ts", "test/http/dashboard-boundaries.test.ts"],
  },
  imports: {
    mutate: ["src/modules/orders/import-batch.ts", "src/modules/orders/order-import.service.ts"],
    tests: ["test/http/imports.test.ts"],
  },
  auth: {
    mutate: ["src/auth/**/*.ts"],
    tests: [
      "test/unit/jwt.test.ts", "test/http/auth.test.ts", "test/http/token-delegation.test.ts", "test/http/login-throttle.test.ts",
      "test/http/permissions.test.ts", "test/http/raw-sql-scope.test.ts", "test/http/dashboard-permissions.test.ts",
    ],
  },
};

function chosenSet() {
  const named = process.env.MUTATION_SET;
  if (named) {
    if (!SETS[named]) throw new Error(`MUTATION_SET=${named}: expected one of ${Object.keys(SETS).join(", ")}`);
    return [named, SETS[named]];
  }
  const argv = process.argv;
  const at = argv.findIndex((arg) => arg === "--mutate" || arg === "-m" || arg.startsWith("--mutate="));
  const pattern = at < 0 ? null : argv[at].startsWith("--mutate=") ? argv[at].slice("--mutate=".length) : argv[at + 1];
  if (!pattern) throw new Error(`Name the source files: --mutate '<glob>' or MUTATION_SET=${Object.keys(SETS).join("|")}`);
  const found = Object.entries(SETS).find(([, set]) => set.mutate.some((glob) => glob.startsWith(pattern.split("*")[0]) || pattern.startsWith(glob.split("*")[0])));
  if (!found) throw new Error(`--mutate ${pattern}: no set of test files for it (stryker.config.mjs SETS)`);
  return found;
}

const [name, set] = chosenSet();
// read by vitest.mutation.config.ts in the test runner's process; MUTATION_TESTS narrows the set's list
// (comma-separated) for a quicker first score
process.env.MUTATION_TEST_FILES = process.env.MUTATION_TESTS ?? set.tests.join(",");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: set.mutate,
  coverageAnalysis: "perTest",
  concurrency: 1,
  timeoutMS: 120_000,
  dryRunTimeoutMinutes: 30,
  incremental: true,
  incrementalFile: `reports/mutation/${name}-incremental.json`,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  ignorePatterns: ["dist", "coverage", "reports", "bench/results", "test-artifacts", ".data*", "explorer/dist"],
};
