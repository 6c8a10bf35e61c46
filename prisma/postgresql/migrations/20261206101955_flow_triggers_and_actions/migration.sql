-- CreateTable
CREATE TABLE "FlowTriggerFiring" (
    "shop" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "claimedUntil" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "FlowTriggerFiring_pkey" PRIMARY KEY ("shop","conversationId","kind")
);

-- CreateTable
CREATE TABLE "FlowActionRun" (
    "shop" TEXT NOT NULL,
    "actionRunId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "conversationId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowActionRun_pkey" PRIMARY KEY ("shop","actionRunId")
);

-- CreateIndex
CREATE INDEX "FlowActionRun_shop_receivedAt_idx" ON "FlowActionRun"("shop", "receivedAt");

