// What the timeline module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { OrganisationTimelineResolver, TimelineItemResolver } from "./timeline.resolver.js";
import { timelineRules } from "./timeline.rules.js";

export const timelineModule: DomainModule = {
  resolvers: [OrganisationTimelineResolver, TimelineItemResolver],
  rules: [timelineRules],
};
