import type { PrismaClient } from "@prisma/client";
import { claimMilestone } from "../models/conversation-record.server";
import type { OscarWebhookEventOf } from "../oscar/contract";

/**
 * conversation.assigned / conversation.resolved → recorded for the merchant's analytics (when it
 * was handed to an agent, when it ended). The first time counts; repeats change nothing.
 */
export async function recordConversationOutcome(
  { db, now = () => new Date() }: { db: PrismaClient; now?: () => Date },
  shop: string,
  event: OscarWebhookEventOf<"conversation.assigned"> | OscarWebhookEventOf<"conversation.resolved">,
): Promise<boolean> {
  const conversationId = event.data.conversation_id;
  if (event.type === "conversation.resolved") return claimMilestone(db, shop, conversationId, "resolvedAt", now());
  const assignee = event.data.assignee;
  if (!assignee) return false;
  return claimMilestone(db, shop, conversationId, "assignedAt", now(), { assigneeId: String(assignee.id) });
}
