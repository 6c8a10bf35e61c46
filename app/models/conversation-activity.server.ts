import type { ConversationRecord, PrismaClient } from "@prisma/client";

/** The shop's latest conversations as the app handled them: ids, times and outcomes, never what anyone wrote. */
export function recentConversations(db: PrismaClient, shop: string, take = 5): Promise<ConversationRecord[]> {
  return db.conversationRecord.findMany({ where: { shop }, orderBy: { createdAt: "desc" }, take });
}
