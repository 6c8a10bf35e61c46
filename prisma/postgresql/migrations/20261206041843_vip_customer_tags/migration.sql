-- AlterTable
ALTER TABLE "EscalationRules" ADD COLUMN     "vipCustomerTags" TEXT NOT NULL DEFAULT '["VIP"]';

