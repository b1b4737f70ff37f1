// What the objectives module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { ObjectiveResolver } from "./objective.resolver.js";
import { objectiveRules } from "./objective.rules.js";
import { getObjective } from "./objective.service.js";

export const objectivesModule: DomainModule = {
  resolvers: [ObjectiveResolver],
  rules: [objectiveRules],
  nodes: { Objective: getObjective },
};
