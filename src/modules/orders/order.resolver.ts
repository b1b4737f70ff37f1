import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { objectColumns } from "../../graphql/projection.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import { loadOrganisation } from "../organisations/organisation.service.js";
import { Organisation, ORGANISATION_COLUMNS, type OrganisationRow } from "../organisations/organisation.type.js";
import { loadUser } from "../users/user.service.js";
import { User } from "../users/user.type.js";
import { importInvoices, importOrders } from "./order-import.service.js";
import { invoicesOfOrganisation, listInvoices, listOrders, loadOrderByExternalId, ordersOfOrganisation, type DocumentConnection } from "./order.service.js";
import {
  ImportInvoicesInput,
  ImportOrdersInput,
  ImportPayload,
  Invoice,
  InvoiceConnection,
  InvoiceFilter,
  InvoiceOrder,
  Order,
  OrderConnection,
  OrderFilter,
  OrderOrder,
  type InvoiceRow,
  type OrderRow,
} from "./order.type.js";

@Resolver()
export class OrderImportResolver {
  @Mutation(() => ImportPayload, { description: "Imports ERP orders (≤ 1 000 rows), idempotent by external id, one result per row." })
  importOrders(@Arg("input", () => ImportOrdersInput) input: ImportOrdersInput, @Ctx() ctx: AuthedContext) {
    return importOrders(ctx, input.rows);
  }

  @Mutation(() => ImportPayload, { description: "Imports ERP invoices (≤ 1 000 rows), idempotent by external id, one result per row." })
  importInvoices(@Arg("input", () => ImportInvoicesInput) input: ImportInvoicesInput, @Ctx() ctx: AuthedContext) {
    return importInvoices(ctx, input.rows);
  }
}

@Resolver(() => Order)
export class OrderResolver {
  @Query(() => OrderConnection, {
    description: "Orders the viewer may read: a rep those of their portfolio and those credited to them, a manager their team's, head office all, a service token with orders:import every order (to read back what it imported).",
  })
  orders(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => OrderFilter, { nullable: true }) filter: OrderFilter | null,
    @Arg("orderBy", () => OrderOrder, { nullable: true }) orderBy: OrderOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listOrders(ctx, filter, orderBy, page);
  }

  @FieldResolver(() => ID)
  id(@Root() order: OrderRow): string {
    return toGlobalId("Order", order.id);
  }

  @FieldResolver(() => DateTimeScalar, { description: "When the order was imported." })
  importedAt(@Root() order: OrderRow): Date {
    return order.createdAt;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Null when outside the viewer's scope." })
  organisation(@Root() order: OrderRow, @Ctx() ctx: AuthedContext, @Info() info: GraphQLResolveInfo) {
    return loadOrganisation(ctx, order.organisationId, objectColumns(info, ORGANISATION_COLUMNS));
  }

  @FieldResolver(() => User, { nullable: true, description: "The rep in charge of the organisation on the order date (credited with it)." })
  creditedRep(@Root() order: OrderRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, order.repId);
  }
}

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => InvoiceConnection, {
    description: "Invoices the viewer may read: a rep those of their portfolio and those credited to them, a manager their team's, head office all, a service token with invoices:import every invoice.",
  })
  invoices(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => InvoiceFilter, { nullable: true }) filter: InvoiceFilter | null,
    @Arg("orderBy", () => InvoiceOrder, { nullable: true }) orderBy: InvoiceOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listInvoices(ctx, filter, orderBy, page);
  }

  @FieldResolver(() => ID)
  id(@Root() invoice: InvoiceRow): string {
    return toGlobalId("Invoice", invoice.id);
  }

  @FieldResolver(() => DateTimeScalar, { description: "When the invoice was imported." })
  importedAt(@Root() invoice: InvoiceRow): Date {
    return invoice.createdAt;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Null when outside the viewer's scope." })
  organisation(@Root() invoice: InvoiceRow, @Ctx() ctx: AuthedContext, @Info() info: GraphQLResolveInfo) {
    return loadOrganisation(ctx, invoice.organisationId, objectColumns(info, ORGANISATION_COLUMNS));
  }

  @FieldResolver(() => User, { nullable: true, description: "The rep in charge of the organisation on the invoice date (credited with it)." })
  creditedRep(@Root() invoice: InvoiceRow, @Ctx() ctx: AuthedContext) {
    return loadUser(ctx, invoice.repId);
  }

  @FieldResolver(() => Order, { nullable: true, description: "The order named by orderExternalId, when imported and readable by the viewer." })
  order(@Root() invoice: InvoiceRow, @Ctx() ctx: AuthedContext) {
    return loadOrderByExternalId(ctx, invoice.orderExternalId);
  }
}

@Resolver(() => OrderConnection)
export class OrderConnectionResolver {
  @FieldResolver(() => MoneyScalar, { description: "Σ amount of the whole filtered list (every page)." })
  totalAmount(@Root() connection: DocumentConnection<OrderRow>) {
    return connection.totalAmount;
  }
}

@Resolver(() => InvoiceConnection)
export class InvoiceConnectionResolver {
  @FieldResolver(() => MoneyScalar, { description: "Σ amount of the whole filtered list (every page); credit notes count negative." })
  totalAmount(@Root() connection: DocumentConnection<InvoiceRow>) {
    return connection.totalAmount;
  }
}

/** Organisation.orders and Organisation.invoices live here: the orders module owns them. */
@Resolver(() => Organisation)
export class OrganisationOrdersResolver {
  @FieldResolver(() => OrderConnection, { description: "The organisation's orders (newest first by default)." })
  orders(
    @Root() organisation: OrganisationRow,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => OrderFilter, { nullable: true }) filter: OrderFilter | null,
    @Arg("orderBy", () => OrderOrder, { nullable: true }) orderBy: OrderOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return ordersOfOrganisation(ctx, organisation.id, filter, orderBy, page);
  }

  @FieldResolver(() => InvoiceConnection, { description: "The organisation's invoices and credit notes (newest first by default)." })
  invoices(
    @Root() organisation: OrganisationRow,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => InvoiceFilter, { nullable: true }) filter: InvoiceFilter | null,
    @Arg("orderBy", () => InvoiceOrder, { nullable: true }) orderBy: InvoiceOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return invoicesOfOrganisation(ctx, organisation.id, filter, orderBy, page);
  }
}
