import { everyone, role, type RuleMap } from "../../auth/rules.js";

const auditReaders = role("HEAD_OFFICE", "DATA_STEWARD");

export const auditRules: RuleMap = {
  Query: { auditEvents: auditReaders },
  AuditEvent: { "*": auditReaders },
  AuditEventConnection: { "*": everyone },
  AuditEventEdge: { "*": everyone },
};
