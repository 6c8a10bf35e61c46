-- AlterTable
ALTER TABLE "OrderAction" ADD COLUMN "confirmMessageId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "OrderAction_shop_confirmMessageId_key" ON "OrderAction"("shop", "confirmMessageId");

