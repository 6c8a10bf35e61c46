-- CreateTable
CREATE TABLE "OrderCommandSettings" (
    "shop" TEXT NOT NULL,
    "enabledCommands" TEXT NOT NULL DEFAULT '[]',
    "allowedAgentIds" TEXT NOT NULL DEFAULT '[]',
    "maxRefundAmount" TEXT,
    "maxDiscountPercent" INTEGER,
    "notifyCustomer" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderCommandSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "OrderAction" (
    "id" TEXT NOT NULL,
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
    "expiresAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),
    "confirmedBy" TEXT,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderAction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrderAction_shop_createdAt_idx" ON "OrderAction"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "OrderAction_shop_shopifyCustomerId_idx" ON "OrderAction"("shop", "shopifyCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderAction_shop_sourceMessageId_key" ON "OrderAction"("shop", "sourceMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderAction_shop_codeHash_key" ON "OrderAction"("shop", "codeHash");

