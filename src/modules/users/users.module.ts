// What the users module hands the composition root (src/modules/index.ts): all of it, or the server refuses to start.
import type { DomainModule } from "../../graphql/domain-module.js";
import { AuditEventActorResolver, TeamResolver, UserResolver } from "./user.resolver.js";
import { userColumns, userRules } from "./user.rules.js";
import { getTeam, getUser } from "./user.service.js";

export const usersModule: DomainModule = {
  resolvers: [UserResolver, AuditEventActorResolver, TeamResolver],
  rules: [userRules],
  nodes: { User: getUser, Team: getTeam },
  columns: [userColumns],
};
