import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { Organisation, type OrganisationRow } from "../organisations/organisation.type.js";
import { loadUser } from "../users/user.service.js";
import { User } from "../users/user.type.js";
import { organisationTimeline } from "./timeline.service.js";
import { TimelineConnection, TimelineItem } from "./timeline.type.js";

@Resolver(() => Organisation)
export class OrganisationTimelineResolver {
  @FieldResolver(() => TimelineConnection, {
    description: "Requests, notes, contact changes, visits, stage changes, quotes, orders, incidents, tasks: one feed, newest first. Commercial kinds only for those who may see them.",
  })
  timeline(
    @Root() organisation: OrganisationRow,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return organisationTimeline(ctx, organisation.id, first, after);
  }
}

@Resolver(() => TimelineItem)
export class TimelineItemResolver {
  @FieldResolver(() => User, { nullable: true, description: "Who did it, when known." })
  actor(@Root() item: TimelineItem & { actorId: string | null }, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, item.actorId);
  }
}
