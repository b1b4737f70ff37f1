// Quotes after sending (SPEC §4 workflow 3, "quote sent and chased"): a chase is kept in the quote's history
// and moves its follow-up date, so the quote leaves quotesToChase (and the visit brief) until that date;
// updateQuote changes a draft's amount or a sent quote's terms, with its version. "Today" is 2026-11-15.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../src/graphql/relay.js";
import { addDays, addDeal, buildCustomer, day } from "../fixtures/visits.js";
import { errorCodes, startTestServer, TODAY, type TestServer } from "../support/server.js";

type Data = Record<string, any>;
let t: TestServer;
const gql = (query: string, variables: Record<string, unknown>, token?: string) => t.gql<Data, Record<string, unknown>>(query, variables, token);
const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;
let lyon: string;

beforeAll(async () => {
  t = await startTestServer();
  lyon = (await t.database.prisma.user.findUniqueOrThrow({ where: { email: "rep.lyon@demo.test" } })).id;
});
afterAll(() => t?.close());

/** A deal with a quote sent 10 days ago, to chase since yesterday, valid 20 more days (fixtures/visits.ts). */
async function sentQuote(name: string) {
  const { organisation } = await buildCustomer(t.database.prisma, name, { charges: [[lyon, day("2025-01-01")]], contacts: 0 });
  const { opportunity, quote } = await addDeal(t.database.prisma, organisation.id, lyon, TODAY);
  return { organisationId: organisation.id, opportunityId: toGlobalId("Opportunity", opportunity.id), id: toGlobalId("Quote", quote.id) };
}

const QUOTE = `id status amount reference sentAt validUntil followUpDate version chases { chasedOn note previousFollowUpDate nextFollowUpDate createdAt }`;
const chase = (input: Record<string, unknown>, token: string) => gql(`mutation($input: ChaseQuoteInput!) { chaseQuote(input: $input) { quote { ${QUOTE} } } }`, { input }, token);
const update = (input: Record<string, unknown>, token: string) => gql(`mutation($input: UpdateQuoteInput!) { updateQuote(input: $input) { quote { ${QUOTE} } } }`, { input }, token);
const toChase = async () => {
  const response = await gql(`{ quotesToChase(first: 200) { edges { node { id } } } }`, {}, await t.login("rep.lyon@demo.test"));
  expect(response.errors).toBeUndefined();
  return response.data!.quotesToChase.edges.map((e: Data) => e.node.id) as string[];
};

