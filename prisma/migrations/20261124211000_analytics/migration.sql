-- CreateTable
CREATE TABLE "ShopOrder" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT,
    "totalPrice" TEXT NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "placedAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AnalyticsSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "weeklyReportEnabled" BOOLEAN NOT NULL DEFAULT false,
    "assistedWindowDays" INTEGER NOT NULL DEFAULT 7,
    "retentionDays" INTEGER NOT NULL DEFAULT 365,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OrderStatusAnswer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "messageKey" TEXT NOT NULL,
    "answeredAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WeeklyReportDelivery" (
    "shop" TEXT NOT NULL,
    "weekStart" DATETIME NOT NULL,
    "sentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "weekStart")
);

-- CreateIndex
CREATE INDEX "ShopOrder_shop_placedAt_idx" ON "ShopOrder"("shop", "placedAt");

-- CreateIndex
CREATE INDEX "ShopOrder_shop_shopifyCustomerId_idx" ON "ShopOrder"("shop", "shopifyCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "ShopOrder_shop_orderId_key" ON "ShopOrder"("shop", "orderId");

-- CreateIndex
CREATE INDEX "OrderStatusAnswer_shop_answeredAt_idx" ON "OrderStatusAnswer"("shop", "answeredAt");

-- CreateIndex
CREATE UNIQUE INDEX "OrderStatusAnswer_shop_messageKey_key" ON "OrderStatusAnswer"("shop", "messageKey");

