// referentialSearch (SPEC §2): is this company already known? Identity only — name, town, postal code,
// status, whether someone is in charge of it (never who) — over the whole validated referential whatever
// the viewer's portfolio, and over the creation requests still waiting for a steward (marked as such), so
// that nobody files a second request for the same prospect.
//
// Matching, on the names folded like everywhere else (organisation.search.ts) and the same sources as the
// duplicate candidates (duplicates.ts: live organisations, pending creation requests): the folded name
// contains the text, or is close to it (trigram word similarity, for typos), or the text is the postal
// code, or the start of the legal id (a SIREN finds its SIRETs). Best matches first.
//
// Pages hold at most 50 entries (default 20), not the 200 of other lists: a look-up ranked by similarity
// shows what exists in its first few dozen answers, and beyond them the ranking is noise; a small page also
// keeps the walk of the whole referential through identity records a slow one.
import { assignmentInForce } from "../../auth/row-scope.js";
import { Prisma } from "../../db/generated/client.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput } from "../../errors/api-errors.js";
import { lazyConnection, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { foldSearchText } from "../organisations/organisation.search.js";
import { CANDIDATE_SOURCES } from "./duplicates.js";

export const MAX_SEARCH_PAGE = 50;
export const DEFAULT_SEARCH_PAGE = 20;

export type ReferentialEntryKind = "ORGANISATION" | "PENDING_REQUEST";

export interface ReferentialEntryRow {
  id: string;
  kind: ReferentialEntryKind;
  name: string;
  city: string | null;
  postalCode: string | null;
  status: string | null;
  /** someone is in charge of it today (pending requests: never) */
  inCharge: boolean;
}

type MatchRow = Omit<ReferentialEntryRow, "inCharge">;

/** The entries matching the text, with their rank, from both sources (an SQL derived table). */
function matches(text: string): Prisma.Sql {
  const folded = foldSearchText(text);
  if (folded.replace(/\s/g, "").length < 2) throw badInput("text needs at least 2 letters or digits", { fields: [{ field: "text" }] });
  const contains = `%${folded.replace(/[\\%_]/g, "\\$&")}%`;
  const compact = text.replace(/\s/g, "");
  const legalId = /^\d{9}(\d{5})?$/.test(compact) ? compact : null;
  const branch = (source: keyof typeof CANDIDATE_SOURCES, kind: ReferentialEntryKind, status: Prisma.Sql) => {
    const { table, live } = CANDIDATE_SOURCES[source];
    const sameLegal = Prisma.sql`coalesce(o."legalId" LIKE ${legalId}::text || '%', false)`;
    const samePostal = Prisma.sql`coalesce(o."postalCode" = ${compact}, false)`;
    return Prisma.sql`
      SELECT o.id, ${kind}::text AS kind, coalesce(o.name, '') AS name, o.city, o."postalCode", ${status} AS status,
             (CASE WHEN ${sameLegal} THEN 2 WHEN ${samePostal} THEN 1 ELSE 0 END + word_similarity(${folded}, o."searchName"))::float8 AS rank
      FROM ${table} o
      WHERE ${live} AND (o."searchName" LIKE ${contains} OR ${folded} <% o."searchName" OR ${samePostal} OR ${sameLegal})`;
  };
  return Prisma.sql`(${branch("organisations", "ORGANISATION", Prisma.sql`o.status::text`)} UNION ALL ${branch("pendingRequests", "PENDING_REQUEST", Prisma.sql`NULL::text`)})`;
}

export interface ReferentialSearchFilter {
  kind?: ReferentialEntryKind[] | null;
  postalCodePrefix?: string | null;
}

export interface ReferentialSearchOrder {
  field: "RELEVANCE" | "NAME";
  direction?: "ASC" | "DESC" | null;
}

export function referentialSearch(
  ctx: AuthedContext,
  text: string,
  filter: ReferentialSearchFilter | null | undefined,
  order: ReferentialSearchOrder | null | undefined,
  pageArgs: PageArgs,
): Connection<ReferentialEntryRow> {
  if (pageArgs.first != null && pageArgs.first > MAX_SEARCH_PAGE) {
    throw badInput(`first must be between 0 and ${MAX_SEARCH_PAGE}`, { argument: "first", max: MAX_SEARCH_PAGE });
  }
  const page = readPage({ first: pageArgs.first ?? DEFAULT_SEARCH_PAGE, after: pageArgs.after });
  const found = matches(text);
  const conditions: Prisma.Sql[] = [];
  if (filter?.kind?.length) conditions.push(Prisma.sql`m.kind = ANY(${filter.kind}::text[])`);
  if (filter?.postalCodePrefix?.trim()) conditions.push(Prisma.sql`m."postalCode" LIKE ${`${filter.postalCodePrefix.trim().replace(/[\\%_]/g, "\\$&")}%`}`);
  // best first by default; by name (then id) on request; either way on request
  const byName = order?.field === "NAME";
  const descending = order?.direction ? order.direction === "DESC" : !byName;
  const column = Prisma.raw(byName ? "name" : "rank");
  const direction = Prisma.raw(descending ? "DESC" : "ASC");
  const beyond = Prisma.raw(descending ? "<" : ">");
  const where = (extra: Prisma.Sql[]) => (extra.length ? Prisma.sql`WHERE ${Prisma.join(extra, " AND ")}` : Prisma.empty);
  const rows = async () => {
    const after = page.afterId
      ? [Prisma.sql`EXISTS (SELECT 1 FROM m a WHERE a.id = ${page.afterId}::uuid AND (m.${column} ${beyond} a.${column} OR (m.${column} = a.${column} AND m.id ${beyond} a.id)))`]
      : [];
    const list = await ctx.db.$queryRaw<(MatchRow & { rank: number })[]>`
      WITH m AS (SELECT * FROM ${found} x)
      SELECT m.id::text AS id, m.kind, m.name, m.city, m."postalCode", m.status, m.rank FROM m ${where([...conditions, ...after])}
      ORDER BY m.${column} ${direction}, m.id ${direction} LIMIT ${page.take + 1}`;
    // Whether someone is in charge, for the organisations of the page: the one "in force" rule of assignments.
    const organisationIds = list.filter((row) => row.kind === "ORGANISATION").map((row) => row.id);
    const charged = organisationIds.length
      ? new Set(
          (
            await ctx.db.organisationAssignment.findMany({
              where: { organisationId: { in: organisationIds }, ...assignmentInForce(ctx.today) },
              select: { organisationId: true },
            })
          ).map((a) => a.organisationId),
        )
      : new Set<string>();
    return list.map(({ rank: _rank, ...row }) => ({ ...row, inCharge: charged.has(row.id) }));
  };
  const count = async () => {
    const [row] = await ctx.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ${found} m ${where(conditions)}`;
    return row?.n ?? 0;
  };
  return lazyConnection(rows, page, count);
}
