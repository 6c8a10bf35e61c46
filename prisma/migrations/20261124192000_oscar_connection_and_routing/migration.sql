-- CreateTable
CREATE TABLE "OscarConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "apiKeyCiphertext" TEXT NOT NULL,
    "apiKeyLast4" TEXT NOT NULL,
    "workspaceId" TEXT,
    "workspaceName" TEXT,
    "widgetId" TEXT,
    "botId" TEXT,
    "ingestKey" TEXT NOT NULL,
    "webhookId" TEXT,
    "webhookSecretCiphertext" TEXT,
    "webhookRegisteredAt" DATETIME,
    "connectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstEventAt" DATETIME,
    "lastEventAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "EscalationRules" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "urgentKeywords" TEXT NOT NULL DEFAULT '["refund","fraud","hack","lawsuit","cancel subscription","charge"]',
    "urgentAgentId" TEXT,
    "urgentLabel" TEXT NOT NULL DEFAULT 'urgent',
    "vipPlans" TEXT NOT NULL DEFAULT '["enterprise"]',
    "vipTotalSpent" REAL NOT NULL DEFAULT 1000,
    "vipAgentId" TEXT,
    "vipLabel" TEXT NOT NULL DEFAULT 'vip',
    "botEscalationAgents" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SlackSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "urgentUrlCiphertext" TEXT,
    "vipUrlCiphertext" TEXT,
    "botEscalationUrlCiphertext" TEXT,
    "reportUrlCiphertext" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ConversationRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "enrichedAt" DATETIME,
    "enrichmentOutcome" TEXT,
    "urgentAt" DATETIME,
    "vipAt" DATETIME,
    "botEscalatedAt" DATETIME,
    "assignedAt" DATETIME,
    "assigneeId" TEXT,
    "resolvedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "OscarConnection_shop_key" ON "OscarConnection"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "OscarConnection_ingestKey_key" ON "OscarConnection"("ingestKey");

-- CreateIndex
CREATE INDEX "ConversationRecord_shop_createdAt_idx" ON "ConversationRecord"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationRecord_shop_conversationId_key" ON "ConversationRecord"("shop", "conversationId");

