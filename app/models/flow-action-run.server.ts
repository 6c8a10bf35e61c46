import type { PrismaClient } from "@prisma/client";
import { isUniqueConstraintViolation } from "../db/client.server";

export type FlowActionOutcome = "queued" | "no-open-conversation";
export type FlowActionRunRecord = { action: string; outcome: FlowActionOutcome; conversationId: string | null };

export async function findFlowActionRun(db: PrismaClient, shop: string, actionRunId: string): Promise<FlowActionRunRecord | null> {
  const run = await db.flowActionRun.findUnique({ where: { shop_actionRunId: { shop, actionRunId } } });
  return run ? { action: run.action, outcome: run.outcome as FlowActionOutcome, conversationId: run.conversationId } : null;
}

/** Records what the app answered for a run; a concurrent duplicate that recorded first wins, and its record is returned. */
export async function recordFlowActionRun(db: PrismaClient, shop: string, actionRunId: string, run: FlowActionRunRecord, at: Date): Promise<FlowActionRunRecord> {
  try {
    await db.flowActionRun.create({ data: { shop, actionRunId, ...run, receivedAt: at } });
    return run;
  } catch (error) {
    if (!isUniqueConstraintViolation(error)) throw error;
    return (await findFlowActionRun(db, shop, actionRunId)) ?? run;
  }
}

/**
 * The customer's open conversation as the app knows it: the newest one whose signed-in customer is
 * this one and that Oscar has not reported resolved. Customer ids come only from signed identities.
 */
export async function findOpenConversationOf(db: PrismaClient, shop: string, shopifyCustomerId: string): Promise<string | null> {
  const record = await db.conversationRecord.findFirst({
    where: { shop, shopifyCustomerId, resolvedAt: null },
    orderBy: { createdAt: "desc" },
    select: { conversationId: true },
  });
  return record?.conversationId ?? null;
}
