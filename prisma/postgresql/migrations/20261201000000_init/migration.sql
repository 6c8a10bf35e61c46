-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "currencyCode" TEXT,
    "ianaTimezone" TEXT,
    "planName" TEXT,
    "scopes" TEXT,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "detailsSyncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OscarConnection" (
    "id" TEXT NOT NULL,
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
    "webhookRegisteredAt" TIMESTAMP(3),
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstEventAt" TIMESTAMP(3),
    "lastEventAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OscarConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EscalationRules" (
    "shop" TEXT NOT NULL,
    "urgentKeywords" TEXT NOT NULL DEFAULT '["refund","fraud","hack","lawsuit","cancel subscription","charge"]',
    "urgentAgentId" TEXT,
    "urgentLabel" TEXT NOT NULL DEFAULT 'urgent',
    "vipPlans" TEXT NOT NULL DEFAULT '["enterprise"]',
    "vipTotalSpent" DOUBLE PRECISION NOT NULL DEFAULT 1000,
    "vipAgentId" TEXT,
    "vipLabel" TEXT NOT NULL DEFAULT 'vip',
    "botEscalationAgents" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EscalationRules_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "SlackSettings" (
    "shop" TEXT NOT NULL,
    "urgentUrlCiphertext" TEXT,
    "vipUrlCiphertext" TEXT,
    "botEscalationUrlCiphertext" TEXT,
    "reportUrlCiphertext" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlackSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "ConversationRecord" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "enrichedAt" TIMESTAMP(3),
    "enrichmentOutcome" TEXT,
    "urgentAt" TIMESTAMP(3),
    "vipAt" TIMESTAMP(3),
    "botEscalatedAt" TIMESTAMP(3),
    "assignedAt" TIMESTAMP(3),
    "assigneeId" TEXT,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "ConversationRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderStatusSettings" (
    "shop" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "sharedFields" TEXT NOT NULL DEFAULT '["status","tracking"]',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderStatusSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "ThemeEmbedCheck" (
    "shop" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL,
    "themeName" TEXT,
    "problem" TEXT,
    "checkedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ThemeEmbedCheck_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "ShopOrder" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT,
    "totalPrice" TEXT NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "placedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShopOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnalyticsSettings" (
    "shop" TEXT NOT NULL,
    "weeklyReportEnabled" BOOLEAN NOT NULL DEFAULT false,
    "assistedWindowDays" INTEGER NOT NULL DEFAULT 7,
    "retentionDays" INTEGER NOT NULL DEFAULT 365,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnalyticsSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "OrderStatusAnswer" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "messageKey" TEXT NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderStatusAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WeeklyReportDelivery" (
    "shop" TEXT NOT NULL,
    "weekStart" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WeeklyReportDelivery_pkey" PRIMARY KEY ("shop","weekStart")
);

-- CreateTable
CREATE TABLE "KnowledgeSettings" (
    "shop" TEXT NOT NULL,
    "includeProducts" BOOLEAN NOT NULL DEFAULT true,
    "includeCollections" BOOLEAN NOT NULL DEFAULT true,
    "includePages" BOOLEAN NOT NULL DEFAULT true,
    "includePolicies" BOOLEAN NOT NULL DEFAULT true,
    "excludedTags" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KnowledgeSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "KnowledgeSyncState" (
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'idle',
    "phase" TEXT,
    "fullRequestedAt" TIMESTAMP(3),
    "itemsRead" INTEGER NOT NULL DEFAULT 0,
    "sourcesToSend" INTEGER NOT NULL DEFAULT 0,
    "sourcesSent" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "lastOutcome" TEXT,
    "lastError" TEXT,
    "lastCreated" INTEGER NOT NULL DEFAULT 0,
    "lastRemoved" INTEGER NOT NULL DEFAULT 0,
    "lastUnchanged" INTEGER NOT NULL DEFAULT 0,
    "lastSyncCalled" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KnowledgeSyncState_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "KnowledgeItem" (
    "shop" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "groupName" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "text" TEXT NOT NULL,
    "runId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KnowledgeItem_pkey" PRIMARY KEY ("shop","itemId")
);

-- CreateTable
CREATE TABLE "KnowledgeSource" (
    "shop" TEXT NOT NULL,
    "bundleKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "oscarId" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "itemCount" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KnowledgeSource_pkey" PRIMARY KEY ("shop","bundleKey")
);

-- CreateTable
CREATE TABLE "KnowledgeChange" (
    "shop" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "markedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KnowledgeChange_pkey" PRIMARY KEY ("shop","itemId")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "OscarConnection_shop_key" ON "OscarConnection"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "OscarConnection_ingestKey_key" ON "OscarConnection"("ingestKey");

-- CreateIndex
CREATE INDEX "ConversationRecord_shop_createdAt_idx" ON "ConversationRecord"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationRecord_shop_conversationId_key" ON "ConversationRecord"("shop", "conversationId");

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

-- CreateIndex
CREATE INDEX "KnowledgeItem_shop_kind_groupName_idx" ON "KnowledgeItem"("shop", "kind", "groupName");

