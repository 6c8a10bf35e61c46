-- CreateTable
CREATE TABLE "FlowTriggerUsage" (
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "inUse" BOOLEAN NOT NULL,
    "reportedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "trigger")
);

