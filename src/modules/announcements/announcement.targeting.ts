// Which announcements reach an organisation on a day, read by the visit brief (per visit date) and by the
// announcements list (today):
//   - in force on day d: the validity window of every effective-dated row of the API (src/auth/scope:
//     validFrom ≤ d < validTo, validTo exclusive, empty = open-ended). Ending an announcement closes its
//     window on the day it is ended (endAnnouncement), so there is no second rule for ended ones;
//   - targeting: each list of criteria (segments, categories, regions, banners) is empty (= everyone) or
//     holds the organisation's value; all four must hold.
import { Prisma } from "../../db/generated/client.js";
import type { Announcement as AnnouncementRow } from "../../db/generated/client.js";
import { endedBy, inForce, notStartedBy, phaseOn, toSql, toWhere } from "../../auth/scope/condition.js";
import { AnnouncementStatus } from "./announcement.type.js";

/** SQL: announcement `a` (an alias) is in force on `day` (a date expression). */
export const announcementInForce = (a: string, day: Prisma.Sql): Prisma.Sql => toSql(inForce(day), a);

/** SQL: announcement `a` targets organisation `org` (aliases; `org` has segment, category, region, banner). */
export function announcementTargets(a: string, org: string): Prisma.Sql {
  const criterion = (list: string, value: string) => Prisma.raw(`(cardinality(${a}."${list}") = 0 OR ${org}."${value}" = ANY(${a}."${list}"))`);
  return Prisma.sql`(${criterion("segments", "segment")} AND ${criterion("categories", "category")} AND ${criterion("regions", "region")} AND ${criterion("banners", "banner")})`;
}

/** Prisma: announcements with this status on `day` (a UTC midnight). */
export function announcementStatusWhere(status: AnnouncementStatus, day: Date): Prisma.AnnouncementWhereInput {
  switch (status) {
    case AnnouncementStatus.IN_FORCE:
      return toWhere(inForce(day));
    case AnnouncementStatus.SCHEDULED:
      return toWhere(notStartedBy(day));
    case AnnouncementStatus.ENDED:
      return toWhere(endedBy(day));
  }
}

const STATUS = { scheduled: AnnouncementStatus.SCHEDULED, inForce: AnnouncementStatus.IN_FORCE, ended: AnnouncementStatus.ENDED } as const;

/** The status of one announcement on `day` (a UTC midnight). */
export const announcementStatus = (row: Pick<AnnouncementRow, "validFrom" | "validTo">, day: Date): AnnouncementStatus => STATUS[phaseOn(row, day)];
