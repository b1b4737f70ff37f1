// The named operations, as real clients send them, for the three targets:
//   ours          — our GraphQL API (variants: the richest one whose fields our running schema has wins)
//   postgraphile  — PostGraphile v5 amber over the same tables (+ a few SQL functions in schema bench_peer,
//                   which is how a PostGraphile team writes portfolio, search and board queries)
//   raw           — hand-written SQL through `pg` (bench/raw-sql-server.ts holds the SQL, by operation name)
// To add an operation: add an entry to OPERATIONS (and its SQL to raw-sql-server.ts). To enrich one when a
// field lands in our schema: add a variant first in its list, with the field coordinates it `requires`.

import { randomUUID } from "node:crypto";

export interface Fixture {
  today: string;
  repId: string;
  repGlobalId: string;
  teamId: string;
  teamRepIds: string[];
  organisationId: string;
  organisationGlobalId: string;
  searchText: string;
  /** contacts of the rep's portfolio, updated in turn by ours */
  contacts: Versioned[];
  /** other contacts, updated in turn by the peers (first half PostGraphile, second half raw SQL) */
  peerContactIds: string[];
  /** open deals of the rep, moved in turn between two stages by ours (versions and stages followed) */
  opportunities: (Versioned & { stageId: string })[];
  /** other open deals, moved by the peers (first half PostGraphile, second half raw SQL) */
  peerOpportunities: { id: string; amount: string }[];
  /** visits of the rep, reported in turn by ours (a report may be amended: versions followed) */
  visits: Versioned[];
  /** other visits, reported by the peers (halves as above) */
  peerVisitIds: string[];
  /** the two open stages deals move between */
  stages: { from: { id: string; globalId: string; probability: number }; to: { id: string; globalId: string; probability: number } };
  tokens: { rep: string; manager: string; headOffice: string };
}

export interface Versioned {
  id: string;
  globalId: string;
  version: number;
}

/** The item a write takes in turn, and the version to send (then counted as changed). */
function nextVersioned<Item extends Versioned>(items: Item[], n: number): { item: Item; version: number } {
  const item = items[n % items.length]!;
  const version = item.version;
  item.version += 1;
  return { item, version };
}

/** Peers take alternate halves of the same list, so that neither writes over the other's rows. */
const half = <T>(items: T[], n: number, second: boolean): T => {
  const size = items.length >> 1;
  return items[(second ? size : 0) + (n % size)]!;
};

export interface GraphQLCall {
  query: string;
  variables?: Record<string, unknown>;
  /** whose token ours sends (the peers have no authentication) */
  as?: keyof Fixture["tokens"];
}

export interface Variant {
  /** what the variant returns, for the printed table */
  label: string;
  /** `Type.field` coordinates our schema must have for ours to run this variant */
  requires: string[];
  /** one request per call: `n` counts the requests of this run (writes use it to pick a row) */
  ours?: (fx: Fixture, n: number) => GraphQLCall;
  postgraphile?: (fx: Fixture, n: number) => GraphQLCall;
  raw?: (fx: Fixture, n: number) => Record<string, unknown>;
}

export interface Operation {
  name: string;
  title: string;
  kind: "read" | "write";
  /** richest first */
  variants: Variant[];
}

const repHomeOrganisationFields = `id name status segment category`;

