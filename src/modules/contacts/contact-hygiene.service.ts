// Contact hygiene: stewards fix contacts; people who left stay, flagged.
import { notBinned } from "../../auth/row-scope.js";
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { lazyConnection, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import type { ContactRow } from "./contact.type.js";

export const daysSince = (day: Date | null, today: Date): number | null =>
  day == null ? null : Math.floor((today.getTime() - day.getTime()) / 86_400_000);

export type ContactIssue = "LEFT" | "INVALID_EMAIL" | "INVALID_PHONE" | "NEVER_VERIFIED" | "VERIFIED_OVER_A_YEAR_AGO";

/** Contacts with one hygiene issue (stewards see the whole referential), by id; one query for the page, one to count. */
export function contactsWithIssue(ctx: AuthedContext, issue: ContactIssue, pageArgs: PageArgs): Connection<ContactRow> {
  const page = readPage(pageArgs);
  const yearAgo = new Date(ctx.today.getTime() - 365 * 86_400_000);
  // emailValid and phoneValid are computed by PostgreSQL on every write (generated columns: one rule).
  const condition = {
    LEFT: Prisma.sql`c."leftCompanyAt" IS NOT NULL`,
    INVALID_EMAIL: Prisma.sql`c."emailValid" = false`,
    INVALID_PHONE: Prisma.sql`c."phoneValid" = false`,
    NEVER_VERIFIED: Prisma.sql`c."lastVerifiedAt" IS NULL AND c."leftCompanyAt" IS NULL`,
    VERIFIED_OVER_A_YEAR_AGO: Prisma.sql`c."lastVerifiedAt" < ${yearAgo} AND c."leftCompanyAt" IS NULL`,
  }[issue];
  const live = Prisma.sql`JOIN "Organisation" o ON o.id = c."organisationId" AND o."mergedIntoId" IS NULL AND ${notBinned("c")}`;
  const rows = async () => {
    const after = page.afterId ? Prisma.sql`AND c.id > ${page.afterId}::uuid` : Prisma.empty;
    const ids = await ctx.db.$queryRaw<{ id: string }[]>`
      SELECT c.id::text AS id FROM "Contact" c ${live} WHERE ${condition} ${after} ORDER BY c.id LIMIT ${page.take + 1}`;
    const contacts = await ctx.db.contact.findMany({ where: { id: { in: ids.map((row) => row.id) } }, orderBy: { id: "asc" } });
    return contacts;
  };
  const count = async () => {
    const [row] = await ctx.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Contact" c ${live} WHERE ${condition}`;
    return row?.n ?? 0;
  };
  return lazyConnection(rows, page, count);
}
