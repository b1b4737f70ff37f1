-- Announcements use the validity window of every effective-dated row: validTo becomes exclusive (the first
-- day no longer in force), and an ended announcement's window closes on the day it was ended.
UPDATE "Announcement" SET "validTo" = "validTo" + 1 WHERE "validTo" IS NOT NULL;
UPDATE "Announcement"
   SET "validTo" = GREATEST("validFrom", LEAST(COALESCE("validTo", "endedAt"::date), "endedAt"::date))
 WHERE "endedAt" IS NOT NULL;
