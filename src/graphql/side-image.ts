// What a side path (the audit trail's before/after, a webhook delivery's node) shows of a stored row: the columns
// the read policy shows this viewer, plus the columns a module cuts per reader (ctx.columnCuts: custom values,
// key by key, by the custom-fields module's own read rule). The column rules alone cannot say which keys of a
// value a reader may see, so such a column is hidden from them and shown only here, cut.
import type { AuthedContext } from "./context.js";

export async function visibleImage(ctx: AuthedContext, entity: string, row: unknown): Promise<Record<string, unknown> | null> {
  const shown = ctx.readPolicy.visibleColumns(ctx.viewer, entity, row);
  const cuts = ctx.columnCuts[entity];
  if (!shown || !cuts) return shown;
  const stored = row as Record<string, unknown>;
  const readable = ctx.readPolicy.readableFields(ctx.viewer, ctx.readPolicy.typeOfEntity(entity));
  for (const [column, cut] of Object.entries(cuts)) {
    // only to a reader of the field that carries the column on the entity itself, and only what its owner lets through
    if (!Object.hasOwn(stored, column) || !readable.has(cut.field)) continue;
    const value = await cut.visible(ctx, stored[column]);
    if (value !== undefined) shown[column] = value;
  }
  return shown;
}
