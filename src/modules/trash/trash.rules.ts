// Who may delete and restore a record: whoever may update it (the entity's own write rule; the service then
// asks for the row in the viewer's scope). The bin is listed for whoever reads any of its kinds: each kind
// shows only the deleted rows the viewer's reach covers.
import { anyOf, everyone, type RuleMap } from "../../auth/rules.js";
import { readContacts, writeContacts } from "../contacts/contact.rules.js";
import { readOpportunities, writeOpportunities } from "../pipeline/pipeline.rules.js";
import { readTasks, writeTasks } from "../tasks/task.rules.js";
import { readVisits, writeVisits } from "../visits/visit.rules.js";

export const trashRules: RuleMap = {
  Query: { trash: anyOf(readContacts, readOpportunities, readVisits, readTasks) },
  Mutation: {
    deleteContact: writeContacts,
    restoreContact: writeContacts,
    deleteOpportunity: writeOpportunities,
    restoreOpportunity: writeOpportunities,
    deleteQuote: writeOpportunities,
    restoreQuote: writeOpportunities,
    deleteVisit: writeVisits,
    restoreVisit: writeVisits,
    deleteTask: writeTasks,
    restoreTask: writeTasks,
  },
  TrashConnection: { "*": everyone },
  TrashEdge: { "*": everyone },
  TrashEntry: { "*": everyone },
  RestorePayload: { "*": everyone },
};
