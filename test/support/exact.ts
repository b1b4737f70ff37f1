// "Allowed" means the exact answer: a principal allowed to see something receives exactly the rows or
// figures of that scope, not merely an answer without error. A test names what it expects; `null` as the
// expectation is for a test that compares two answers itself (the value is returned either way).
import { expect } from "vitest";
import type { GraphQLResponse } from "./server.js";

type Answer = GraphQLResponse<unknown> | Promise<GraphQLResponse<unknown>>;

/** No error, and `data[field]` equal to `expected` (unless null); returns `data[field]`. */
export async function expectData<T = Record<string, unknown>>(answer: Answer, field: string, expected: unknown, label = field): Promise<T> {
  const response = await answer;
  expect(response.errors, label).toBeUndefined();
  const value = (response.data as Record<string, unknown> | null | undefined)?.[field];
  expect(value, label).toBeDefined();
  expect(value, label).not.toBeNull();
  if (expected !== null) expect(value, label).toEqual(expected);
  return value as T;
}
