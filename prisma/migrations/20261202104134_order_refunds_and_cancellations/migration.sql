-- AlterTable
ALTER TABLE "ShopOrder" ADD COLUMN "cancelledAt" DATETIME;
ALTER TABLE "ShopOrder" ADD COLUMN "shopifyUpdatedAt" DATETIME;