export const OPERATIONS: Operation[] = [
  {
    name: "rep-home",
    title: "1 rep home: first 50 organisations of a rep's portfolio with primary contact and open opportunities",
    kind: "read",
    variants: [
      {
        label: "organisations + primary contact + first 10 opportunities (open first)",
        requires: ["Query.organisations", "Organisation.contacts", "Organisation.opportunities"],
        ours: () => ({
          as: "rep",
          query: `query RepHome { organisations(first: 50) { edges { node { ${repHomeOrganisationFields} address { city postalCode }
            contacts(first: 1) { edges { node { id firstName lastName email phone roles } } }
            opportunities(first: 10) { edges { node { id name status amount probability expectedCloseDate stage { name } } } } } } } }`,
        }),
        postgraphile: (fx) => ({
          query: `query RepHome($rep: UUID!, $day: Date!) { benchPeerRepPortfolio(rep: $rep, day: $day, first: 50) { nodes { rowId name status segment category city postalCode
            contactsByOrganisationId(first: 5) { nodes { rowId firstName lastName email phone roles isPrimary leftCompanyAt } }
            opportunitiesByOrganisationId(first: 10, condition: { status: OPEN }, orderBy: [EXPECTED_CLOSE_DATE_ASC, PRIMARY_KEY_ASC]) { nodes { rowId name status amount probability expectedCloseDate pipelineStageByStageId { name } } } } } }`,
          variables: { rep: fx.repId, day: fx.today },
        }),
        raw: (fx) => ({ repId: fx.repId, day: fx.today, opportunities: true }),
      },
      {
        label: "organisations + primary contact",
        requires: ["Query.organisations", "Organisation.contacts"],
        ours: () => ({
          as: "rep",
          query: `query RepHome { organisations(first: 50) { edges { node { ${repHomeOrganisationFields} address { city postalCode }
            contacts(first: 1) { edges { node { id firstName lastName email phone roles } } } } } } }`,
        }),
        postgraphile: (fx) => ({
          query: `query RepHome($rep: UUID!, $day: Date!) { benchPeerRepPortfolio(rep: $rep, day: $day, first: 50) { nodes { rowId name status segment category city postalCode
            contactsByOrganisationId(first: 5) { nodes { rowId firstName lastName email phone roles isPrimary leftCompanyAt } } } } }`,
          variables: { rep: fx.repId, day: fx.today },
        }),
        raw: (fx) => ({ repId: fx.repId, day: fx.today, opportunities: false }),
      },
    ],
  },
  {
    name: "organisation-page",
    title: "2 organisation page: one organisation with contacts, opportunities with stage history, last 20 timeline items",
    kind: "read",
    variants: [
      {
        label: "organisation + contacts + opportunities with history + timeline(20)",
        requires: ["Query.organisation", "Organisation.contacts", "Organisation.opportunities", "Opportunity.stageHistory", "Organisation.timeline"],
        ours: (fx) => ({
          as: "rep",
          query: `query OrganisationPage($id: ID!) { organisation(id: $id) { id name legalId status category segment tags phone email
            address { street postalCode city region } parent { id name } assignedRep { id name }
            contacts(first: 50) { edges { node { id firstName lastName jobTitle email phone roles isPrimary } } }
            opportunities(first: 50) { edges { node { id name status amount probability weightedAmount expectedCloseDate stage { name } stageHistory { at amount probability } } } }
            timeline(first: 20) { edges { node { kind at title } } } } }`,
          variables: { id: fx.organisationGlobalId },
        }),
        postgraphile: (fx) => ({
          // no union feed in PostGraphile: the client reads the newest 20 of each source and merges them
          query: `query OrganisationPage($id: UUID!) { organisationByRowId(rowId: $id) { rowId name legalId status category segment tags phone email street postalCode city region
            organisationByParentId { rowId name }
            organisationAssignmentsByOrganisationId(orderBy: VALID_FROM_DESC, first: 1) { nodes { userByRepId { rowId name } } }
            contactsByOrganisationId(first: 50) { nodes { rowId firstName lastName jobTitle email phone roles isPrimary leftCompanyAt } }
            opportunitiesByOrganisationId(first: 50, orderBy: [EXPECTED_CLOSE_DATE_ASC, PRIMARY_KEY_ASC]) { nodes { rowId name status amount probability expectedCloseDate pipelineStageByStageId { name }
              opportunityStageChangesByOpportunityId(orderBy: AT_ASC) { nodes { at amount probability } } } }
            visitsByOrganisationId(first: 20, orderBy: PLANNED_AT_DESC) { nodes { rowId plannedAt status } }
            ordersByOrganisationId(first: 20, orderBy: ORDERED_AT_DESC) { nodes { rowId orderedAt amount } }
            tasksByOrganisationId(first: 20) { nodes { rowId createdAt title } }
            incidentsByOrganisationId(first: 20) { nodes { rowId openedAt summary } } } }`,
          variables: { id: fx.organisationId },
        }),
        raw: (fx) => ({ organisationId: fx.organisationId, opportunities: true, timeline: true }),
      },
      {
        label: "organisation + contacts",
        requires: ["Query.organisation", "Organisation.contacts"],
        ours: (fx) => ({
          as: "rep",
          query: `query OrganisationPage($id: ID!) { organisation(id: $id) { id name legalId status category segment tags phone email
            address { street postalCode city region } parent { id name } assignedRep { id name }
            contacts(first: 50) { edges { node { id firstName lastName jobTitle email phone roles isPrimary } } } } }`,
          variables: { id: fx.organisationGlobalId },
        }),
        postgraphile: (fx) => ({
          query: `query OrganisationPage($id: UUID!) { organisationByRowId(rowId: $id) { rowId name legalId status category segment tags phone email street postalCode city region
            organisationByParentId { rowId name }
            organisationAssignmentsByOrganisationId(orderBy: VALID_FROM_DESC, first: 1) { nodes { userByRepId { rowId name } } }
            contactsByOrganisationId(first: 50) { nodes { rowId firstName lastName jobTitle email phone roles isPrimary leftCompanyAt } } } }`,
          variables: { id: fx.organisationId },
        }),
        raw: (fx) => ({ organisationId: fx.organisationId, opportunities: false, timeline: false }),
      },
    ],
  },
  {
    name: "pipeline-board",
    title: "3 pipeline board: 200 open opportunities of a team (manager) with organisation, owner and stage",
    kind: "read",
    variants: [
      {
        label: "200 open opportunities by expected close date",
        requires: ["Query.opportunities", "Opportunity.organisation", "Opportunity.owner", "Opportunity.stage"],
        ours: () => ({
          as: "manager",
          query: `query PipelineBoard { opportunities(first: 200, filter: { status: [OPEN] }) { edges { node { id name amount probability weightedAmount expectedCloseDate
            stage { id name } organisation { id name address { city } } owner { id name } } } } }`,
        }),
        postgraphile: (fx) => ({
          query: `query PipelineBoard($team: UUID!, $day: Date!) { benchPeerTeamOpenOpportunities(team: $team, day: $day, first: 200) { nodes { rowId name amount probability expectedCloseDate
            pipelineStageByStageId { rowId name } organisationByOrganisationId { rowId name city } userByOwnerId { rowId name } } } }`,
          variables: { team: fx.teamId, day: fx.today },
        }),
        raw: (fx) => ({ teamRepIds: fx.teamRepIds, day: fx.today }),
      },
    ],
  },
  {
    name: "search",
    title: "4 search: head office looks up organisations by a name fragment (first 20 by name)",
    kind: "read",
    variants: [
      {
        label: "organisations whose folded name contains the fragment",
        requires: ["Query.organisations", "OrganisationFilter.text"],
        ours: (fx) => ({
          as: "headOffice",
          query: `query Search($text: String!) { organisations(first: 20, filter: { text: $text }) { edges { node { id name status address { city postalCode } } } } }`,
          variables: { text: fx.searchText },
        }),
        postgraphile: (fx) => ({
          query: `query Search($text: String!) { benchPeerSearchOrganisations(text: $text, first: 20) { nodes { rowId name status city postalCode } } }`,
          variables: { text: fx.searchText },
        }),
        raw: (fx) => ({ text: fx.searchText }),
      },
    ],
  },
  {
    name: "update-contact",
    title: "6 write: update a contact (job title) with its version, in turn over the rep's contacts",
    kind: "write",
    variants: [
      {
        label: "updateContact (ours: version check + audit in one transaction)",
        requires: ["Mutation.updateContact"],
        ours: (fx, n) => {
          const { item: contact, version } = nextVersioned(fx.contacts, n);
          return {
            as: "rep",
            query: `mutation UpdateContact($input: UpdateContactInput!) { updateContact(input: $input) { contact { id jobTitle version } } }`,
            variables: { input: { id: contact.globalId, version, jobTitle: `Acheteur ${n}` } },
          };
        },
        postgraphile: (fx, n) => ({
          query: `mutation UpdateContact($id: UUID!, $title: String!) { updateContactByRowId(input: { rowId: $id, contactPatch: { jobTitle: $title } }) { contact { rowId jobTitle version } } }`,
          variables: { id: half(fx.peerContactIds, n, false), title: `Acheteur ${n}` },
        }),
        raw: (fx, n) => ({ contactId: half(fx.peerContactIds, n, true), jobTitle: `Acheteur ${n}` }),
      },
    ],
  },
  {
    name: "move-stage",
    title: "7 write: move a deal to the next stage (or back), with its version: the change, its stage history and audit",
    kind: "write",
    variants: [
      {
        label: "moveOpportunityStage (ours: version check, stage history, audit in one transaction)",
        requires: ["Mutation.moveOpportunityStage"],
        ours: (fx, n) => {
          const { item, version } = nextVersioned(fx.opportunities, n);
          // to the other stage: a deal is in either (an earlier run may have left it in the second)
          const stage = item.stageId === fx.stages.from.id ? fx.stages.to : fx.stages.from;
          item.stageId = stage.id;
          return {
            as: "rep",
            query: `mutation Move($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { id version probability stage { name } } } }`,
            variables: { input: { id: item.globalId, version, stageId: stage.globalId } },
          };
        },
        postgraphile: (fx, n) => {
          const deal = half(fx.peerOpportunities, n, false);
          const stage = n % 2 === 0 ? fx.stages.to : fx.stages.from;
          return {
            // no stage history without writing it: the peer's client adds the history row in the same request
            query: `mutation Move($id: UUID!, $stage: UUID!, $probability: Int!, $change: UUID!, $amount: BigFloat!, $at: Datetime!) {
              updateOpportunityByRowId(input: { rowId: $id, opportunityPatch: { stageId: $stage, probability: $probability, stageEnteredAt: $at, updatedAt: $at } }) { opportunity { rowId version probability } }
              createOpportunityStageChange(input: { opportunityStageChange: { rowId: $change, opportunityId: $id, toStageId: $stage, amount: $amount, probability: $probability, at: $at } }) { clientMutationId } }`,
            variables: { id: deal.id, stage: stage.id, probability: stage.probability, change: randomUUID(), amount: deal.amount, at: new Date().toISOString() },
          };
        },
        raw: (fx, n) => {
          const stage = n % 2 === 0 ? fx.stages.to : fx.stages.from;
          return { opportunityId: half(fx.peerOpportunities, n, true).id, stageId: stage.id, probability: stage.probability };
        },
      },
    ],
  },
  {
    name: "report-visit",
    title: "8 write: report a visit (outcome, notes) with a follow-up task, with its version",
    kind: "write",
    variants: [
      {
        label: "reportVisit (ours: version check, report, follow-up task, audit in one transaction)",
        requires: ["Mutation.reportVisit"],
        ours: (fx, n) => {
          const { item, version } = nextVersioned(fx.visits, n);
          return {
            as: "rep",
            query: `mutation Report($input: ReportVisitInput!) { reportVisit(input: $input) { visit { id status version } followUpTasks { id } } }`,
            variables: {
              input: { id: item.globalId, version, outcome: "Commande probable", notes: `Compte rendu ${n}`, followUpTasks: [{ kind: "FOLLOW_UP", title: `Relancer ${n}`, dueDate: fx.today }] },
            },
          };
        },
        postgraphile: (fx, n) => {
          const at = new Date().toISOString();
          return {
            query: `mutation Report($id: UUID!, $notes: String!, $task: UUID!, $title: String!, $due: Date!, $at: Datetime!) {
              updateVisitByRowId(input: { rowId: $id, visitPatch: { status: DONE, outcome: "Commande probable", reportNotes: $notes, reportedAt: $at, updatedAt: $at } }) { visit { rowId status version } }
              createTask(input: { task: { rowId: $task, kind: FOLLOW_UP, title: $title, dueDate: $due, visitId: $id, updatedAt: $at } }) { task { rowId } } }`,
            variables: { id: half(fx.peerVisitIds, n, false), notes: `Compte rendu ${n}`, task: randomUUID(), title: `Relancer ${n}`, due: fx.today, at },
          };
        },
        raw: (fx, n) => ({ visitId: half(fx.peerVisitIds, n, true), notes: `Compte rendu ${n}`, title: `Relancer ${n}`, due: fx.today }),
      },
    ],
  },
  {
    name: "dashboard-activity",
    title: "5 activity dashboard, company scope, this month (ours only: the peers have no equivalent; run last, it is heavy)",
    kind: "read",
    variants: [
      {
        label: "activity dashboard (company)",
        requires: ["Query.activityDashboard"],
        ours: () => ({
          as: "headOffice",
          query: `query Activity { activityDashboard(scope: { kind: COMPANY }) { invoicedRevenue { value target attainment } orderCount { value target attainment }
            weightedPipeline { amount weightedAmount count byStage { key amount weightedAmount count } } winRate { numerator denominator value } byRep { repName invoicedRevenue orderCount } } }`,
        }),
      },
    ],
  },
];

