import { everyone, type RuleMap } from "../../auth/rules.js";
import { readOrders } from "../orders/order.rules.js";
import { readOrganisations } from "../organisations/organisation.rules.js";
import { readOpportunities } from "../pipeline/pipeline.rules.js";
import { readVisits } from "../visits/visit.rules.js";

/** An aggregate is read by whoever may read the list it sums up; which rows is the list's own scope. */
export const aggregateRules: RuleMap = {
  Query: { opportunityAggregates: readOpportunities, orderAggregates: readOrders, organisationAggregates: readOrganisations, visitAggregates: readVisits },
  OpportunityAggregates: { "*": everyone },
  OrderAggregates: { "*": everyone },
  MoneyAggregateGroup: { "*": everyone },
  OrganisationAggregates: { "*": everyone },
  OrganisationAggregateGroup: { "*": everyone },
  VisitAggregates: { "*": everyone },
  VisitAggregateGroup: { "*": everyone },
  AggregateKey: { "*": everyone },
};
