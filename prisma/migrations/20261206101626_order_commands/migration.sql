-- CreateTable
CREATE TABLE "OrderCommandSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "enabledCommands" TEXT NOT NULL DEFAULT '[]',
    "allowedAgentIds" TEXT NOT NULL DEFAULT '[]',
    "maxRefundAmount" TEXT,
    "maxDiscountPercent" INTEGER,
    "notifyCustomer" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OrderAction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "sourceMessageId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "shopifyCustomerId" TEXT,
    "orderId" TEXT,
    "orderName" TEXT,
    "codeHash" TEXT,
    "plan" TEXT,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "expiresAt" DATETIME,
    "confirmedAt" DATETIME,
    "confirmedBy" TEXT,
    "completedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "OrderAction_shop_createdAt_idx" ON "OrderAction"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "OrderAction_shop_shopifyCustomerId_idx" ON "OrderAction"("shop", "shopifyCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderAction_shop_sourceMessageId_key" ON "OrderAction"("shop", "sourceMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderAction_shop_codeHash_key" ON "OrderAction"("shop", "codeHash");

