-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "externalId" TEXT;

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "externalId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Contact_externalId_key" ON "Contact"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_externalId_key" ON "Organisation"("externalId");
