import type { PrismaClient } from "@prisma/client";
import type { CustomerConversation } from "../services/analytics-figures";

/** What the analytics read from the conversation records (ids and times only). Scoped by shop. */

export const COUNTED_MILESTONES = ["enrichedAt", "urgentAt", "vipAt", "botEscalatedAt"] as const;
export type CountedMilestone = (typeof COUNTED_MILESTONES)[number];

/** How many conversations reached each milestone within [start, end). */
export async function countMilestones(db: PrismaClient, shop: string, start: Date, end: Date): Promise<Record<CountedMilestone, number>> {
  const counts = await Promise.all(
    COUNTED_MILESTONES.map((milestone) => db.conversationRecord.count({ where: { shop, [milestone]: { gte: start, lt: end } } })),
  );
  return Object.fromEntries(COUNTED_MILESTONES.map((m, i) => [m, counts[i]])) as Record<CountedMilestone, number>;
}

/** Conversations with a known Shopify customer that started within [start, end). */
export async function customerConversationsBetween(db: PrismaClient, shop: string, start: Date, end: Date): Promise<CustomerConversation[]> {
  const rows = await db.conversationRecord.findMany({
    where: { shop, shopifyCustomerId: { not: null }, createdAt: { gte: start, lt: end } },
    select: { shopifyCustomerId: true, createdAt: true },
  });
  return rows.flatMap((r) => (r.shopifyCustomerId ? [{ shopifyCustomerId: r.shopifyCustomerId, createdAt: r.createdAt }] : []));
}

const ALL_MILESTONES = ["enrichedAt", "urgentAt", "vipAt", "botEscalatedAt", "assignedAt", "resolvedAt"] as const;

/** Deletes records with nothing at or after the cutoff: started before it, and every milestone before it or never reached. */
export function deleteConversationsInactiveSince(db: PrismaClient, shop: string, cutoff: Date) {
  return db.conversationRecord.deleteMany({
    where: {
      shop,
      createdAt: { lt: cutoff },
      AND: ALL_MILESTONES.map((field) => ({ OR: [{ [field]: null }, { [field]: { lt: cutoff } }] })),
    },
  });
}
