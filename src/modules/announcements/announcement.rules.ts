import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { anyOf, COMMERCIAL_ROLES, everyone, role, scope, type RuleMap } from "../../auth/rules.js";

/** Who reads announcements (which ones: announcement.service.ts): the field, as in visit briefs; head office writes them. */
export const readAnnouncements = anyOf(role(...COMMERCIAL_ROLES), scope("visits:write"));
const authors = role("HEAD_OFFICE");

export const announcementRules: RuleMap = {
  Query: { announcements: readAnnouncements },
  Mutation: { createAnnouncement: authors, updateAnnouncement: authors, endAnnouncement: authors },
  Announcement: { "*": readAnnouncements },
  AnnouncementTargeting: { "*": everyone },
  AnnouncementConnection: { "*": everyone },
  AnnouncementEdge: { "*": everyone },
  AnnouncementPayload: { "*": everyone },
};

/** The targeting lists are stored flat and shown as `targeting`. */
export const announcementColumns: ColumnFieldMap = {
  Announcement: { segments: "targeting", categories: "targeting", regions: "targeting", banners: "targeting" },
};
