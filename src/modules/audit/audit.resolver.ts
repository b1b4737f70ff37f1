import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { GraphQLJSON } from "graphql-scalars";
import { eventImage, listAuditEvents } from "./audit.query.js";
import { AuditEvent, AuditEventConnection, AuditEventFilter, type AuditEventRow } from "./audit.type.js";

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Query(() => AuditEventConnection, { description: "The audit trail, newest first (head office and data stewards)." })
  auditEvents(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listAuditEvents(ctx, filter, page);
  }

  @FieldResolver(() => ID)
  id(@Root() event: AuditEventRow): string {
    return toGlobalId("AuditEvent", event.id);
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true, description: "The entity before the write: only the fields the reader may read on the entity itself." })
  before(@Root() event: AuditEventRow, @Ctx() ctx: AuthedContext) {
    return eventImage(ctx, event, "before");
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true, description: "The entity after the write: only the fields the reader may read on the entity itself." })
  after(@Root() event: AuditEventRow, @Ctx() ctx: AuthedContext) {
    return eventImage(ctx, event, "after");
  }
}
