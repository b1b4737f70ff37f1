// The gate of an operation, asked by every principal of a matrix: those allowed pass it and, when the case
// names what each of them receives, get exactly that (allowed means exact: the data of that principal's
// scope, not merely no error); the others are refused with the code their kind gets (anonymous:
// UNAUTHENTICATED, anyone else: FORBIDDEN) and receive nothing.
import { expect } from "vitest";
import { errorCodes, type TestServer } from "./server.js";

/** [document, variables, principals allowed through the gate, what `data[field]` is for each allowed principal] */
export type GateCase = [string, Record<string, unknown>, string[], Record<string, unknown>?];

export async function expectGate(t: TestServer, field: string, [document, variables, allowed, expected]: GateCase, principals: string[], tokens: ReadonlyMap<string, string | undefined>) {
  for (const principal of principals) {
    const response = await t.gql<Record<string, unknown>, Record<string, unknown>>(document, variables, tokens.get(principal));
    const codes = errorCodes(response);
    if (allowed.includes(principal)) {
      expect(codes.filter((c) => c === "FORBIDDEN" || c === "UNAUTHENTICATED"), `${field} as ${principal}`).toEqual([]);
      if (expected) {
        expect(principal in expected, `${field}: what ${principal} receives is not stated`).toBe(true);
        expect(codes, `${field} as ${principal}`).toEqual([]);
        expect(response.data?.[field], `${field} as ${principal}`).toEqual(expected[principal]);
      }
    } else {
      expect(codes, `${field} as ${principal}`).toEqual([principal === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN"]);
      expect(response.data?.[field] ?? null, `${field} as ${principal}`).toBeNull();
    }
  }
}
