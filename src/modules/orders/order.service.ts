// Reading imported ERP documents back (orders, invoices): lists with the total of their amounts, each
// organisation's documents, node(id), all through the row scope (order.scope.ts) in the query itself.
import DataLoader from "dataloader";
import { ALL, and, compare, idIs, isNull, notNull, oneOf, toWhere, type Condition } from "../../auth/scope/condition.js";
import type { Viewer } from "../../auth/viewer.js";
import { Prisma } from "../../db/generated/client.js";
import { indexByKey, type AuthedContext, type LoaderFactory, type RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { expectGlobalId, lazyConnection, pageOfList, pageWindow, readPage, type Connection, type PageArgs } from "../../graphql/relay.js";
import { prismaDirection, SortDirection } from "../../graphql/sorting.js";
import { childrenByArguments, type ChildrenKey } from "./children-by-arguments.js";
import { MAX_IMPORT_ROWS } from "./import-batch.js";
import { invoiceScope, orderScope } from "./order.scope.js";
import type { InvoiceFilter, InvoiceOrder, InvoiceRow, OrderFilter, OrderOrder, OrderRow } from "./order.type.js";

const ZERO = new Prisma.Decimal(0);

/** A connection that also gives the sum of the amounts of the whole filtered list (not only the page). */
export interface DocumentConnection<T> extends Connection<T> {
  readonly totalAmount: Prisma.Decimal | Promise<Prisma.Decimal>;
}

type Where = Record<string, unknown>;
interface Totals {
  count: number;
  amount: Prisma.Decimal;
}
interface FindArgs {
  where: Where;
  orderBy: Record<string, "asc" | "desc">[];
  take?: number;
  cursor?: { id: string };
  skip?: number;
}

/** What differs between orders and invoices when they are read. */
interface DocumentKind<Row extends { id: string; organisationId: string; amount: Prisma.Decimal }> {
  entity: "Order" | "Invoice";
  /** the document's date column (the period filter and the default order) */
  date: "orderedAt" | "invoicedAt";
  /** orderBy field → column */
  columns: Record<string, string>;
  scope(viewer: Viewer, day: Date): Where;
  findMany(ctx: RequestContext, args: FindArgs): Promise<Row[]>;
  totals(ctx: RequestContext, where: Where): Promise<Totals>;
}

type Filter = OrderFilter | InvoiceFilter;
type Order = OrderOrder | InvoiceOrder;

const ORDERS: DocumentKind<OrderRow> = {
  entity: "Order",
  date: "orderedAt",
  columns: { ORDERED_AT: "orderedAt", AMOUNT: "amount", IMPORTED_AT: "createdAt" },
  scope: orderScope,
  findMany: (ctx, args) => ctx.db.order.findMany(args as Prisma.OrderFindManyArgs),
  async totals(ctx, where) {
    const sums = await ctx.db.order.aggregate({ where: where as Prisma.OrderWhereInput, _count: { _all: true }, _sum: { amount: true } });
    return { count: sums._count._all, amount: sums._sum.amount ?? ZERO };
  },
};

const INVOICES: DocumentKind<InvoiceRow> = {
  entity: "Invoice",
  date: "invoicedAt",
  columns: { INVOICED_AT: "invoicedAt", AMOUNT: "amount", IMPORTED_AT: "createdAt" },
  scope: invoiceScope,
  findMany: (ctx, args) => ctx.db.invoice.findMany(args as Prisma.InvoiceFindManyArgs),
  async totals(ctx, where) {
    const sums = await ctx.db.invoice.aggregate({ where: where as Prisma.InvoiceWhereInput, _count: { _all: true }, _sum: { amount: true } });
    return { count: sums._count._all, amount: sums._sum.amount ?? ZERO };
  },
};

/**
 * THE meaning of an order or invoice filter, on the document's date column (the lists read it as a Prisma
 * `where`, the aggregates as SQL); the scope is the caller's.
 */
export function erpDocumentFilterCondition(date: "orderedAt" | "invoicedAt", filter: Filter | null | undefined): Condition {
  if (!filter) return ALL;
  const conditions: Condition[] = [];
  if (filter.organisationId) conditions.push(idIs("organisationId", expectGlobalId(filter.organisationId, "Organisation")));
  if (filter.from) conditions.push(compare(date, "gte", { day: filter.from }));
  if (filter.to) conditions.push(compare(date, "lte", { day: filter.to }));
  if (filter.creditedRepId) conditions.push(idIs("repId", expectGlobalId(filter.creditedRepId, "User")));
  if (filter.externalIds) {
    if (filter.externalIds.length > MAX_IMPORT_ROWS) throw badInput(`externalIds holds at most ${MAX_IMPORT_ROWS} ids`, { fields: [{ field: "filter.externalIds" }], max: MAX_IMPORT_ROWS });
    conditions.push(oneOf("externalId", filter.externalIds));
  }
  if ("delivered" in filter && filter.delivered != null) conditions.push(filter.delivered ? notNull("deliveredAt") : isNull("deliveredAt"));
  return and(...conditions);
}

const filterWhere = (kind: Pick<DocumentKind<OrderRow>, "date">, filter: Filter | null | undefined): Where => toWhere(erpDocumentFilterCondition(kind.date, filter));

/** Newest first unless asked otherwise; the id breaks ties (and pages). */
function orderOf(kind: Pick<DocumentKind<OrderRow>, "date" | "columns">, order: Order | null | undefined): Record<string, "asc" | "desc">[] {
  if (!order) return [{ [kind.date]: "desc" }, { id: "desc" }];
  const direction = prismaDirection(order.direction ?? SortDirection.ASC);
  return [{ [kind.columns[order.field]!]: direction }, { id: direction }];
}

function listDocuments<Row extends { id: string; organisationId: string; amount: Prisma.Decimal }>(
  ctx: AuthedContext,
  kind: DocumentKind<Row>,
  filter: Filter | null | undefined,
  order: Order | null | undefined,
  pageArgs: PageArgs,
): DocumentConnection<Row> {
  const page = readPage(pageArgs);
  const where = { AND: [kind.scope(ctx.viewer, ctx.today), filterWhere(kind, filter)] };
  let totals: Promise<Totals> | undefined;
  const sums = () => (totals ??= kind.totals(ctx, where));
  const connection = lazyConnection(() => kind.findMany(ctx, { where, orderBy: orderOf(kind, order), ...pageWindow(page) }), page, () => sums().then((t) => t.count));
  return Object.defineProperty(connection, "totalAmount", { get: () => sums().then((t) => t.amount), enumerable: true }) as DocumentConnection<Row>;
}

// ───────────── Each organisation's documents (Organisation.orders, Organisation.invoices) ─────────────

interface ChildrenArgs {
  filter: Filter | null;
  order: Order | null;
}

/** Each organisation's documents in the viewer's scope, one query per distinct arguments; paged in memory. */
const documentsByOrganisation = <Row extends { id: string; organisationId: string; amount: Prisma.Decimal }>(kind: DocumentKind<Row>) =>
  childrenByArguments<ChildrenArgs, Row>(
    (ctx, organisationIds, { filter, order }) =>
      ctx.viewer
        ? kind.findMany(ctx, {
            where: { AND: [{ organisationId: { in: organisationIds } }, kind.scope(ctx.viewer, ctx.today), filterWhere(kind, filter)] },
            orderBy: orderOf(kind, order),
          })
        : Promise.resolve([]),
    (row) => row.organisationId,
  );

async function documentsOfOrganisation<Row extends { id: string; organisationId: string; amount: Prisma.Decimal }>(
  ctx: RequestContext,
  loader: LoaderFactory<ChildrenKey<ChildrenArgs>, Row[]>,
  organisationId: string,
  filter: Filter | null | undefined,
  order: Order | null | undefined,
  pageArgs: PageArgs,
): Promise<DocumentConnection<Row>> {
  const page = readPage(pageArgs);
  const all = await ctx.loaders.get(loader).load({ parentId: organisationId, args: { filter: filter ?? null, order: order ?? null } });
  return { ...pageOfList(all, page), totalAmount: all.reduce((sum, row) => sum.plus(row.amount), ZERO) };
}

const ordersByOrganisation = documentsByOrganisation(ORDERS);
const invoicesByOrganisation = documentsByOrganisation(INVOICES);

// ───────────── By id (node, Invoice.order) ─────────────

export const orderById = (ctx: RequestContext) =>
  new DataLoader<string, OrderRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.order.findMany({ where: { id: { in: [...ids] }, ...orderScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });

export const invoiceById = (ctx: RequestContext) =>
  new DataLoader<string, InvoiceRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.invoice.findMany({ where: { id: { in: [...ids] }, ...invoiceScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });

/** The order an invoice names by its ERP id, if the viewer may read it. */
export const orderByExternalId = (ctx: RequestContext) =>
  new DataLoader<string, OrderRow | null, string>(async (externalIds) => {
    const rows = ctx.viewer ? await ctx.db.order.findMany({ where: { externalId: { in: [...externalIds] }, ...orderScope(ctx.viewer, ctx.today) } }) : [];
    return indexByKey(externalIds, rows, (row) => row.externalId);
  });

// ───────────── What the resolvers call ─────────────

export const listOrders = (ctx: AuthedContext, filter: OrderFilter | null | undefined, order: OrderOrder | null | undefined, page: PageArgs) =>
  listDocuments(ctx, ORDERS, filter, order, page);
export const listInvoices = (ctx: AuthedContext, filter: InvoiceFilter | null | undefined, order: InvoiceOrder | null | undefined, page: PageArgs) =>
  listDocuments(ctx, INVOICES, filter, order, page);

export const ordersOfOrganisation = (ctx: RequestContext, organisationId: string, filter: OrderFilter | null | undefined, order: OrderOrder | null | undefined, page: PageArgs) =>
  documentsOfOrganisation(ctx, ordersByOrganisation, organisationId, filter, order, page);
export const invoicesOfOrganisation = (ctx: RequestContext, organisationId: string, filter: InvoiceFilter | null | undefined, order: InvoiceOrder | null | undefined, page: PageArgs) =>
  documentsOfOrganisation(ctx, invoicesByOrganisation, organisationId, filter, order, page);

export async function getOrder(ctx: AuthedContext, globalId: string): Promise<OrderRow> {
  const order = await ctx.loaders.get(orderById).load(expectGlobalId(globalId, "Order"));
  if (!order) throw notFound("Order");
  return order;
}

export async function getInvoice(ctx: AuthedContext, globalId: string): Promise<InvoiceRow> {
  const invoice = await ctx.loaders.get(invoiceById).load(expectGlobalId(globalId, "Invoice"));
  if (!invoice) throw notFound("Invoice");
  return invoice;
}

export const loadOrderByExternalId = (ctx: RequestContext, externalId: string | null) => (externalId ? ctx.loaders.get(orderByExternalId).load(externalId) : null);
