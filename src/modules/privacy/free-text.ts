// An erasure also reaches the free text that names the person: visit reports, tasks, deal notes, incidents
// and notes of the contact's organisation, where a rep wrote "met Jeanne Martin (jeanne.martin@…)". The full
// name (either order, any spacing, any case), the e-mail and the phone are replaced by ERASED_MENTION in the
// rows and in every stored image of them (the audit trail, the change feed's source, and webhook payloads).
// A rewritten row gets a new version (a copy held offline meets CONFLICT, not a silent overwrite) and an
// audited "redact" change naming the columns rewritten, so the change feed tells readers to fetch it again.
// A surname alone is left: too common to be the person with any certainty.
import type { Viewer } from "../../auth/viewer.js";
import { Prisma } from "../../db/generated/client.js";
import { toGlobalId } from "../../graphql/relay.js";
import { recordAudits, type AuditEntry } from "../audit/audit.service.js";

type Tx = Prisma.TransactionClient;

export const ERASED_MENTION = "[erased contact]";

interface FreeTextTable {
  table: string;
  columns: readonly string[];
  /** whether rows carry a version */
  versioned: boolean;
  /** whether rows carry an updatedAt */
  stamped: boolean;
  /** whether changes of the rows are audited (their images hold the text too) */
  audited: boolean;
}

/** The rows of the contact's organisation (`$1`), over the alias x. */
const OF_ORGANISATION = `x."organisationId" = $1::uuid`;

const FREE_TEXT: readonly FreeTextTable[] = [
  { table: "Visit", columns: ["objectives", "agenda", "preparationNotes", "outcome", "reportNotes", "nextSteps", "cancelReason"], versioned: true, stamped: true, audited: true },
  // a deal's or a visit's task carries their organisation too (the task service sets it)
  { table: "Task", columns: ["title", "description"], versioned: true, stamped: true, audited: true },
  { table: "Opportunity", columns: ["name", "needs", "lostReason"], versioned: true, stamped: true, audited: true },
  { table: "Incident", columns: ["summary"], versioned: false, stamped: true, audited: true },
  { table: "Note", columns: ["body"], versioned: false, stamped: false, audited: false },
];

export interface Person {
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
}

const regexEscaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One PostgreSQL regular expression (case-insensitive use) matching the person's mentions; null when
 * nothing identifies them (no name parts). `quoted` matches them inside JSON text, as stored images hold it. */
export function mentionPattern(person: Person, quoted = false): string | null {
  const literal = (text: string) => regexEscaped(quoted ? JSON.stringify(text).slice(1, -1) : text);
  const words = (text: string) => text.trim().split(/\s+/).filter(Boolean).map(literal);
  const first = words(person.firstName);
  const last = words(person.lastName);
  const alternatives: string[] = [];
  if (first.length && last.length) {
    alternatives.push([...first, ...last].join("\\s+"), [...last, ...first].join("\\s+"));
  }
  if (person.email?.trim()) alternatives.push(literal(person.email.trim()));
  if (person.phone && person.phone.replace(/\D/g, "").length >= 6) alternatives.push(words(person.phone).join("\\s*"));
  // whole mentions only: not inside a longer word (lookarounds rather than \m \M, which need a word character at the ends)
  return alternatives.length ? `(?<![[:alnum:]_])(${alternatives.join("|")})(?![[:alnum:]_])` : null;
}

/** Rewrites the person's mentions in the organisation's free text and in the stored images of those rows. */
export async function eraseMentions(tx: Tx, viewer: Viewer, now: Date, organisationId: string, person: Person): Promise<void> {
  const pattern = mentionPattern(person);
  const quoted = mentionPattern(person, true);
  if (!pattern || !quoted) return;
  const audits: AuditEntry[] = [];
  for (const text of FREE_TEXT) {
    const set = text.columns.map((column) => `"${column}" = regexp_replace("${column}", $2, $3, 'gi')`);
    const touched = text.columns.map((column) => `x."${column}" ~* $2`).join(" OR ");
    const rows = await tx.$queryRawUnsafe<{ id: string; image: Record<string, unknown> }[]>(
      `UPDATE "${text.table}" x SET ${set.join(", ")}${text.stamped ? `, "updatedAt" = ($4::timestamptz AT TIME ZONE 'UTC')` : ""}${text.versioned ? `, "version" = x."version" + 1` : ""}
        WHERE ${OF_ORGANISATION} AND (${touched})
        RETURNING x."id"::text AS id, to_jsonb(x) AS image`,
      ...[organisationId, pattern, ERASED_MENTION, ...(text.stamped ? [now.toISOString()] : [])],
    );
    if (!text.audited) continue;
    for (const { id, image } of rows) {
      // before: the row without the rewritten columns (those now holding the mark), so that the feed judges
      // who saw it by the same columns as ever and lists only the rewritten ones as changed
      const before = Object.fromEntries(Object.entries(image).filter(([column, value]) => !(text.columns.includes(column) && typeof value === "string" && value.includes(ERASED_MENTION))));
      audits.push({ entity: text.table, entityId: id, action: "redact", before, after: image });
    }
    // the row's earlier images (every one, not only the rows rewritten now: an old version may name the person)
    await tx.$executeRawUnsafe(
      `UPDATE "AuditEvent" e SET
          "before" = CASE WHEN e."before" IS NULL THEN NULL ELSE regexp_replace(e."before"::text, $2, $3, 'gi')::jsonb END,
          "after" = CASE WHEN e."after" IS NULL THEN NULL ELSE regexp_replace(e."after"::text, $2, $3, 'gi')::jsonb END
        WHERE e."entity" = $4 AND e."entityId" IN (SELECT x."id"::text FROM "${text.table}" x WHERE ${OF_ORGANISATION})
          AND (e."before"::text ~* $2 OR e."after"::text ~* $2)`,
      organisationId,
      quoted,
      ERASED_MENTION,
      text.table,
    );
    const ids = (await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT x."id"::text AS id FROM "${text.table}" x WHERE ${OF_ORGANISATION}`, organisationId)).map((row) =>
      toGlobalId(text.table, row.id),
    );
    if (ids.length) {
      await tx.$executeRaw`
        UPDATE "WebhookDelivery" SET "payload" = regexp_replace("payload"::text, ${quoted}, ${ERASED_MENTION}, 'gi')::jsonb
         WHERE "payload" #>> '{data,id}' = ANY(${ids}::text[]) AND "payload"::text ~* ${quoted}`;
    }
  }
  await recordAudits(tx, viewer, audits);
}
