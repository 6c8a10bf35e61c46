-- AlterTable
ALTER TABLE "KnowledgeSource" ADD COLUMN     "botId" TEXT;

