import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { importInvoices, importOrders } from "./order-import.service.js";
import { ImportInvoicesInput, ImportOrdersInput, ImportPayload } from "./order.type.js";

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
