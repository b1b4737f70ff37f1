import DataLoader from "dataloader";
import { groupByKey, type RequestContext } from "../../graphql/context.js";
import type { QuoteChaseRow } from "./quote.type.js";

/** Chases of each quote, oldest first (the quote was read through the viewer's scope). */
export const chasesByQuote = (ctx: RequestContext) =>
  new DataLoader<string, QuoteChaseRow[], string>(async (quoteIds) => {
    const rows = await ctx.db.quoteChase.findMany({ where: { quoteId: { in: [...quoteIds] } }, orderBy: [{ chasedOn: "asc" }, { createdAt: "asc" }, { id: "asc" }] });
    return groupByKey(quoteIds, rows, (row) => row.quoteId);
  });
