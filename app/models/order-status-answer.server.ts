import { createHash } from "node:crypto";
import type { PrismaClient } from "@prisma/client";

/** Order-status answers the chat gave, counted on the analytics dashboard. Scoped by shop. */

const keyOf = (messageId: string) => createHash("sha256").update(messageId).digest("hex").slice(0, 32);

/** Records one answer per shopper message: a retried job does not count it twice. */
export async function recordOrderStatusAnswer(db: PrismaClient, shop: string, messageId: string, at: Date): Promise<void> {
  const messageKey = keyOf(messageId);
  await db.orderStatusAnswer.upsert({ where: { shop_messageKey: { shop, messageKey } }, create: { shop, messageKey, answeredAt: at }, update: {} });
}

export function countOrderStatusAnswers(db: PrismaClient, shop: string, start: Date, end: Date): Promise<number> {
  return db.orderStatusAnswer.count({ where: { shop, answeredAt: { gte: start, lt: end } } });
}

export function deleteOrderStatusAnswersBefore(db: PrismaClient, shop: string, cutoff: Date) {
  return db.orderStatusAnswer.deleteMany({ where: { shop, answeredAt: { lt: cutoff } } });
}
