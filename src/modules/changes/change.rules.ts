import { everyone, isAuthenticated, type RuleMap } from "../../auth/rules.js";

/** Every signed-in principal reads its own feed: what it carries is decided per record by the reader's scope
 * and field rules (the node's own type rules apply to `node`). */
export const changeRules: RuleMap = {
  Query: { changesCursor: isAuthenticated, changes: isAuthenticated },
  Subscription: { changes: isAuthenticated },
  ChangePage: { "*": everyone },
  Change: { "*": everyone },
  Removal: { "*": everyone },
};
