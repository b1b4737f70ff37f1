// What the audit module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { getAuditEvent } from "./audit.query.js";
import { AuditEventResolver } from "./audit.resolver.js";
import { auditColumns, auditRules } from "./audit.rules.js";

export const auditModule: DomainModule = {
  resolvers: [AuditEventResolver],
  rules: [auditRules],
  nodes: { AuditEvent: getAuditEvent },
  columns: [auditColumns],
};
