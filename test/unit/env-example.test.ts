// .env.example documents every variable the server reads, and none of its values works as a secret.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, loadConfig } from "../../src/config/config.js";
import { PROJECT_ROOT } from "../../src/config/paths.js";

/** `NAME=value` lines, set or commented out (`# NAME=value`). */
function exampleVariables(): Map<string, string> {
  const variables = new Map<string, string>();
  for (const line of readFileSync(path.join(PROJECT_ROOT, ".env.example"), "utf8").split("\n")) {
    const match = /^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) variables.set(match[1], match[2]);
  }
  return variables;
}

describe(".env.example", () => {
  it("lists every variable of src/config/config.ts, and no other", () => {
    expect([...exampleVariables().keys()].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it("has placeholder secrets that the server refuses", () => {
    const values = Object.fromEntries([...exampleVariables()].filter(([, value]) => value !== ""));
    const { JWT_KEYS, METRICS_TOKEN, ...rest } = values;
    expect(() => loadConfig({ ...rest, JWT_KEYS })).toThrow(/JWT_KEYS: the secret of kid "k1" must be at least 32 bytes/);
    expect(() => loadConfig({ ...rest, NODE_ENV: "development", METRICS_TOKEN })).toThrow(/METRICS_TOKEN: must be at least 24 characters/);
  });

  it("refuses a METRICS_TOKEN shorter than 24 characters and accepts a longer one", () => {
    expect(() => loadConfig({ METRICS_TOKEN: "x".repeat(23) })).toThrow(/METRICS_TOKEN: must be at least 24 characters/);
    expect(loadConfig({ METRICS_TOKEN: "x".repeat(24) }).METRICS_TOKEN).toBe("x".repeat(24));
  });
});