describe("chasing a sent quote", () => {
  it("keeps each chase, and the quote leaves the quotes to chase (and the brief) until its next follow-up date", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const quote = await sentQuote("Devis Relancé");
    const visit = await t.database.prisma.visit.create({ data: { organisationId: quote.organisationId, repId: lyon, plannedAt: new Date("2026-11-16T09:00:00Z") } });
    const briefQuotes = async () =>
      (await gql(`query($id: ID!) { visit(id: $id) { brief { quotesToChase { id } } } }`, { id: toGlobalId("Visit", visit.id) }, await t.login("rep.lyon@demo.test"))).data!.visit.brief.quotesToChase.map(
        (q: Data) => q.id,
      );
    expect(await toChase()).toContain(quote.id);
    expect(await briefQuotes()).toContain(quote.id);

    const chased = await chase({ id: quote.id, version: 1, note: "Attend l'accord du siège", nextFollowUpDate: "2026-11-22" }, rep);
    expect(chased.errors).toBeUndefined();
    expect(chased.data!.chaseQuote.quote).toMatchObject({
      status: "SENT",
      followUpDate: "2026-11-22",
      version: 2,
      chases: [{ chasedOn: "2026-11-15", note: "Attend l'accord du siège", previousFollowUpDate: "2026-11-14", nextFollowUpDate: "2026-11-22" }],
    });
    expect(await toChase()).not.toContain(quote.id);
    expect(await briefQuotes()).not.toContain(quote.id);

    try {
      t.clock.now = new Date(addDays(TODAY, 6).getTime());
      expect(await toChase()).not.toContain(quote.id);
      t.clock.now = new Date(addDays(TODAY, 7).getTime());
      expect(await toChase()).toContain(quote.id);
      // chased again on that day (the version is what the quote reads now)
      const again = await chase({ id: quote.id, version: 2, nextFollowUpDate: "2026-11-29" }, await t.login("rep.lyon@demo.test"));
      expect(again.errors).toBeUndefined();
      expect(again.data!.chaseQuote.quote.chases.map((c: Data) => [c.chasedOn, c.previousFollowUpDate, c.nextFollowUpDate, c.note])).toEqual([
        ["2026-11-15", "2026-11-14", "2026-11-22", "Attend l'accord du siège"],
        ["2026-11-22", "2026-11-22", "2026-11-29", null],
      ]);
      expect(await toChase()).not.toContain(quote.id);
    } finally {
      t.clock.now = TODAY;
    }
    const audit = await t.database.prisma.auditEvent.findMany({ where: { entity: "Quote", entityId: uuidOf(quote.id) }, orderBy: { at: "asc" } });
    expect(audit.map((event) => [event.action, (event.after as Data).followUpDate])).toEqual([
      ["chase", "2026-11-22T00:00:00.000Z"],
      ["chase", "2026-11-29T00:00:00.000Z"],
    ]);
  });

  it("refuses a chase that would not hold: dates out of order, past the validity, a stale version, a quote not sent or expired", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const quote = await sentQuote("Devis Refusé");
    const before = await t.database.prisma.quoteChase.count();
    expect(errorCodes(await chase({ id: quote.id, version: 1, nextFollowUpDate: "2026-11-15" }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await chase({ id: quote.id, version: 1, chasedOn: "2026-11-16", nextFollowUpDate: "2026-11-20" }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await chase({ id: quote.id, version: 1, chasedOn: "2026-11-01", nextFollowUpDate: "2026-11-20" }, rep))).toEqual(["BAD_USER_INPUT"]);
    // valid until 5 December: a follow-up after it would let the quote expire unseen
    expect(errorCodes(await chase({ id: quote.id, version: 1, nextFollowUpDate: "2026-12-06" }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await chase({ id: quote.id, version: 7, nextFollowUpDate: "2026-11-20" }, rep))).toEqual(["CONFLICT"]);
    // out of scope reads as missing
    expect(errorCodes(await chase({ id: quote.id, version: 1, nextFollowUpDate: "2026-11-20" }, await t.login("rep.lille@demo.test")))).toEqual(["NOT_FOUND"]);
    expect(await t.database.prisma.quoteChase.count()).toBe(before);

    const draft = await gql(`mutation($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`, { input: { opportunityId: quote.opportunityId, amount: "100.00" } }, rep);
    expect(errorCodes(await chase({ id: draft.data!.createQuote.quote.id, version: 1, nextFollowUpDate: "2026-11-20" }, rep))).toEqual(["BAD_USER_INPUT"]);
    try {
      t.clock.now = addDays(TODAY, 25);
      expect(errorCodes(await chase({ id: quote.id, version: 1, nextFollowUpDate: "2026-12-20" }, await t.login("rep.lyon@demo.test")))).toEqual(["BAD_USER_INPUT"]);
    } finally {
      t.clock.now = TODAY;
    }
  });
});

describe("updating a quote", () => {
  it("a draft changes its amount and reference; a sent quote also its terms, which may revive an expired one", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const quote = await sentQuote("Devis Modifié");
    const draft = await gql(`mutation($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`, { input: { opportunityId: quote.opportunityId, amount: "900.00", reference: "DEV-9" } }, rep);
    const draftId = draft.data!.createQuote.quote.id;
    const changed = await update({ id: draftId, version: 1, amount: "950.50", reference: null }, rep);
    expect(changed.data!.updateQuote.quote).toMatchObject({ status: "DRAFT", amount: "950.50", reference: null, version: 2 });
    expect(errorCodes(await update({ id: draftId, version: 2, validUntil: "2027-01-31" }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await update({ id: draftId, version: 2, amount: null }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await update({ id: draftId, version: 2, amount: "-1.00" }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await update({ id: draftId, version: 1, amount: "1.00" }, rep))).toEqual(["CONFLICT"]);

    // The sent quote: its follow-up moves it out of the quotes to chase; not before it was sent.
    const moved = await update({ id: quote.id, version: 1, followUpDate: "2026-11-25", amount: "11000.00" }, rep);
    expect(moved.data!.updateQuote.quote).toMatchObject({ status: "SENT", followUpDate: "2026-11-25", amount: "11000.00", version: 2, chases: [] });
    expect(await toChase()).not.toContain(quote.id);
    expect(errorCodes(await update({ id: quote.id, version: 2, followUpDate: "2026-11-01" }, rep))).toEqual(["BAD_USER_INPUT"]);
    try {
      t.clock.now = addDays(TODAY, 25);
      const token = await t.login("rep.lyon@demo.test");
      expect((await gql(`query($id: ID!) { node(id: $id) { ... on Quote { status } } }`, { id: quote.id }, token)).data!.node.status).toBe("EXPIRED");
      const revived = await update({ id: quote.id, version: 2, validUntil: "2027-01-15", followUpDate: "2026-12-10" }, token);
      expect(revived.data!.updateQuote.quote).toMatchObject({ status: "SENT", validUntil: "2027-01-15", followUpDate: "2026-12-10", version: 3 });
      expect(await toChase()).toContain(quote.id);
    } finally {
      t.clock.now = TODAY;
    }
    const accepted = await gql(`mutation($input: DecideQuoteInput!) { decideQuote(input: $input) { quote { status version } } }`, { input: { id: quote.id, version: 3, decision: "ACCEPTED" } }, rep);
    expect(accepted.data!.decideQuote.quote).toEqual({ status: "ACCEPTED", version: 4 });
    expect(errorCodes(await update({ id: quote.id, version: 4, amount: "1.00" }, rep))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await chase({ id: quote.id, version: 4, nextFollowUpDate: "2026-11-20" }, rep))).toEqual(["BAD_USER_INPUT"]);
    const audit = await t.database.prisma.auditEvent.findMany({ where: { entity: "Quote", entityId: uuidOf(quote.id) }, orderBy: { at: "asc" } });
    expect(audit.map((event) => event.action)).toEqual(["update", "update", "decide"]);
  });

  it("Quote.chases is read with the quote's own rules: never by stewards; a list of quotes reads its chases in one batch", async () => {
    const quote = await sentQuote("Devis Lecture");
    await chase({ id: quote.id, version: 1, nextFollowUpDate: "2026-11-20" }, await t.login("rep.lyon@demo.test"));
    const steward = await gql(`query($id: ID!) { node(id: $id) { ... on Quote { chases { chasedOn } } } }`, { id: quote.id }, await t.login("data.steward@demo.test"));
    expect(errorCodes(steward)).toEqual(["NOT_FOUND"]);
    const manager = await gql(`query($id: ID!) { node(id: $id) { ... on Quote { chases { chasedOn nextFollowUpDate } } } }`, { id: quote.id }, await t.login("manager.south@demo.test"));
    expect(manager.data!.node.chases).toEqual([{ chasedOn: "2026-11-15", nextFollowUpDate: "2026-11-20" }]);
    const page = `query($first: Int!) { opportunities(first: $first) { edges { node { quotes { edges { node { id chases { chasedOn } } } } } } } }`;
    const head = await t.login("head.office@demo.test");
    const few = await gql(page, { first: 5 }, head);
    const many = await gql(page, { first: 100 }, head);
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(many.statements).toBe(few.statements);
  });
});

describe("the quotes list", () => {
  const LIST = `query($filter: QuoteFilter) { quotes(first: 200, filter: $filter) { totalCount edges { node { id status opportunity { id } } } } }`;
  const list = async (token: string, filter?: Record<string, unknown>) => {
    const response = await gql(LIST, { filter }, token);
    expect(response.errors).toBeUndefined();
    return response.data!.quotes.edges.map((e: Data) => e.node) as { id: string; status: string; opportunity: { id: string } }[];
  };

  it("filters on status as the status field reads it (EXPIRED computed), composes with OR and NOT, and never leaves the scope", async () => {
    const rep = await t.login("rep.lyon@demo.test");
    const valid = await sentQuote("Devis Valide");
    const expired = await sentQuote("Devis Expiré");
    await t.database.prisma.quote.update({ where: { id: uuidOf(expired.id) }, data: { validUntil: addDays(TODAY, -1) } });

    const all = await list(rep);
    expect(all.find((q) => q.id === valid.id)?.status).toBe("SENT");
    expect(all.find((q) => q.id === expired.id)?.status).toBe("EXPIRED");
    // each status filter returns exactly the quotes whose field reads that status
    for (const status of ["DRAFT", "SENT", "ACCEPTED", "DECLINED", "EXPIRED"]) {
      const ids = (await list(rep, { status: [status] })).map((q) => q.id).sort();
      expect(ids).toEqual(all.filter((q) => q.status === status).map((q) => q.id).sort());
    }
    const either = await list(rep, { OR: [{ opportunityId: valid.opportunityId }, { opportunityId: expired.opportunityId }] });
    expect(either.map((q) => q.id).sort()).toEqual([valid.id, expired.id].sort());
    const notExpired = await list(rep, { opportunityId: expired.opportunityId, NOT: { status: ["EXPIRED"] } });
    expect(notExpired).toEqual([]);

    // another rep: an OR naming Lyon's deals (or matching everything) still returns only their own quotes
    const lille = await t.login("rep.lille@demo.test");
    const own = (await list(lille)).map((q) => q.id);
    expect(own).not.toContain(valid.id);
    const widened = await list(lille, { OR: [{ opportunityId: valid.opportunityId }, { status: ["DRAFT", "SENT", "ACCEPTED", "DECLINED", "EXPIRED"] }, {}] });
    expect(widened.map((q) => q.id).sort()).toEqual([...own].sort());
    // a steward never reads quotes
    expect(errorCodes(await gql(LIST, {}, await t.login("data.steward@demo.test")))).toEqual(["FORBIDDEN"]);
  });
});
