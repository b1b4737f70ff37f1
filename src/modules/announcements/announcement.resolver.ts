import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { loadUser } from "../users/user.service.js";
import { User } from "../users/user.type.js";
import { createAnnouncement, endAnnouncement, listAnnouncements, statusOf, updateAnnouncement } from "./announcement.service.js";
import {
  Announcement,
  AnnouncementConnection,
  AnnouncementFilter,
  AnnouncementOrder,
  AnnouncementPayload,
  AnnouncementStatus,
  AnnouncementTargeting,
  CreateAnnouncementInput,
  EndAnnouncementInput,
  UpdateAnnouncementInput,
  type AnnouncementRow,
} from "./announcement.type.js";

@Resolver(() => Announcement)
export class AnnouncementResolver {
  @Query(() => AnnouncementConnection, {
    description: "Head office: every announcement (filter by status). Others: those in force today that target one of the organisations they see.",
  })
  announcements(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => AnnouncementFilter, { nullable: true }) filter: AnnouncementFilter | null,
    @Arg("orderBy", () => AnnouncementOrder, { nullable: true }) orderBy: AnnouncementOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listAnnouncements(ctx, filter, orderBy, page);
  }

  @Mutation(() => AnnouncementPayload, { description: "Head office: a launch, promotion or information for the organisations it targets, over a validity window." })
  async createAnnouncement(@Arg("input", () => CreateAnnouncementInput) input: CreateAnnouncementInput, @Ctx() ctx: AuthedContext) {
    return { announcement: await createAnnouncement(ctx, input) };
  }

  @Mutation(() => AnnouncementPayload, { description: "Head office: changes the fields sent; CONFLICT when `version` is stale; an ended announcement cannot change." })
  async updateAnnouncement(@Arg("input", () => UpdateAnnouncementInput) input: UpdateAnnouncementInput, @Ctx() ctx: AuthedContext) {
    return { announcement: await updateAnnouncement(ctx, input) };
  }

  @Mutation(() => AnnouncementPayload, { description: "Head office: ends it now (in force until yesterday; a scheduled one never runs)." })
  async endAnnouncement(@Arg("input", () => EndAnnouncementInput) input: EndAnnouncementInput, @Ctx() ctx: AuthedContext) {
    return { announcement: await endAnnouncement(ctx, input) };
  }

  @FieldResolver(() => ID)
  id(@Root() announcement: AnnouncementRow): string {
    return toGlobalId("Announcement", announcement.id);
  }

  @FieldResolver(() => AnnouncementStatus, { description: "On the request's day." })
  status(@Root() announcement: AnnouncementRow, @Ctx() ctx: AuthedContext): AnnouncementStatus {
    return statusOf(ctx, announcement);
  }

  @FieldResolver(() => AnnouncementTargeting)
  targeting(@Root() a: AnnouncementRow): AnnouncementTargeting {
    return { segments: a.segments, categories: a.categories, regions: a.regions, banners: a.banners };
  }

  @FieldResolver(() => User, { nullable: true, description: "Who wrote it." })
  createdBy(@Root() announcement: AnnouncementRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, announcement.createdById);
  }
}
