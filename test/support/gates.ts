// The gate of an operation, asked by every principal of a matrix: those allowed pass it (no FORBIDDEN or
// UNAUTHENTICATED, whatever the data then says), the others are refused with the code their kind gets
// (anonymous: UNAUTHENTICATED, anyone else: FORBIDDEN) and receive nothing.
import { expect } from "vitest";
import { errorCodes, type TestServer } from "./server.js";

/** [document, variables, principals allowed through the gate] */
export type GateCase = [string, Record<string, unknown>, string[]];

export async function expectGate(t: TestServer, field: string, [document, variables, allowed]: GateCase, principals: string[], tokens: ReadonlyMap<string, string | undefined>) {
  for (const principal of principals) {
    const response = await t.gql<Record<string, unknown>, Record<string, unknown>>(document, variables, tokens.get(principal));
    const codes = errorCodes(response);
    if (allowed.includes(principal)) {
      expect(codes.filter((c) => c === "FORBIDDEN" || c === "UNAUTHENTICATED"), `${field} as ${principal}`).toEqual([]);
    } else {
      expect(codes, `${field} as ${principal}`).toEqual([principal === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN"]);
      expect(response.data?.[field] ?? null, `${field} as ${principal}`).toBeNull();
    }
  }
}