/** SQL functions PostGraphile exposes as root fields (schema bench_peer): what a PostGraphile team adds. */
export const POSTGRAPHILE_FUNCTIONS_SQL = `
CREATE SCHEMA IF NOT EXISTS bench_peer;
CREATE OR REPLACE FUNCTION bench_peer.rep_portfolio(rep uuid, day date) RETURNS SETOF public."Organisation" LANGUAGE sql STABLE AS $$
  SELECT o.* FROM public."Organisation" o
   WHERE o."mergedIntoId" IS NULL AND EXISTS (SELECT 1 FROM public."OrganisationAssignment" a WHERE a."organisationId" = o.id AND a."repId" = rep
         AND a."validFrom" <= day AND (a."validTo" IS NULL OR a."validTo" > day))
   ORDER BY o.name, o.id $$;
CREATE OR REPLACE FUNCTION bench_peer.search_organisations(text text) RETURNS SETOF public."Organisation" LANGUAGE sql STABLE AS $$
  SELECT o.* FROM public."Organisation" o WHERE o."mergedIntoId" IS NULL AND o."searchName" LIKE '%' || text || '%' ORDER BY o.name, o.id $$;
CREATE OR REPLACE FUNCTION bench_peer.team_open_opportunities(team uuid, day date) RETURNS SETOF public."Opportunity" LANGUAGE sql STABLE AS $$
  SELECT p.* FROM public."Opportunity" p
   WHERE p.status = 'OPEN' AND EXISTS (SELECT 1 FROM public."OrganisationAssignment" a JOIN public."User" u ON u.id = a."repId"
         WHERE a."organisationId" = p."organisationId" AND u."teamId" = team AND a."validFrom" <= day AND (a."validTo" IS NULL OR a."validTo" > day))
   ORDER BY p."expectedCloseDate", p.id $$;
`;
