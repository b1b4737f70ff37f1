-- DropIndex
DROP INDEX "Invoice_invoicedAt_idx";

-- DropIndex
DROP INDEX "Invoice_repId_invoicedAt_idx";

-- DropIndex
DROP INDEX "Order_orderedAt_idx";

-- DropIndex
DROP INDEX "Order_repId_orderedAt_idx";

-- CreateIndex
CREATE INDEX "Invoice_repId_invoicedAt_amount_idx" ON "Invoice"("repId", "invoicedAt", "amount");

-- CreateIndex
CREATE INDEX "Invoice_invoicedAt_amount_idx" ON "Invoice"("invoicedAt", "amount");

-- CreateIndex
CREATE INDEX "Order_repId_orderedAt_amount_idx" ON "Order"("repId", "orderedAt", "amount");

-- CreateIndex
CREATE INDEX "Order_orderedAt_organisationId_amount_idx" ON "Order"("orderedAt", "organisationId", "amount");
