// What the announcements module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { AnnouncementResolver } from "./announcement.resolver.js";
import { announcementColumns, announcementRules } from "./announcement.rules.js";
import { getAnnouncement } from "./announcement.service.js";

export const announcementsModule: DomainModule = {
  resolvers: [AnnouncementResolver],
  rules: [announcementRules],
  nodes: { Announcement: getAnnouncement },
  columns: [announcementColumns],
};
