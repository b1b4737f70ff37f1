// Services validate their input first; every failure is a BAD_USER_INPUT listing the fields at fault.
import type { z } from "zod";
import { badInput } from "../errors/api-errors.js";

export function validate<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message }));
    throw badInput(`Invalid input: ${fields.map((f) => `${f.field} ${f.message}`).join("; ")}`, { fields });
  }
  return result.data;
}

/** Drops the keys a client did not send (undefined) but keeps explicit nulls, which clear a field. */
export function sentFields<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
