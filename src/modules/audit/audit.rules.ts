import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { everyone, role, type RuleMap } from "../../auth/rules.js";
import { Prisma } from "../../db/generated/client.js";

const auditReaders = role("HEAD_OFFICE", "DATA_STEWARD");

export const auditRules: RuleMap = {
  Query: { auditEvents: auditReaders },
  AuditEvent: { "*": auditReaders },
  AuditEventConnection: { "*": everyone },
  AuditEventEdge: { "*": everyone },
};

/** The trail does not record itself: no side path shows an audit event as an entity (its before/after hold
 * other entities' rows, which only the event's own projection may show). */
export const auditColumns: ColumnFieldMap = { AuditEvent: Object.fromEntries(Object.keys(Prisma.AuditEventScalarFieldEnum).map((column) => [column, null])) };
