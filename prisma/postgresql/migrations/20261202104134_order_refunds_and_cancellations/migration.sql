-- AlterTable
ALTER TABLE "ShopOrder" ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "shopifyUpdatedAt" TIMESTAMP(3);

