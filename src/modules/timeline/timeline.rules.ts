import { everyone, isAuthenticated, type RuleMap } from "../../auth/rules.js";
import { readOrganisations } from "../organisations/organisation.rules.js";

// Who reads the organisation reads its timeline; which kinds they see is decided by each source.
export const timelineRules: RuleMap = {
  Organisation: { timeline: readOrganisations },
  TimelineConnection: { "*": everyone },
  TimelineEdge: { "*": everyone },
  TimelineItem: { "*": isAuthenticated },
};
