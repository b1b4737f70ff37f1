-- E-mail and phone validity of each contact, computed by PostgreSQL on every write (generated columns): one
-- rule for the contact hygiene checks and the data-health dashboard, which counts them over 300 000
-- contacts without running a regular expression per row and per request. schema.prisma shows the
-- generation expression as a default (Prisma has no notion of generated columns). No semicolon in comments.
ALTER TABLE "Contact" ADD COLUMN "emailValid" BOOLEAN GENERATED ALWAYS AS ("email" ~* '^[^@\s]+@[^@\s]+\.[a-z]{2,}$') STORED;
ALTER TABLE "Contact" ADD COLUMN "phoneValid" BOOLEAN GENERATED ALWAYS AS ("phone" ~ '^\+?[0-9 ().-]{6,20}$') STORED;
