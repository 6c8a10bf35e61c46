-- CreateTable
CREATE TABLE "KnowledgeSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "includeProducts" BOOLEAN NOT NULL DEFAULT true,
    "includeCollections" BOOLEAN NOT NULL DEFAULT true,
    "includePages" BOOLEAN NOT NULL DEFAULT true,
    "includePolicies" BOOLEAN NOT NULL DEFAULT true,
    "excludedTags" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "KnowledgeSyncState" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT 'idle',
    "phase" TEXT,
    "fullRequestedAt" DATETIME,
    "itemsRead" INTEGER NOT NULL DEFAULT 0,
    "sourcesToSend" INTEGER NOT NULL DEFAULT 0,
    "sourcesSent" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "lastOutcome" TEXT,
    "lastError" TEXT,
    "lastCreated" INTEGER NOT NULL DEFAULT 0,
    "lastRemoved" INTEGER NOT NULL DEFAULT 0,
    "lastUnchanged" INTEGER NOT NULL DEFAULT 0,
    "lastSyncCalled" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
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
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "itemId")
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
    "sentAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "bundleKey")
);

-- CreateTable
CREATE TABLE "KnowledgeChange" (
    "shop" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "markedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "itemId")
);

-- CreateIndex
CREATE INDEX "KnowledgeItem_shop_kind_groupName_idx" ON "KnowledgeItem"("shop", "kind", "groupName");

