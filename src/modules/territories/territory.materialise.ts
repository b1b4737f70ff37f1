// Materialisation of territories: set-based SQL that turns rules, exceptions and holders into date
// intervals (validTo exclusive), past and future:
//   TerritoryMembership    — which territory matches which organisation, when;
//   OrganisationAssignment — which rep is in charge of which organisation, when.
// Because future scheduled changes are already in the intervals, a change takes effect on its date
// without anyone acting: every read asks "in force on today".
//
// Resolution (documented for coverage and the README):
// - a territory matches an organisation while one of its rules in force matches (criteria of a rule are
//   ANDed; `ancestorOrganisationId` matches the organisation itself or any ancestor), plus INCLUDE
//   exceptions, minus EXCLUDE exceptions (an exclusion always wins);
// - the holder of a territory on a day is the TEMPORARY assignment in force if any, else the PERMANENT one
//   (latest validFrom first): a cover takes over for its window and the permanent holder comes back after;
// - an organisation matched by several territories goes to the one with the lowest `priority`, then the
//   oldest (createdAt, id), among those that have a holder that day.
// History before `frozenBefore` is never rewritten: intervals in force on that day are cut there (or
// continued when the new computation agrees), only later rows are replaced.
import { Prisma } from "../../db/generated/client.js";
import type { Db } from "../../db/client.js";
import { and, inForce, notEndedBy, toSqlText } from "../../auth/scope/condition.js";

/** Rows of alias `alias` not ended by the SQL day expression `day` (in force on it or later). */
const notEnded = (alias: string, day: string) => toSqlText(notEndedBy(Prisma.raw(day)), alias);

type Tx = Prisma.TransactionClient;

/** What a change touches: organisations (changed records) and/or territories (rules, exceptions, holders). */
export interface RecomputeScope {
  organisationIds?: readonly string[];
  territoryIds?: readonly string[];
  /** every organisation (first load, benchmarks) */
  all?: boolean;
}

export interface RecomputeResult {
  organisations: number;
  /** rows deleted, cut or inserted, per table: what the recompute rewrote */
  membershipRowsWritten: number;
  assignmentRowsWritten: number;
}

const isoDay = (day: Date) => day.toISOString().slice(0, 10);

/** Does a rule (alias r) match an organisation (alias o)? Ancestors come from the `_anc` table. */
const RULE_MATCHES = `
  (r."country" IS NULL OR r."country" = o."country")
  AND (r."region" IS NULL OR r."region" = o."region")
  AND (cardinality(r."postalCodePrefixes") = 0 OR EXISTS (
        SELECT 1 FROM unnest(r."postalCodePrefixes") p WHERE o."postalCode" LIKE p || '%'))
  AND (r."banner" IS NULL OR r."banner" = o."banner")
  AND (r."buyingGroup" IS NULL OR r."buyingGroup" = o."buyingGroup")
  AND (r."ancestorOrganisationId" IS NULL OR EXISTS (
        SELECT 1 FROM _anc a WHERE a.org = o.id AND a.ancestor = r."ancestorOrganisationId"))`;

/**
 * (organisation in scope, rule) pairs worth checking: each rule is driven by its most selective criterion,
 * joined by equality (hash joins instead of checking every rule against every organisation); the full
 * criteria are checked afterwards. Postal-code prefixes join on the organisation's own prefixes.
 */
