// Duplicate candidates, computed by PostgreSQL (PGlite and PostgreSQL both ship pg_trgm).
//
// Why trigram similarity on the folded name rather than a normalised key: a key ("dupont et fils") only
// catches exact matches after folding; trigrams also catch typos and extra words ("Dupond et Fils",
// "Dupont Fils Bricolage"), and the GIN trigram index on Organisation.searchName keeps the `%` operator an
// index scan on 100 000 rows. Thresholds (checked on the demo names, see the report):
//   - `%` selects rows through the index; its threshold (pg_trgm.similarity_threshold, set for the
//     transaction only) is raised from the default 0.3 to the lower of the two below: at 0.3 a common
//     trade word alone ("quincaillerie …") matches thousands of rows and the recheck costs ~0.6 s on 100k;
//   - SIMILAR_NAME needs ≥ 0.6: two shops of the same trade with different family names share the trade's
//     trigrams ("quincaillerie martin" / "quincaillerie durand" = 0.50), while real variants score higher
//     ("dupond et fils" / "dupont et fils" = 0.76, "dupont et fils bricolage" / "dupont et fils" = 0.60);
//   - SAME_POSTAL_CODE_CLOSE_NAME accepts ≥ 0.55 when the postal code is the same as well (so the two
//     quincailleries of one town stay apart, "garage dupuis" / "garage dupont" = 0.56 next door is shown).
// Every branch is an indexed lookup (searchName GIN, legalId) except phone and e-mail domain: there is no
// index on them, so they scan (a cheap LIKE on the last two digits first) and only run when given.

import type { Db } from "../../db/client.js";
import { Prisma } from "../../db/generated/client.js";

/**
 * Where candidates are looked for: the live referential, or the creation requests still waiting for a
 * steward (the same prospect asked for twice). Both tables keep `searchName` folded and trigram-indexed.
 */
export const CANDIDATE_SOURCES = {
  organisations: { table: Prisma.raw(`"Organisation"`), live: Prisma.raw(`o."mergedIntoId" IS NULL`) },
  pendingRequests: { table: Prisma.raw(`"OrganisationRequest"`), live: Prisma.raw(`o."status" = 'PENDING' AND o."kind" = 'CREATE'`) },
} as const;
export type CandidateSource = keyof typeof CANDIDATE_SOURCES;

export const SIMILAR_NAME_THRESHOLD = 0.6;
export const CLOSE_NAME_SAME_POSTAL_CODE_THRESHOLD = 0.55;
const INDEX_THRESHOLD = Math.min(SIMILAR_NAME_THRESHOLD, CLOSE_NAME_SAME_POSTAL_CODE_THRESHOLD);
const MAX_CANDIDATES = 20;

/** Free mail providers: a shared domain says nothing about being the same company. */
const GENERIC_EMAIL_DOMAINS = new Set([
  "gmail.com", "googlemail.com", "yahoo.fr", "yahoo.com", "hotmail.fr", "hotmail.com", "outlook.fr", "outlook.com",
  "live.fr", "live.com", "msn.com", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "neuf.fr", "laposte.net",
  "icloud.com", "me.com", "aol.com", "gmx.fr", "protonmail.com", "proton.me",
]);

