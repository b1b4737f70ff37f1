import type { ColumnFieldMap } from "../../auth/read-policy.js";
import { ALL_ROLES, everyone, isAuthenticated, role, type RuleMap } from "../../auth/rules.js";

/** Head office administers people and teams (SPEC §2: everything, company-wide). */
const administrators = role("HEAD_OFFICE");

// A User or Team is otherwise only reachable through a field that was itself authorised (me, login, assignedRep…).
export const userRules: RuleMap = {
  Query: { me: isAuthenticated, users: administrators, user: administrators, teams: administrators },
  Mutation: {
    createUser: administrators,
    updateUser: administrators,
    deactivateUser: administrators,
    reactivateUser: administrators,
    setTeamManager: administrators,
    // one's own password: people who log in, not API tokens
    changePassword: role(...ALL_ROLES),
  },
  User: { "*": everyone },
  Team: { "*": everyone },
  UserConnection: { "*": everyone },
  UserEdge: { "*": everyone },
  UserPayload: { "*": everyone },
  TeamPayload: { "*": everyone },
};

export const userColumns: ColumnFieldMap = { User: { passwordHash: null } };
