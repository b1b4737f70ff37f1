// What the visits module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { MaterialRequestVisitResolver, OrganisationVisitsResolver, TaskVisitResolver, VisitPlanResolver, VisitPolicyResolver, VisitReportResolver, VisitResolver } from "./visit.resolver.js";
import { visitColumns, visitRules } from "./visit.rules.js";
import { getVisit } from "./visit.service.js";
import { Visit } from "./visit.type.js";
import { customFieldsResolverOf } from "../custom-fields/custom-field.resolver.js";
import { CustomFieldEntity } from "../../db/generated/enums.js";

export const visitsModule: DomainModule = {
  resolvers: [VisitResolver, VisitReportResolver, VisitPolicyResolver, VisitPlanResolver, OrganisationVisitsResolver, TaskVisitResolver, MaterialRequestVisitResolver, customFieldsResolverOf(Visit, CustomFieldEntity.VISIT)],
  rules: [visitRules],
  nodes: { Visit: getVisit },
  columns: [visitColumns],
};