export interface DuplicateProbe {
  searchName: string;
  legalId?: string | null;
  postalCode?: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface DuplicateCandidateRow {
  /** the organisation (or, among pending requests, the request) */
  organisationId: string;
  reasons: string[];
  score: number;
}

/** The last 9 digits: "+33 1 23 45 67 89" and "01.23.45.67.89" are the same line. */
export function phoneKey(phone: string | null | undefined): string | null {
  const digits = (phone ?? "").replace(/\D/g, "");
  return digits.length >= 9 ? digits.slice(-9) : null;
}

export function emailDomainKey(email: string | null | undefined): string | null {
  const domain = email?.split("@")[1]?.trim().toLowerCase();
  return domain && !GENERIC_EMAIL_DOMAINS.has(domain) ? domain : null;
}

interface RawCandidate {
  probe: number;
  id: string;
  sim: number;
  same_legal: boolean;
  same_postal: boolean;
  same_phone: boolean;
  same_domain: boolean;
}

/** A probe as the statements compare it: folded name, legal id without spaces, phone and e-mail domain keys. */
function keysOf(probe: DuplicateProbe) {
  const phone = phoneKey(probe.phone);
  return {
    name: probe.searchName.trim(),
    legalId: probe.legalId?.replace(/\s/g, "") || null,
    postalCode: probe.postalCode?.trim() || null,
    phone,
    phoneTail: phone ? `%${phone.slice(-2)}` : null,
    domain: emailDomainKey(probe.email),
    rawPhone: probe.phone ?? null,
    rawEmail: probe.email ?? null,
  };
}

/** The probes as a relation `p` (n from 1, in the given order). */
function probeRelation(probes: readonly DuplicateProbe[]): Prisma.Sql {
  const keys = probes.map(keysOf);
  const column = (pick: (k: ReturnType<typeof keysOf>) => string | null) => keys.map(pick);
  return Prisma.sql`SELECT * FROM unnest(
      ${column((k) => k.name)}::text[], ${column((k) => k.legalId)}::text[], ${column((k) => k.postalCode)}::text[],
      ${column((k) => k.phone)}::text[], ${column((k) => k.phoneTail)}::text[], ${column((k) => k.domain)}::text[],
      ${column((k) => k.rawPhone)}::text[], ${column((k) => k.rawEmail)}::text[]
    ) WITH ORDINALITY AS p(name, legal_id, postal_code, phone, phone_tail, domain, raw_phone, raw_email, n)`;
}

// The one definition of what makes a record look like a probe: the signals of record `o` against probe `p`,
// and the rule over them — used against the referential, the pending requests, and a batch's own rows.
const SIGNALS = Prisma.sql`
  CASE WHEN p.name = '' THEN 0 ELSE similarity(o."searchName", p.name) END::float8 AS sim,
  coalesce(o."legalId" = p.legal_id, false) AS same_legal,
  coalesce(o."postalCode" = p.postal_code, false) AS same_postal,
  coalesce(p.phone IS NOT NULL AND right(regexp_replace(o.phone, '[^0-9]', '', 'g'), 9) = p.phone, false) AS same_phone,
  coalesce(p.domain IS NOT NULL AND lower(split_part(o.email, '@', 2)) = p.domain, false) AS same_domain`;
const LOOKS_ALIKE = Prisma.sql`(same_legal OR same_phone OR same_domain
  OR sim >= ${SIMILAR_NAME_THRESHOLD} OR (same_postal AND sim >= ${CLOSE_NAME_SAME_POSTAL_CODE_THRESHOLD}))`;

/** Runs a duplicate statement with the trigram index threshold raised for its transaction only. */
function withIndexThreshold<T>(db: Db, query: Prisma.Sql): Promise<T[]> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('pg_trgm.similarity_threshold', ${String(INDEX_THRESHOLD)}, true)`;
    return tx.$queryRaw<T[]>(query);
  });
}

/**
 * For each probe, the live (not merged) organisations — or pending creation requests — that look like it,
 * best first; `excludeIds` are left out. One statement for all the probes (an import batch looks up at once).
 */
export async function findDuplicateCandidatesOfMany(
  db: Db,
  probes: readonly DuplicateProbe[],
  excludeIds: readonly string[] = [],
  among: CandidateSource = "organisations",
): Promise<DuplicateCandidateRow[][]> {
  const found: DuplicateCandidateRow[][] = probes.map(() => []);
  if (!probes.length) return found;
  const { table, live } = CANDIDATE_SOURCES[among];
  const rows = await withIndexThreshold<RawCandidate>(db, Prisma.sql`
    SELECT p.n::int - 1 AS probe, c.* FROM (${probeRelation(probes)}) p
    CROSS JOIN LATERAL (
      SELECT * FROM (
        SELECT scoring.* FROM (
          SELECT id FROM ${table} WHERE p.name <> '' AND "searchName" % p.name
          UNION SELECT id FROM ${table} WHERE "legalId" = p.legal_id
          UNION SELECT id FROM ${table} WHERE p.phone IS NOT NULL AND phone LIKE p.phone_tail AND right(regexp_replace(phone, '[^0-9]', '', 'g'), 9) = p.phone
          UNION SELECT id FROM ${table} WHERE p.domain IS NOT NULL AND lower(split_part(email, '@', 2)) = p.domain
        ) candidate
        -- each candidate read by its primary key (LIMIT 1 keeps this a lookup whatever the statistics say): while a
        -- large import fills a table not analysed yet, the planner otherwise scanned every live row for each probe
        -- (30 s instead of 0.1 s for 500 probes on 25 000 organisations, past the statement timeout)
        CROSS JOIN LATERAL (
          SELECT o.id::text AS id, ${SIGNALS} FROM ${table} o
           WHERE o.id = candidate.id AND ${live} AND o.id::text <> ALL(${[...excludeIds]}::text[]) LIMIT 1
        ) scoring
      ) scored
      WHERE ${LOOKS_ALIKE}
      ORDER BY same_legal DESC, sim DESC, id
      LIMIT ${MAX_CANDIDATES}
    ) c`);
  for (const row of rows) found[row.probe]!.push(toCandidate(row));
  for (const candidates of found) candidates.sort((a, b) => b.score - a.score || a.organisationId.localeCompare(b.organisationId));
  return found;
}

/** Live organisations — or pending creation requests — that look like the probe, best first; `excludeIds` are left out. */
export async function findDuplicateCandidates(
  db: Db,
  probe: DuplicateProbe,
  excludeIds: readonly string[] = [],
  among: CandidateSource = "organisations",
): Promise<DuplicateCandidateRow[]> {
  return (await findDuplicateCandidatesOfMany(db, [probe], excludeIds, among))[0]!;
}

/**
 * The probes (by index) that look like an earlier probe of the same list, by the same rule: rows of one
 * import batch that would otherwise each create an organisation where a steward should see one.
 */
export async function lookAlikesOfEarlierProbes(db: Db, probes: readonly DuplicateProbe[]): Promise<Set<number>> {
  if (probes.length < 2) return new Set();
  const rows = await withIndexThreshold<{ probe: number }>(db, Prisma.sql`
    WITH p AS (${probeRelation(probes)})
    SELECT p.n::int - 1 AS probe FROM p
    WHERE EXISTS (
      SELECT 1 FROM (
        SELECT ${SIGNALS}
        FROM (SELECT n, name AS "searchName", legal_id AS "legalId", postal_code AS "postalCode", raw_phone AS phone, raw_email AS email FROM p) o
        WHERE o.n < p.n
      ) scored
      WHERE ${LOOKS_ALIKE})`);
  return new Set(rows.map((row) => row.probe));
}

function toCandidate(row: RawCandidate): DuplicateCandidateRow {
  const reasons: string[] = [];
  const sim = Number(row.sim);
  if (row.same_legal) reasons.push("SAME_LEGAL_ID");
  if (sim >= SIMILAR_NAME_THRESHOLD) reasons.push("SIMILAR_NAME");
  if (row.same_postal && sim >= CLOSE_NAME_SAME_POSTAL_CODE_THRESHOLD) reasons.push("SAME_POSTAL_CODE_CLOSE_NAME");
  if (row.same_phone) reasons.push("SAME_PHONE");
  if (row.same_domain) reasons.push("SAME_EMAIL_DOMAIN");
  // A score in [0, 1]: the strongest single signal, nudged up by each further one.
  const signals = [row.same_legal ? 1 : 0, sim, row.same_phone ? 0.8 : 0, row.same_domain ? 0.6 : 0, row.same_postal ? Math.min(1, sim + 0.1) : 0];
  const score = Math.min(1, Math.max(...signals) + 0.05 * (reasons.length - 1));
  return { organisationId: row.id, reasons, score: Math.round(score * 1000) / 1000 };
}