const CANDIDATES = `
  org_prefixes AS (
    SELECT o.id AS org, left(o."postalCode", n) AS prefix
      FROM "Organisation" o JOIN _scope s ON s.id = o.id, generate_series(1, 10) n
     WHERE o."postalCode" IS NOT NULL AND n <= length(o."postalCode")
  ), candidates AS (
    SELECT a.org, r.id AS rule FROM "TerritoryRule" r JOIN _anc a ON a.ancestor = r."ancestorOrganisationId"
    UNION ALL
    SELECT DISTINCT op.org, r.id FROM "TerritoryRule" r, unnest(r."postalCodePrefixes") p JOIN org_prefixes op ON op.prefix = p
     WHERE r."ancestorOrganisationId" IS NULL
    UNION ALL
    SELECT o.id, r.id FROM "TerritoryRule" r JOIN "Organisation" o ON o."banner" = r."banner" JOIN _scope s ON s.id = o.id
     WHERE r."ancestorOrganisationId" IS NULL AND cardinality(r."postalCodePrefixes") = 0
    UNION ALL
    SELECT o.id, r.id FROM "TerritoryRule" r JOIN "Organisation" o ON o."buyingGroup" = r."buyingGroup" JOIN _scope s ON s.id = o.id
     WHERE r."ancestorOrganisationId" IS NULL AND cardinality(r."postalCodePrefixes") = 0 AND r."banner" IS NULL
    UNION ALL
    SELECT o.id, r.id FROM "TerritoryRule" r JOIN "Organisation" o ON o."region" = r."region" JOIN _scope s ON s.id = o.id
     WHERE r."ancestorOrganisationId" IS NULL AND cardinality(r."postalCodePrefixes") = 0 AND r."banner" IS NULL AND r."buyingGroup" IS NULL
    UNION ALL
    SELECT o.id, r.id FROM "TerritoryRule" r JOIN "Organisation" o ON o."country" = r."country" JOIN _scope s ON s.id = o.id
     WHERE r."ancestorOrganisationId" IS NULL AND cardinality(r."postalCodePrefixes") = 0 AND r."banner" IS NULL
       AND r."buyingGroup" IS NULL AND r."region" IS NULL
  )`;

/**
 * Recomputes the intervals of the organisations in scope from `frozenBefore` on, in the caller's
 * transaction. The organisations a territory change touches are those the territory matched from that
 * day on, plus those its rules or exceptions match now (a rule may gain or lose organisations).
 */
