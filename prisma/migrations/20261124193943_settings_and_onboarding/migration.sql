-- CreateTable
CREATE TABLE "OrderStatusSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "sharedFields" TEXT NOT NULL DEFAULT '["status","tracking"]',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ThemeEmbedCheck" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "active" BOOLEAN NOT NULL,
    "themeName" TEXT,
    "problem" TEXT,
    "checkedAt" DATETIME NOT NULL
);

