-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_EscalationRules" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "urgentKeywords" TEXT NOT NULL DEFAULT '["refund","fraud","hack","lawsuit","cancel subscription","charge"]',
    "urgentAgentId" TEXT,
    "urgentLabel" TEXT NOT NULL DEFAULT 'urgent',
    "vipPlans" TEXT NOT NULL DEFAULT '["enterprise"]',
    "vipTotalSpent" REAL NOT NULL DEFAULT 1000,
    "vipCustomerTags" TEXT NOT NULL DEFAULT '["VIP"]',
    "vipAgentId" TEXT,
    "vipLabel" TEXT NOT NULL DEFAULT 'vip',
    "botEscalationAgents" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_EscalationRules" ("botEscalationAgents", "shop", "updatedAt", "urgentAgentId", "urgentKeywords", "urgentLabel", "vipAgentId", "vipLabel", "vipPlans", "vipTotalSpent") SELECT "botEscalationAgents", "shop", "updatedAt", "urgentAgentId", "urgentKeywords", "urgentLabel", "vipAgentId", "vipLabel", "vipPlans", "vipTotalSpent" FROM "EscalationRules";
DROP TABLE "EscalationRules";
ALTER TABLE "new_EscalationRules" RENAME TO "EscalationRules";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

