// Custom values as CSV cells (columns cf.<key> of the exports and imports): one spelling both ways. The value
// read from a cell is then checked like any other input (the import runs the bulk-upsert mutation).
import { CustomFieldType } from "../../db/generated/enums.js";

/** The CSV column of a custom field. */
export const CUSTOM_COLUMN_PREFIX = "cf.";
export const customColumnName = (key: string) => `${CUSTOM_COLUMN_PREFIX}${key}`;

/** A stored value as a cell: a MULTI_ENUM's options joined by `listSeparator`, the rest as text. */
export function customValueCell(value: unknown, listSeparator: string): string {
  if (value === null || value === undefined) return "";
  return Array.isArray(value) ? value.join(listSeparator) : String(value);
}

/** A cell as the value to send for a field of this type, or what is wrong with it. */
export function customValueOfCell(type: CustomFieldType, text: string, listSeparator: string): { value: unknown } | { error: string } {
  const trimmed = text.trim();
  switch (type) {
    case CustomFieldType.NUMBER:
    case CustomFieldType.MONEY: {
      const number = Number(trimmed);
      return trimmed !== "" && Number.isFinite(number) ? { value: number } : { error: "must be a number" };
    }
    case CustomFieldType.BOOLEAN: {
      const lower = trimmed.toLowerCase();
      if (lower === "true" || lower === "1") return { value: true };
      if (lower === "false" || lower === "0") return { value: false };
      return { error: "must be true or false" };
    }
    case CustomFieldType.MULTI_ENUM:
      return { value: trimmed.split(listSeparator).map((part) => part.trim()).filter(Boolean) };
    default:
      return { value: type === CustomFieldType.TEXT ? text : trimmed };
  }
}
