import { Arg, Ctx, Int, Query, Resolver, Root, Subscription } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import type { NodeFetcher } from "../../graphql/domain-module.js";
import { FEED_ENTITIES } from "./change-feed.catalogue.js";
import { currentCursor, MAX_CHANGES_PAGE, readChanges } from "./change-feed.service.js";
import { subscribeToChanges, type LiveChangesArgs } from "./change-live.js";
import { ChangeKind, ChangePage } from "./change.type.js";

export function createChangeResolver(fetchers: Readonly<Record<string, NodeFetcher>>) {
  @Resolver()
  class ChangeResolver {
    @Query(() => String, {
      description: "The change feed's position now: take it before downloading a copy, then ask `changes(after:)` for what changed since (docs/sync.md).",
    })
    changesCursor(@Ctx() ctx: AuthedContext): Promise<string> {
      return currentCursor(ctx);
    }

    @Query(() => ChangePage, {
      description:
        "What changed since a cursor, among the records the reader may see — including removals of records that left their sight. " +
        `In commit order; first ≤ ${MAX_CHANGES_PAGE}. Entities: ${FEED_ENTITIES.map((e) => e.entity).join(", ")}.`,
    })
    changes(
      @Arg("after", () => String, { description: "A cursor from changesCursor or an earlier page." }) after: string,
      @Arg("first", () => Int, { defaultValue: 100 }) first: number,
      @Arg("entities", () => [String], { nullable: true, description: "Only these record types (default: all)." }) entities: string[] | null,
      @Arg("kinds", () => [ChangeKind], { nullable: true }) kinds: ChangeKind[] | null,
      @Ctx() ctx: AuthedContext,
    ): Promise<ChangePage> {
      return readChanges(ctx, fetchers, ctx.changeFeed, { after, first, entities, kinds });
    }

    @Subscription(() => ChangePage, {
      name: "changes",
      description:
        "The reader's changes as they are committed (over WebSocket, graphql-transport-ws; the token in the connection_init payload as " +
        "`authorization`): the same pages as the `changes` query, each sent when there is something new. Without `after`, from now. " +
        "The token is checked again before each page; store the last page's cursor to resume (docs/sync.md).",
      subscribe: ({ args, context }) => subscribeToChanges(context as AuthedContext, fetchers, args as LiveChangesArgs),
    })
    changesLive(
      @Root() page: ChangePage,
      @Arg("after", () => String, { nullable: true, description: "A cursor to start from (default: now)." }) _after: string | null,
      @Arg("entities", () => [String], { nullable: true, description: "Only these record types (default: all)." }) _entities: string[] | null,
      @Arg("kinds", () => [ChangeKind], { nullable: true }) _kinds: ChangeKind[] | null,
    ): ChangePage {
      return page;
    }
  }
  return ChangeResolver;
}
