-- CreateTable
CREATE TABLE "OrderingCycle" (
    "organisationId" UUID NOT NULL,
    "orders" INTEGER NOT NULL,
    "lastOrderedAt" DATE NOT NULL,
    "intervals" INTEGER NOT NULL,
    "medianIntervalDays" DOUBLE PRECISION,

    CONSTRAINT "OrderingCycle_pkey" PRIMARY KEY ("organisationId")
);

-- AddForeignKey
ALTER TABLE "OrderingCycle" ADD CONSTRAINT "OrderingCycle_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The cycles of the orders already there (src/modules/orders/ordering-cycle.ts keeps them from now on).
INSERT INTO "OrderingCycle" ("organisationId", "orders", "lastOrderedAt", "intervals", "medianIntervalDays")
SELECT g."organisationId", COUNT(*)::int, MAX(g."orderedAt"), COUNT(g.gap)::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY g.gap)
FROM (
  SELECT o."organisationId", o."orderedAt", o."orderedAt" - LAG(o."orderedAt") OVER (PARTITION BY o."organisationId" ORDER BY o."orderedAt") AS gap
  FROM "Order" o
) g
GROUP BY g."organisationId";
