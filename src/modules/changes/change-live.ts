// The change feed as a GraphQL subscription: the very pages `changes(after:)` reads (one reader, one scope,
// one set of field rules), pushed when news of a commit arrives instead of asked for. Each page carries its
// cursor, so a client that loses the connection resumes with the query (or subscribes again with `after`).
import { badInput, DomainError, ErrorCode } from "../../errors/api-errors.js";
import type { AuthedContext, LiveSession } from "../../graphql/context.js";
import type { NodeFetcher } from "../../graphql/domain-module.js";
import { currentCursor, MAX_CHANGES_PAGE, readChanges } from "./change-feed.service.js";
import type { ChangeKind, ChangePage } from "./change.type.js";

export interface LiveChangesArgs {
  after?: string | null;
  entities?: string[] | null;
  kinds?: ChangeKind[] | null;
}

/**
 * The first page is read before the subscription starts, so that a bad argument or an expired cursor is the
 * subscription's error, not a broken stream. Then: a page whenever there are changes, none when there are not.
 */
export async function subscribeToChanges(ctx: AuthedContext, fetchers: Readonly<Record<string, NodeFetcher>>, args: LiveChangesArgs): Promise<AsyncIterableIterator<ChangePage>> {
  const live = ctx.live;
  if (!live) throw badInput("Subscriptions are served over WebSocket at /graphql (the graphql-transport-ws protocol)");
  const read = (after: string) => readChanges(ctx, fetchers, ctx.changeFeed, { after, first: MAX_CHANGES_PAGE, entities: args.entities ?? null, kinds: args.kinds ?? null });
  return endable(pages(live, await read(args.after ?? (await currentCursor(ctx))), read), live);
}

/**
 * A generator's return() waits while the generator awaits (here: the next notice, up to the poll interval);
 * stopping the subscription first ends the session, so the wait returns and so does the generator.
 */
function endable<T>(generator: AsyncGenerator<T>, live: LiveSession): AsyncIterableIterator<T> {
  return {
    next: () => generator.next(),
    return(value?: T) {
      live.end();
      return generator.return(value as T);
    },
    throw: (error?: unknown) => generator.throw(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function* pages(live: LiveSession, first: ChangePage, read: (after: string) => Promise<ChangePage>): AsyncGenerator<ChangePage> {
  let page = first;
  for (;;) {
    if (page.changes.length) yield page;
    if (!page.hasMore) await live.nextChange();
    if (live.ended.aborted) return;
    if (!(await live.renew())) throw new DomainError(ErrorCode.UNAUTHENTICATED, "The token no longer holds (expired, revoked or its user deactivated): subscribe again with a valid one");
    page = await read(page.cursor);
  }
}