export async function recomputeTerritoriesInTx(tx: Tx, scope: RecomputeScope, frozenBefore: Date, profile?: Record<string, number>): Promise<RecomputeResult> {
  const day = isoDay(frozenBefore);
  // Optional per-statement timings (benchmarks): the statement's first line names it.
  const run = async (sql: string, ...params: unknown[]): Promise<number> => {
    const started = performance.now();
    const count = await tx.$executeRawUnsafe(sql, ...params);
    if (profile) {
      const name = sql.trim().split("\n")[0]!.slice(0, 60);
      profile[name] = Math.round((profile[name] ?? 0) + performance.now() - started);
    }
    return count;
  };
  await run(`DROP TABLE IF EXISTS _scope, _anc, _member, _holder, _assign, _charge_before, _charge_after`);
  await run(`CREATE TEMP TABLE _scope (id uuid PRIMARY KEY) ON COMMIT DROP`);
  if (scope.all) {
    // A full recompute is a batch (first load, repair): it may take longer than a request's statements.
    await run(`SET LOCAL statement_timeout = '15min'`);
    await run(`INSERT INTO _scope SELECT id FROM "Organisation"`);
  } else {
    if (scope.organisationIds?.length) {
      await run(`INSERT INTO _scope SELECT DISTINCT unnest($1::text[])::uuid ON CONFLICT DO NOTHING`, [...scope.organisationIds]);
    }
    if (scope.territoryIds?.length) {
      const territories = [...scope.territoryIds];
      // organisations the territories matched from the frozen day on, and their exceptions
      await run(
        `INSERT INTO _scope
           SELECT m."organisationId" FROM "TerritoryMembership" m
            WHERE m."territoryId" = ANY($1::text[]::uuid[]) AND ${notEnded("m", "$2::date")}
           UNION SELECT "organisationId" FROM "TerritoryException" WHERE "territoryId" = ANY($1::text[]::uuid[])
         ON CONFLICT DO NOTHING`,
        territories,
        day,
      );
      // organisations their rules match now (ancestors of every organisation are needed for that)
      await run(
        `CREATE TEMP TABLE _anc ON COMMIT DROP AS
         WITH RECURSIVE anc(org, ancestor) AS (
           SELECT id, id FROM "Organisation"
           UNION SELECT anc.org, p."parentId" FROM anc JOIN "Organisation" p ON p.id = anc.ancestor WHERE p."parentId" IS NOT NULL)
         SELECT org, ancestor FROM anc
         WHERE EXISTS (SELECT 1 FROM "TerritoryRule" r WHERE r."territoryId" = ANY($1::text[]::uuid[]) AND r."ancestorOrganisationId" IS NOT NULL)`,
        territories,
      );
      await run(
        `INSERT INTO _scope
           SELECT DISTINCT o.id FROM "Organisation" o JOIN "TerritoryRule" r ON ${RULE_MATCHES}
            WHERE r."territoryId" = ANY($1::text[]::uuid[]) AND ${notEnded("r", "$2::date")}
         ON CONFLICT DO NOTHING`,
        territories,
        day,
      );
      await run(`DROP TABLE _anc`);
    }
  }
  await run(`ANALYZE _scope`);

  // Ancestors (and self) of the organisations in scope.
  await run(`
    CREATE TEMP TABLE _anc ON COMMIT DROP AS
    WITH RECURSIVE anc(org, ancestor) AS (
      SELECT id, id FROM _scope
      UNION SELECT anc.org, p."parentId" FROM anc JOIN "Organisation" p ON p.id = anc.ancestor WHERE p."parentId" IS NOT NULL)
    SELECT org, ancestor FROM anc`);
  await run(`CREATE INDEX ON _anc (org, ancestor)`);
  // Temporary tables have no statistics until analysed: without them the planner picks nested loops.
  await run(`ANALYZE _anc`);

  // Memberships: rule windows ∪ INCLUDE windows − EXCLUDE windows, as maximal intervals.
  await run(`
    CREATE TEMP TABLE _member ON COMMIT DROP AS
    WITH ${CANDIDATES}, pieces AS (
      SELECT o.id AS org, r."territoryId" AS territory, daterange(r."validFrom", r."validTo") AS rng, true AS plus
        FROM candidates c JOIN "Organisation" o ON o.id = c.org JOIN "TerritoryRule" r ON r.id = c.rule
       WHERE o."mergedIntoId" IS NULL AND ${RULE_MATCHES}
      UNION ALL
      SELECT e."organisationId", e."territoryId", daterange(e."validFrom", e."validTo"), e."mode" = 'INCLUDE'
        FROM "TerritoryException" e JOIN _scope s ON s.id = e."organisationId"
        JOIN "Organisation" o ON o.id = e."organisationId" AND o."mergedIntoId" IS NULL
    ), merged AS (
      SELECT org, territory,
             coalesce(range_agg(rng) FILTER (WHERE plus), '{}'::datemultirange)
           - coalesce(range_agg(rng) FILTER (WHERE NOT plus), '{}'::datemultirange) AS ranges
        FROM pieces GROUP BY org, territory
    )
    SELECT org, territory, lower(r) AS vf, upper(r) AS vt FROM merged, unnest(ranges) r`);
  await run(`CREATE INDEX ON _member (org)`);
  await run(`ANALYZE _member`);

  // Holder of each territory over time: elementary segments between assignment bounds.
  await run(`
    CREATE TEMP TABLE _holder ON COMMIT DROP AS
    WITH bounds AS (
      SELECT "territoryId" AS territory, "validFrom" AS d FROM "TerritoryAssignment"
      UNION SELECT "territoryId", "validTo" FROM "TerritoryAssignment" WHERE "validTo" IS NOT NULL
    ), segments AS (
      SELECT territory, d AS s, lead(d) OVER (PARTITION BY territory ORDER BY d) AS e FROM bounds
    )
    SELECT DISTINCT ON (g.territory, g.s) g.territory, g.s, g.e, a."repId" AS rep
      FROM segments g JOIN "TerritoryAssignment" a
        ON a."territoryId" = g.territory AND ${toSqlText(inForce(Prisma.raw("g.s")), "a")}
     ORDER BY g.territory, g.s, (a."kind" = 'TEMPORARY') DESC, a."validFrom" DESC, a."createdAt" DESC, a.id`);
  await run(`ANALYZE _holder`);

  // Rep in charge: elementary segments per organisation, winner by territory priority, then islands merged.
  await run(`
    CREATE TEMP TABLE _assign ON COMMIT DROP AS
    WITH bounds AS (
      SELECT org, vf AS d FROM _member
      UNION SELECT org, vt FROM _member WHERE vt IS NOT NULL
      UNION SELECT m.org, h.s FROM _member m JOIN _holder h ON h.territory = m.territory
      UNION SELECT m.org, h.e FROM _member m JOIN _holder h ON h.territory = m.territory WHERE h.e IS NOT NULL
    ), segments AS (
      SELECT org, d AS s, lead(d) OVER (PARTITION BY org ORDER BY d) AS e FROM bounds
    ), winners AS (
      SELECT DISTINCT ON (g.org, g.s) g.org, g.s, g.e, m.territory, h.rep
        FROM segments g
        JOIN _member m ON m.org = g.org AND m.vf <= g.s AND (m.vt IS NULL OR m.vt > g.s)
        JOIN _holder h ON h.territory = m.territory AND h.s <= g.s AND (h.e IS NULL OR h.e > g.s)
        JOIN "Territory" t ON t.id = m.territory
       ORDER BY g.org, g.s, t."priority", t."createdAt", t.id
    ), marked AS (
      SELECT *, CASE WHEN lag(e) OVER w = s AND lag(territory) OVER w = territory AND lag(rep) OVER w = rep THEN 0 ELSE 1 END AS brk
        FROM winners WINDOW w AS (PARTITION BY org ORDER BY s)
    ), islands AS (
      SELECT *, sum(brk) OVER (PARTITION BY org ORDER BY s) AS island FROM marked
    )
    SELECT org, territory, rep, min(s) AS vf, (array_agg(e ORDER BY s DESC))[1] AS vt
      FROM islands GROUP BY org, territory, rep, island`);
  await run(`CREATE INDEX ON _assign (org)`);
  await run(`ANALYZE _assign`);

  await run(snapshotCharge("_charge_before"), day);
  await run(`CREATE INDEX ON _charge_before (org)`);
  const membershipRowsWritten = await splice(run, {
    table: `"TerritoryMembership"`,
    computed: "_member",
    keys: [[`"territoryId"`, "territory"]],
    day,
  });
  const assignmentRowsWritten = await splice(run, {
    table: `"OrganisationAssignment"`,
    computed: "_assign",
    keys: [
      [`"territoryId"`, "territory"],
      [`"repId"`, "rep"],
    ],
    day,
    // manual assignments (no territory) are someone's explicit decision: never rewritten here
    only: `x."territoryId" IS NOT NULL`,
  });
  await run(snapshotCharge("_charge_after"), day);
  await run(`CREATE INDEX ON _charge_after (org)`);
  await run(`ANALYZE _charge_before, _charge_after`);
  await run(RECORD_CHARGE_CHANGES, day);
  const [{ count }] = await tx.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM _scope`);
  await run(`DROP TABLE IF EXISTS _scope, _anc, _member, _holder, _assign, _charge_before, _charge_after`);
  return { organisations: count, membershipRowsWritten, assignmentRowsWritten };
}

/**
 * Who is in charge of the organisations in scope from the frozen day on, as keys with their windows: the
 * rep and territory of each assignment, and each territory membership (partner tokens follow those).
 */
const snapshotCharge = (table: string) => `
  CREATE TEMP TABLE ${table} ON COMMIT DROP AS
  SELECT x."organisationId" AS org, 'rep:' || coalesce(x."repId"::text, '') || '/' || coalesce(x."territoryId"::text, '') AS k,
         x."validFrom", x."validTo"
    FROM "OrganisationAssignment" x JOIN _scope s ON s.id = x."organisationId" WHERE ${notEnded("x", "$1::date")}
  UNION ALL
  SELECT x."organisationId", 'member:' || x."territoryId"::text, x."validFrom", x."validTo"
    FROM "TerritoryMembership" x JOIN _scope s ON s.id = x."organisationId" WHERE ${notEnded("x", "$1::date")}`;

/** The keys of a charge snapshot (alias c) in force on the SQL day `day`, in a comparable order. */
const chargeOn = (table: string, day: string) =>
  `ARRAY(SELECT c.k FROM ${table} c WHERE c.org = d.org AND ${toSqlText(inForce(Prisma.raw(day)), "c")} ORDER BY c.k)`;

/**
 * One change-feed event per organisation and day on which who is in charge now changes differently than
 * before this recompute: today's immediate changes, and each later transition of the new history that the
 * old history did not have (a scheduled change, or a schedule moved). The feed shows an event from its
 * `effectiveOn` day on, so a scheduled change reaches the reps on its date without anyone acting then.
 */
const RECORD_CHARGE_CHANGES = `
  INSERT INTO "AuditEvent" ("id", "entity", "entityId", "action", "after", "changedFields", "effectiveOn")
  WITH days AS (
    SELECT org, greatest("validFrom", $1::date) AS day FROM _charge_before
    UNION SELECT org, "validTo" FROM _charge_before WHERE "validTo" > $1::date
    UNION SELECT org, greatest("validFrom", $1::date) FROM _charge_after
    UNION SELECT org, "validTo" FROM _charge_after WHERE "validTo" > $1::date
  ), states AS (
    SELECT d.org, d.day,
           ${chargeOn("_charge_before", "d.day - 1")} AS was_before, ${chargeOn("_charge_before", "d.day")} AS was,
           ${chargeOn("_charge_after", "d.day - 1")} AS now_before, ${chargeOn("_charge_after", "d.day")} AS now
      FROM days d
  )
  SELECT gen_random_uuid(), 'Organisation', org::text, 'chargeChanged', jsonb_build_object('effectiveOn', day), ARRAY['charge'], day
    FROM states
   WHERE CASE WHEN day = $1::date THEN was <> now
              ELSE now_before <> now AND (was_before <> now_before OR was <> now) END`;

/**
 * Replaces the rows of the organisations in scope from `day` on with the computed intervals, leaving
 * earlier history as it is: rows in force on `day` are continued when the computation agrees, cut
 * at `day` otherwise; rows starting on or after `day` are replaced.
 */
async function splice(
  run: (sql: string, ...params: unknown[]) => Promise<number>,
  spec: { table: string; computed: string; keys: [string, string][]; day: string; only?: string },
): Promise<number> {
  const { table, computed, day } = spec;
  const only = spec.only ? `AND ${spec.only}` : "";
  const sameKey = spec.keys.map(([column, field]) => `x.${column} = c.${field}`).join(" AND ");
  // rows spanning the frozen day: started before it, not ended by it
  const inForceAcross = toSqlText(and(inForce(Prisma.raw("$1::date - 1")), notEndedBy(Prisma.raw("$1::date"))), "x");
  const clipped = `(c.vt IS NULL OR c.vt > $1::date)`;
  let written = 0;
  written += await run(
    `DELETE FROM ${table} x USING _scope s WHERE x."organisationId" = s.id AND x."validFrom" >= $1::date ${only}`,
    day,
  );
  // Continue the rows the computation agrees with (same key across the frozen day), cut the others.
  const continued = await run(
    `UPDATE ${table} x SET "validTo" = c.vt FROM ${computed} c
      WHERE x."organisationId" = c.org AND ${sameKey} AND ${inForceAcross}
        AND c.vf <= $1::date AND ${clipped} AND x."validTo" IS DISTINCT FROM c.vt`,
    day,
  );
  const cut = await run(
    `UPDATE ${table} x SET "validTo" = $1::date FROM _scope s
      WHERE x."organisationId" = s.id AND ${inForceAcross} ${only}
        AND NOT EXISTS (SELECT 1 FROM ${computed} c WHERE x."organisationId" = c.org AND ${sameKey} AND c.vf <= $1::date
                          AND c.vt IS NOT DISTINCT FROM x."validTo")`,
    day,
  );
  // Computed intervals now carried by a continued row are not inserted again. (Deciding this before the
  // INSERT, rather than with NOT EXISTS inside it, keeps the insert from scanning its own new rows.)
  await run(
    `DELETE FROM ${computed} c USING ${table} x
      WHERE x."organisationId" = c.org AND ${sameKey} AND x."validFrom" < $1::date AND c.vf <= $1::date
        AND x."validTo" IS NOT DISTINCT FROM c.vt ${only}`,
    day,
  );
  const columns = spec.keys.map(([column]) => column).join(", ");
  const fields = spec.keys.map(([, field]) => `c.${field}`).join(", ");
  const inserted = await run(
    `INSERT INTO ${table} ("id", "organisationId", ${columns}, "validFrom", "validTo")
     SELECT gen_random_uuid(), c.org, ${fields}, greatest(c.vf, $1::date), c.vt FROM ${computed} c WHERE ${clipped}`,
    day,
  );
  return written + continued + cut + inserted;
}

/** Recomputes in the caller's transaction, or in a transaction of its own when given the client. */
export function recomputeTerritories(db: Db | Tx, scope: RecomputeScope, frozenBefore: Date, profile?: Record<string, number>): Promise<RecomputeResult> {
  if ("$transaction" in db) return db.$transaction((tx) => recomputeTerritoriesInTx(tx, scope, frozenBefore, profile), { timeout: 1_800_000, maxWait: 30_000 });
  return recomputeTerritoriesInTx(db, scope, frozenBefore, profile);
}
