import type { ConversationRecord, PrismaClient } from "@prisma/client";
import { isUniqueConstraintViolation } from "../db/client.server";

/** What the app did per conversation; scoped by shop. Holds ids and times, never what anyone wrote. */

export function ensureConversationRecord(db: PrismaClient, shop: string, conversationId: string): Promise<ConversationRecord> {
  return db.conversationRecord.upsert({
    where: { shop_conversationId: { shop, conversationId } },
    create: { shop, conversationId },
    update: {},
  });
}

type Milestone = "enrichedAt" | "urgentAt" | "vipAt" | "botEscalatedAt" | "assignedAt" | "resolvedAt";

/**
 * Sets a milestone once. Returns false when it was already set, so a repeated event does not repeat
 * a one-off side effect (a Slack alert).
 */
export async function claimMilestone(
  db: PrismaClient,
  shop: string,
  conversationId: string,
  milestone: Milestone,
  at: Date,
  extra: Partial<Pick<ConversationRecord, "shopifyCustomerId" | "enrichmentOutcome" | "assigneeId">> = {},
): Promise<boolean> {
  // One query when the record exists (most events), two when this event is the conversation's first.
  const claim = async () =>
    (await db.conversationRecord.updateMany({ where: { shop, conversationId, [milestone]: null }, data: { [milestone]: at, ...extra } })).count === 1;
  if (await claim()) return true;
  try {
    await db.conversationRecord.create({ data: { shop, conversationId, [milestone]: at, ...extra } });
    return true;
  } catch (error) {
    // The record exists: either the milestone was already claimed, or the record appeared just now.
    if (isUniqueConstraintViolation(error)) return claim();
    throw error;
  }
}

export function findConversationRecord(db: PrismaClient, shop: string, conversationId: string) {
  return db.conversationRecord.findUnique({ where: { shop_conversationId: { shop, conversationId } } });
}

/** A customer's conversations in one shop, newest first, optionally only those started within [from, to). */
export function findCustomerConversations(
  db: PrismaClient,
  shop: string,
  shopifyCustomerId: string,
  { take, from, to }: { take: number; from?: Date; to?: Date },
): Promise<ConversationRecord[]> {
  return db.conversationRecord.findMany({
    where: { shop, shopifyCustomerId, createdAt: { gte: from, lt: to } },
    orderBy: { createdAt: "desc" },
    take,
  });
}
