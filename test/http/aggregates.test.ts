// Aggregates equal the lists they sum up: for every principal and random AND / OR / NOT filters, the groups
// of opportunityAggregates (stage × close month, owner, organisation segment, a custom ENUM), of
// organisationAggregates (a MULTI_ENUM's options), of visitAggregates and of orderAggregates (rep, month,
// delivery, segment) — the three with the organisation's MULTI_ENUM — are the counts and sums of the same
// filter's full list, computed here in JavaScript. Plus the limits: dimensions, group cap, who may ask; and
// the metrics an operation asks for alone are the same as when all are asked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../src/db/generated/client.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { principalTokens } from "../support/principals.js";
import { randomFilterTree, seededRandom } from "../support/random.js";
import { errorCodes, startTestServer, type TestServer } from "../support/server.js";

type Data = Record<string, any>;

let t: TestServer;
let tokens: Map<string, string | undefined>;
const PRINCIPALS = ["rep", "manager", "head office", "partner"] as const;
const db = () => t.database.prisma;

async function ok(principal: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await t.gql<Data, Record<string, unknown>>(query, variables, tokens.get(principal));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

const MACHINE_PARK = `machinePark: customField(key: "machinePark") { value }`;
const DEAL_FIELDS = `id amount weightedAmount status expectedCloseDate stage { id } owner { id } organisation { segment ${MACHINE_PARK} } dealType: customField(key: "dealType") { value }`;

/** Every node of a principal's list under a filter, page after page. */
async function allNodes(principal: string, list: string, filterType: string, selection: string, filter: Data | null): Promise<Data[]> {
  const rows: Data[] = [];
  let after: string | null = null;
  do {
    const page: Data = (await ok(principal, `query($filter: ${filterType}, $after: String) { ${list}(first: 200, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } edges { node { ${selection} } } } }`, { filter, after }))[list];
    rows.push(...page.edges.map((edge: Data) => edge.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return rows;
}

const AGGREGATE = `query($filter: OpportunityFilter, $groupBy: [OpportunityGroupBy!]!, $measure: OpportunityMeasure) {
  opportunityAggregates(filter: $filter, groupBy: $groupBy, measure: $measure) {
    groups { keys { dimension value label } count sum average min max } total { count sum average min max } } }`;

/** Cents, exactly: sums of decimal strings without floating point. */
const cents = (money: string) => {
  const [units, fraction = ""] = money.split(".");
  const sign = units!.startsWith("-") ? -1n : 1n;
  return sign * (BigInt(units!.replace("-", "")) * 100n + BigInt((fraction + "00").slice(0, 2)));
};
const money = (value: bigint) => {
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
};

/** A record's key under one dimension; several for a MULTI_ENUM (the record counts in each option's group). */
type KeyOf = (deal: Data) => string | null | (string | null)[];
/** The machines of a record's organisation; none, or no organisation in sight: the no-value group. */
const machinesOf = (organisation: Data | null): (string | null)[] => {
  const held: string[] = organisation?.machinePark?.value ?? [];
  return held.length ? held : [null];
};
/** Every combination of the keys of a record's dimensions. */
const keyCombinations = (keys: (string | null | (string | null)[])[]): (string | null)[][] =>
  keys.reduce<(string | null)[][]>((combinations, key) => combinations.flatMap((prefix) => (Array.isArray(key) ? key : [key]).map((value) => [...prefix, value])), [[]]);
const KEYS: Record<string, KeyOf> = {
  STAGE: (deal) => deal.stage.id,
  OWNER: (deal) => deal.owner?.id ?? null,
  STATUS: (deal) => deal.status,
  ORGANISATION_SEGMENT: (deal) => deal.organisation.segment,
  EXPECTED_CLOSE_MONTH: (deal) => (deal.expectedCloseDate ? deal.expectedCloseDate.slice(0, 7) : null),
  EXPECTED_CLOSE_QUARTER: (deal) => (deal.expectedCloseDate ? `${deal.expectedCloseDate.slice(0, 4)}-Q${Math.floor((Number(deal.expectedCloseDate.slice(5, 7)) - 1) / 3) + 1}` : null),
  CUSTOM_FIELD: (deal) => deal.dealType?.value ?? null,
  ORGANISATION_CUSTOM_FIELD: (deal) => machinesOf(deal.organisation),
};

/** The groups the API must return for these deals, measured on `measure` (amount or weightedAmount). */
function expectedGroups(deals: Data[], dimensions: string[], measure: "amount" | "weightedAmount") {
  const groups = new Map<string, { keys: (string | null)[]; values: bigint[] }>();
  for (const deal of deals) {
    for (const keys of keyCombinations(dimensions.map((dimension) => KEYS[dimension]!(deal)))) {
      const id = JSON.stringify(keys);
      const group = groups.get(id) ?? { keys, values: [] };
      group.values.push(cents(deal[measure]));
      groups.set(id, group);
    }
  }
  const summary = (values: bigint[]) => ({
    count: values.length,
    sum: money(values.reduce((a, b) => a + b, 0n)),
    min: values.length ? money(values.reduce((a, b) => (b < a ? b : a))) : null,
    max: values.length ? money(values.reduce((a, b) => (b > a ? b : a))) : null,
  });
  return {
    groups: new Map([...groups.entries()].map(([id, group]) => [id, summary(group.values)])),
    total: summary(deals.map((deal) => cents(deal[measure]))),
  };
}

let stageIds: string[];
const DEAL_TYPES = ["NEW", "RENEWAL", "UPSELL"];
const MACHINES = ["Press", "Lathe", "Mill"];
/** Who may read the organisations' machine park (its definition below): the partner may not. */
const READS_MACHINES = new Set(["rep", "manager", "head office", "steward", "erp"]);
const groupByOf = (dimensions: string[]) =>
  dimensions.map((dimension) =>
    dimension === "CUSTOM_FIELD" ? { dimension, customField: "dealType" } : dimension === "ORGANISATION_CUSTOM_FIELD" ? { dimension, customField: "machinePark" } : { dimension },
  );

beforeAll(async () => {
  t = await startTestServer();
  const held = await db().organisation.findMany({ where: { opportunities: { some: {} } }, orderBy: { id: "asc" }, take: 3, select: { id: true } });
  tokens = await principalTokens(t, {
    rep: { login: "rep.lille@demo.test" },
    manager: { login: "manager.north@demo.test" },
    "head office": { login: "head.office@demo.test" },
    steward: { login: "data.steward@demo.test" },
    partner: { partner: ["opportunities:read", "visits:write"], organisationIds: held.map((o) => toGlobalId("Organisation", o.id)) },
    erp: { service: ["orders:import"] },
  });
  await ok("head office", `mutation($input: DefineCustomFieldInput!) { defineCustomField(input: $input) { key } }`, {
    input: { entity: "OPPORTUNITY", key: "dealType", label: "Deal type", type: "ENUM", options: DEAL_TYPES, readers: ["REP", "MANAGER", "HEAD_OFFICE", "PARTNER"], writers: ["REP", "HEAD_OFFICE"] },
  });
  // set-up: a deal type on two deals in three, drawn from a seed
  const random = seededRandom(20);
  for (const deal of await db().opportunity.findMany({ orderBy: { id: "asc" }, select: { id: true } })) {
    const draw = random();
    if (draw < 2 / 3) await db().opportunity.update({ where: { id: deal.id }, data: { customFields: { dealType: DEAL_TYPES[Math.floor(draw * 4.5)] } } });
  }
  stageIds = (await db().pipelineStage.findMany({ select: { id: true } })).map((stage) => toGlobalId("PipelineStage", stage.id));
  await ok("head office", `mutation($input: DefineCustomFieldInput!) { defineCustomField(input: $input) { key } }`, {
    input: { entity: "ORGANISATION", key: "machinePark", label: "Machine park", type: "MULTI_ENUM", options: MACHINES, readers: ["REP", "MANAGER", "HEAD_OFFICE", "DATA_STEWARD", "SERVICE"], writers: ["REP"] },
  });
  // set-up: machines on some organisations, drawn from a seed
  const machines = seededRandom(3);
  for (const organisation of await db().organisation.findMany({ orderBy: { id: "asc" }, select: { id: true } })) {
    const held = MACHINES.filter(() => machines() < 0.4);
    if (held.length) await db().organisation.update({ where: { id: organisation.id }, data: { customFields: { machinePark: held } } });
  }
}, 600_000);
afterAll(() => t?.close());

const GROUPINGS: { dimensions: string[]; measure: "AMOUNT" | "WEIGHTED_AMOUNT" }[] = [
  { dimensions: [], measure: "AMOUNT" },
  { dimensions: ["STAGE", "EXPECTED_CLOSE_MONTH"], measure: "AMOUNT" },
  { dimensions: ["OWNER"], measure: "WEIGHTED_AMOUNT" },
  { dimensions: ["ORGANISATION_SEGMENT", "STATUS"], measure: "AMOUNT" },
  { dimensions: ["CUSTOM_FIELD", "EXPECTED_CLOSE_QUARTER"], measure: "WEIGHTED_AMOUNT" },
  { dimensions: ["ORGANISATION_CUSTOM_FIELD", "STAGE"], measure: "AMOUNT" },
];

function randomCondition(random: () => number): Data {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const day = () => `2026-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-15`;
  switch (Math.floor(random() * 5)) {
    case 0:
      return { status: [pick(["OPEN", "WON", "LOST"])] };
    case 1:
      return { stage: [pick(stageIds), pick(stageIds)] };
    case 2:
      return random() < 0.5 ? { closingBefore: day() } : { closingAfter: day() };
    case 3:
      return { customFields: [random() < 0.3 ? { key: "dealType", isEmpty: true } : { key: "dealType", in: [pick(DEAL_TYPES), pick(DEAL_TYPES)] }] };
    default:
      return { stale: random() < 0.5 };
  }
}

describe("opportunityAggregates", { timeout: 600_000 }, () => {
  it("equal the counts and sums of the same filter's full list, for every principal (seeded random filters)", async () => {
    const random = seededRandom(7);
    let compared = 0;
    for (let round = 0; round < 6; round++) {
      const filter = round === 0 ? null : randomFilterTree(random, () => randomCondition(random));
      for (const principal of PRINCIPALS) {
        const fields = READS_MACHINES.has(principal) ? DEAL_FIELDS : DEAL_FIELDS.replace(MACHINE_PARK, "");
        const deals = await allNodes(principal, "opportunities", "OpportunityFilter", fields, filter);
        for (const { dimensions, measure } of GROUPINGS) {
          const groupBy = groupByOf(dimensions);
          if (!READS_MACHINES.has(principal) && dimensions.includes("ORGANISATION_CUSTOM_FIELD")) {
            // a field the principal may not read groups nothing for them: it is unknown, as in a filter
            const refused = await t.gql<Data, Data>(AGGREGATE, { filter, groupBy, measure }, tokens.get(principal));
            expect(refused.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.machinePark", message: "is not a custom field of organisations" }]);
            compared += 1;
            continue;
          }
          const result = (await ok(principal, AGGREGATE, { filter, groupBy, measure })).opportunityAggregates;
          const expected = expectedGroups(deals, dimensions, measure === "AMOUNT" ? "amount" : "weightedAmount");
          const context = `${principal} ${JSON.stringify(filter)} ${dimensions.join("×")}`;
          expect({ count: result.total.count, sum: result.total.sum, min: result.total.min, max: result.total.max }, context).toEqual(expected.total);
          const actual = new Map(
            dimensions.length
              ? result.groups.map((group: Data) => [JSON.stringify(group.keys.map((key: Data) => key.value)), { count: group.count, sum: group.sum, min: group.min, max: group.max }])
              : [[JSON.stringify([]), { count: result.total.count, sum: result.total.sum, min: result.total.min, max: result.total.max }]],
          );
          if (deals.length || dimensions.length) expect(actual, context).toEqual(expected.groups);
          for (const group of result.groups) {
            if (group.count) expect(Math.abs(Number(group.average) * group.count - Number(group.sum)), context).toBeLessThan(0.01 * group.count);
          }
          compared += 1;
        }
      }
    }
    expect(compared).toBe(6 * PRINCIPALS.length * GROUPINGS.length);
  });

  it("computes the metrics asked, alone or together, to the same values", async () => {
    const groupBy = [{ dimension: "STAGE" }, { dimension: "EXPECTED_CLOSE_QUARTER" }];
    const all = (await ok("manager", AGGREGATE, { groupBy, measure: "WEIGHTED_AMOUNT" })).opportunityAggregates;
    expect(all.groups.length).toBeGreaterThan(3);
    // every deal has an amount: every figure of every group is there (the first test checks their values)
    expect(all.groups.every((group: Data) => [group.sum, group.average, group.min, group.max].every((figure) => figure !== null))).toBe(true);
    const pick = (result: Data, fields: string[]) => ({
      groups: result.groups.map((group: Data) => Object.fromEntries([["keys", group.keys.map((key: Data) => ({ value: key.value }))], ...fields.map((field) => [field, group[field]])])),
      total: Object.fromEntries(fields.map((field) => [field, result.total[field]])),
    });
    for (const fields of [["count"], ["sum"], ["average"], ["min"], ["max"], ["count", "max"], ["average", "min"]]) {
      const selection = fields.join(" ");
      const alone = (await ok("manager", `query($groupBy: [OpportunityGroupBy!]!) { opportunityAggregates(groupBy: $groupBy, measure: WEIGHTED_AMOUNT) {
        groups { keys { value } ${selection} } total { ${selection} } } }`, { groupBy })).opportunityAggregates;
      expect(alone, selection).toEqual(pick(all, fields));
    }
    // a fragment asks as much as a field
    const viaFragment = (await ok("manager", `query($groupBy: [OpportunityGroupBy!]!) { opportunityAggregates(groupBy: $groupBy, measure: WEIGHTED_AMOUNT) {
      groups { keys { value } ...figures } total { ...figures } } } fragment figures on MoneyAggregateGroup { min max }`, { groupBy })).opportunityAggregates;
    expect(viaFragment).toEqual(pick(all, ["min", "max"]));
    const visitsAll = (await ok("rep", `query { visitAggregates(groupBy: [{ dimension: STATUS }]) { groups { keys { value } count totalDuration averageDuration minDuration maxDuration } } }`)).visitAggregates.groups;
    const visitsMax = (await ok("rep", `query { visitAggregates(groupBy: [{ dimension: STATUS }]) { groups { keys { value } maxDuration } } }`)).visitAggregates.groups;
    expect(visitsAll.some((group: Data) => group.maxDuration !== null)).toBe(true);
    expect(visitsMax).toEqual(visitsAll.map((group: Data) => ({ keys: group.keys, maxDuration: group.maxDuration })));
  });

  it("labels stages and owners; refuses too many dimensions, a group count past the cap, unknown or ungroupable custom fields", async () => {
    const byStage = (await ok("head office", AGGREGATE, { groupBy: [{ dimension: "STAGE" }] })).opportunityAggregates.groups;
    const stages = await db().pipelineStage.findMany();
    for (const group of byStage) {
      const stage = stages.find((s) => toGlobalId("PipelineStage", s.id) === group.keys[0].value);
      expect(group.keys[0].label).toBe(stage!.name);
    }
    const four = await t.gql<Data, Data>(AGGREGATE, { groupBy: [{ dimension: "STAGE" }, { dimension: "OWNER" }, { dimension: "STATUS" }, { dimension: "CREATED_MONTH" }] }, tokens.get("head office"));
    expect(errorCodes(four)).toEqual(["BAD_USER_INPUT"]);
    const capped = await t.gql<Data, Data>(
      `query { opportunityAggregates(groupBy: [{ dimension: OWNER }, { dimension: STAGE }], maxGroups: 2) { total { count } } }`,
      {},
      tokens.get("head office"),
    );
    expect(errorCodes(capped)).toEqual(["BAD_USER_INPUT"]);
    expect(capped.errors![0]!.message).toMatch(/more than 2 groups/);
    const unknown = await t.gql<Data, Data>(AGGREGATE, { groupBy: [{ dimension: "CUSTOM_FIELD", customField: "nothing" }] }, tokens.get("head office"));
    expect(errorCodes(unknown)).toEqual(["BAD_USER_INPUT"]);
    await ok("head office", `mutation { defineCustomField(input: { entity: OPPORTUNITY, key: "fleet", label: "Fleet", type: NUMBER, readers: [HEAD_OFFICE], writers: [HEAD_OFFICE] }) { key } }`);
    const numeric = await t.gql<Data, Data>(AGGREGATE, { groupBy: [{ dimension: "CUSTOM_FIELD", customField: "fleet" }] }, tokens.get("head office"));
    expect(numeric.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.fleet", message: "a NUMBER field does not group records (ENUM, MULTI_ENUM and BOOLEAN do)" }]);
    // a field the rep may not read is unknown to them, in a grouping as in a filter
    const hidden = await t.gql<Data, Data>(AGGREGATE, { groupBy: [{ dimension: "CUSTOM_FIELD", customField: "fleet" }] }, tokens.get("rep"));
    expect(hidden.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.fleet", message: "is not a custom field of opportunities" }]);
    // stewards see no commercial figures, aggregated or not
    const steward = await t.gql<Data, Data>(AGGREGATE, { groupBy: [] }, tokens.get("steward"));
    expect(errorCodes(steward)).toEqual(["FORBIDDEN"]);
  });
});

describe("organisationAggregates", { timeout: 600_000 }, () => {
  it("count organisations per option of a MULTI_ENUM, as the filtered lists count them", async () => {
    const options = MACHINES;
    const count = async (principal: string, filter: Data | null) =>
      (await ok(principal, `query($filter: OrganisationFilter) { organisations(first: 1, filter: $filter) { totalCount } }`, { filter })).organisations.totalCount as number;
    for (const principal of ["rep", "manager", "head office", "steward"]) {
      for (const filter of [null, { segment: ["GOLD", "SILVER"] }, { NOT: { status: ["PROSPECT"] } }]) {
        const result = (await ok(principal, `query($filter: OrganisationFilter) { organisationAggregates(filter: $filter, groupBy: [{ dimension: CUSTOM_FIELD, customField: "machinePark" }]) { groups { keys { dimension value } count } total { count } } }`, { filter })).organisationAggregates;
        expect(result.total.count).toBe(await count(principal, filter));
        const byOption = new Map(result.groups.map((group: Data) => [group.keys[0].value, group.count]));
        for (const option of options) {
          const listed = await count(principal, { AND: [filter ?? {}, { customFields: [{ key: "machinePark", equals: option }] }] });
          expect(byOption.get(option) ?? 0, `${principal} ${option}`).toBe(listed);
        }
        const none = await count(principal, { AND: [filter ?? {}, { customFields: [{ key: "machinePark", isEmpty: true }] }] });
        expect(byOption.get(null) ?? 0, `${principal} none`).toBe(none);
        expect(result.groups.every((group: Data) => group.keys[0].dimension === "customField.machinePark")).toBe(true);
      }
    }
  });
});

describe("visitAggregates", { timeout: 600_000 }, () => {
  it("equal the counts and reported minutes of the same filter's full list, for every principal", async () => {
    const VISIT_FIELDS = `id status channel plannedAt report { durationMinutes } rep { id } organisation { address { region } ${MACHINE_PARK} }`;
    const keyOf: Record<string, KeyOf> = {
      REP: (visit) => visit.rep.id,
      STATUS: (visit) => visit.status,
      CHANNEL: (visit) => visit.channel,
      ORGANISATION_REGION: (visit) => visit.organisation?.address.region ?? null,
      PLANNED_MONTH: (visit) => visit.plannedAt.slice(0, 7),
      ORGANISATION_CUSTOM_FIELD: (visit) => machinesOf(visit.organisation),
    };
    const filters: (Data | null)[] = [null, { status: ["DONE"] }, { OR: [{ late: true }, { NOT: { status: ["CANCELLED", "PLANNED"] } }] }, { from: "2026-06-01T00:00:00Z", to: "2026-12-01T00:00:00Z" }];
    for (const principal of PRINCIPALS) {
      for (const filter of filters) {
        const readsMachines = READS_MACHINES.has(principal);
        const visits = await allNodes(principal, "visits", "VisitFilter", readsMachines ? VISIT_FIELDS : VISIT_FIELDS.replace(MACHINE_PARK, ""), filter);
        for (const dimensions of [["REP", "PLANNED_MONTH"], ["STATUS"], ["CHANNEL", "ORGANISATION_REGION"], ["ORGANISATION_CUSTOM_FIELD"]]) {
          const query = `query($filter: VisitFilter, $groupBy: [VisitGroupBy!]!) { visitAggregates(filter: $filter, groupBy: $groupBy) {
            groups { keys { value } count totalDuration minDuration maxDuration } total { count totalDuration } } }`;
          if (!readsMachines && dimensions.includes("ORGANISATION_CUSTOM_FIELD")) {
            const refused = await t.gql<Data, Data>(query, { filter, groupBy: groupByOf(dimensions) }, tokens.get(principal));
            expect(refused.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.machinePark", message: "is not a custom field of organisations" }]);
            continue;
          }
          const result = (await ok(principal, query, { filter, groupBy: groupByOf(dimensions) })).visitAggregates;
          const expected = new Map<string, { count: number; totalDuration: number; minDuration: number | null; maxDuration: number | null }>();
          for (const visit of visits) {
            for (const keys of keyCombinations(dimensions.map((dimension) => keyOf[dimension]!(visit)))) {
              const id = JSON.stringify(keys);
              const group = expected.get(id) ?? { count: 0, totalDuration: 0, minDuration: null, maxDuration: null };
              group.count += 1;
              const duration: number | null = visit.report?.durationMinutes ?? null;
              if (duration !== null) {
                group.totalDuration += duration;
                group.minDuration = group.minDuration === null ? duration : Math.min(group.minDuration, duration);
                group.maxDuration = group.maxDuration === null ? duration : Math.max(group.maxDuration, duration);
              }
              expected.set(id, group);
            }
          }
          const actual = new Map(result.groups.map((group: Data) => [JSON.stringify(group.keys.map((key: Data) => key.value)), { count: group.count, totalDuration: group.totalDuration, minDuration: group.minDuration, maxDuration: group.maxDuration }]));
          const context = `${principal} ${JSON.stringify(filter)} ${dimensions.join("×")}`;
          expect(actual, context).toEqual(expected);
          expect(result.total.count, context).toBe(visits.length);
          expect(result.total.totalDuration, context).toBe(visits.reduce((sum, visit) => sum + (visit.report?.durationMinutes ?? 0), 0));
        }
      }
    }
  });
});

describe("orderAggregates", { timeout: 600_000 }, () => {
  it("equal the counts and amounts of the same filter's full order list, for every principal (organisation custom field included)", async () => {
    const ORDER_FIELDS = `id amount orderedAt deliveredAt creditedRep { id } organisation { segment ${MACHINE_PARK} }`;
    const keyOf: Record<string, (order: Data) => (string | null)[]> = {
      CREDITED_REP: (order) => [order.creditedRep?.id ?? null],
      DELIVERED: (order) => [String(order.deliveredAt !== null)],
      ORGANISATION_SEGMENT: (order) => [order.organisation?.segment ?? null],
      ORDERED_MONTH: (order) => [order.orderedAt.slice(0, 7)],
      ORDERED_QUARTER: (order) => [`${order.orderedAt.slice(0, 4)}-Q${Math.floor((Number(order.orderedAt.slice(5, 7)) - 1) / 3) + 1}`],
      // an order counts once per machine of its organisation; none (or an organisation out of sight): the no-value group
      ORGANISATION_CUSTOM_FIELD: (order) => machinesOf(order.organisation),
    };
    const someRep = await db().user.findFirstOrThrow({ where: { email: "rep.lille@demo.test" } });
    // an order credited to the rep, of an organisation the rep no longer reads: listed without its
    // organisation, so grouped under no segment and no machine — the aggregate tells no more than the list
    const readable = new Set((await allNodes("rep", "organisations", "OrganisationFilter", "id", null)).map((organisation) => organisation.id));
    const elsewhere = (await db().organisation.findMany({ where: { customFields: { path: ["machinePark"], not: Prisma.AnyNull } }, select: { id: true } })).find(
      (organisation) => !readable.has(toGlobalId("Organisation", organisation.id)),
    )!;
    await db().order.create({ data: { externalId: "AGG-ELSEWHERE", organisationId: elsewhere.id, orderedAt: new Date("2026-05-12"), amount: "1234.56", repId: someRep.id } });
    const filters: (Data | null)[] = [null, { delivered: false }, { from: "2026-03-01", to: "2026-08-31" }, { creditedRepId: toGlobalId("User", someRep.id) }];
    const groupings = [["CREDITED_REP", "ORDERED_MONTH"], ["DELIVERED", "ORGANISATION_SEGMENT"], ["ORGANISATION_CUSTOM_FIELD", "ORDERED_QUARTER"]];
    let nonEmpty = 0;
    for (const principal of ["rep", "manager", "head office", "erp"]) {
      for (const filter of filters) {
        const orders = await allNodes(principal, "orders", "OrderFilter", ORDER_FIELDS, filter);
        if (orders.length) nonEmpty += 1;
        // the ERP's token reads orders and their credited reps, not their organisations: its segment groups
        // are all "no value", as its list shows no organisation (and no organisation field groups: below)
        for (const dimensions of principal === "erp" ? groupings.slice(0, 2) : groupings) {
          const groupBy = groupByOf(dimensions);
          const result = (await ok(principal, `query($filter: OrderFilter, $groupBy: [OrderGroupBy!]!) { orderAggregates(filter: $filter, groupBy: $groupBy) {
            groups { keys { dimension value } count sum min max } total { count sum min max } } }`, { filter, groupBy })).orderAggregates;
          const expected = new Map<string, bigint[]>();
          for (const order of orders) {
            const [first, second] = dimensions.map((dimension) => keyOf[dimension]!(order));
            for (const a of first!) for (const b of second!) expected.set(JSON.stringify([a, b]), [...(expected.get(JSON.stringify([a, b])) ?? []), cents(order.amount)]);
          }
          const summary = (values: bigint[]) => ({
            count: values.length,
            sum: money(values.reduce((x, y) => x + y, 0n)),
            min: values.length ? money(values.reduce((x, y) => (y < x ? y : x))) : null,
            max: values.length ? money(values.reduce((x, y) => (y > x ? y : x))) : null,
          });
          const context = `${principal} ${JSON.stringify(filter)} ${dimensions.join("×")}`;
          const actual = new Map(result.groups.map((group: Data) => [JSON.stringify(group.keys.map((key: Data) => key.value)), { count: group.count, sum: group.sum, min: group.min, max: group.max }]));
          expect(actual, context).toEqual(new Map([...expected.entries()].map(([id, values]) => [id, summary(values)])));
          expect(result.total, context).toEqual(summary(orders.map((order) => cents(order.amount))));
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(12);
    const erpSegments = (await ok("erp", `query { orderAggregates(groupBy: [{ dimension: ORGANISATION_SEGMENT }]) { groups { keys { value } } } }`)).orderAggregates.groups;
    expect(erpSegments).toEqual([{ keys: [{ value: null }] }]);
    const erpMachines = await t.gql<Data, Data>(`query { orderAggregates(groupBy: [{ dimension: ORGANISATION_CUSTOM_FIELD, customField: "machinePark" }]) { total { count } } }`, {}, tokens.get("erp"));
    expect(erpMachines.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.machinePark", message: "is not a custom field of organisations" }]);
    // the same refusals as the other aggregates: stewards read no orders, an unknown field is named
    const steward = await t.gql<Data, Data>(`query { orderAggregates(groupBy: []) { total { count } } }`, {}, tokens.get("steward"));
    expect(errorCodes(steward)).toEqual(["FORBIDDEN"]);
    const unknown = await t.gql<Data, Data>(`query { orderAggregates(groupBy: [{ dimension: ORGANISATION_CUSTOM_FIELD, customField: "nothing" }]) { total { count } } }`, {}, tokens.get("head office"));
    expect(unknown.errors![0]!.extensions!.fields).toEqual([{ field: "customFields.nothing", message: "is not a custom field of organisations" }]);
  });
});
