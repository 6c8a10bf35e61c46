import type { PrismaClient } from "@prisma/client";
import { isUniqueConstraintViolation } from "../db/client.server";

export type FlowTriggerFiringKey = { shop: string; conversationId: string; kind: string };

export type FiringClaim = "claimed" | "sent" | "held-by-another";

const where = ({ shop, conversationId, kind }: FlowTriggerFiringKey) => ({ shop_conversationId_kind: { shop, conversationId, kind } });

/**
 * Claims the right to send one firing. The first caller creates the row; later callers may take over a
 * claim whose lease lapsed (its holder crashed or its send failed) as long as it was never sent. The
 * database's key and the conditional update make exactly one caller win, across every worker process.
 */
export async function claimFlowTriggerFiring(db: PrismaClient, key: FlowTriggerFiringKey, now: Date, leaseMs: number): Promise<FiringClaim> {
  const claimedUntil = new Date(now.getTime() + leaseMs);
  try {
    await db.flowTriggerFiring.create({ data: { ...key, claimedUntil, attempts: 1 } });
    return "claimed";
  } catch (error) {
    if (!isUniqueConstraintViolation(error)) throw error;
  }
  const taken = await db.flowTriggerFiring.updateMany({
    where: { ...key, sentAt: null, claimedUntil: { lt: now } },
    data: { claimedUntil, attempts: { increment: 1 } },
  });
  if (taken.count === 1) return "claimed";
  const row = await db.flowTriggerFiring.findUnique({ where: where(key) });
  return row?.sentAt ? "sent" : "held-by-another";
}

export function markFlowTriggerSent(db: PrismaClient, key: FlowTriggerFiringKey, now: Date) {
  return db.flowTriggerFiring.update({ where: where(key), data: { sentAt: now } });
}

/** Gives a claim back after a failed send, so the job's retry (or any other event) can send it at once. */
export function releaseFlowTriggerFiring(db: PrismaClient, key: FlowTriggerFiringKey) {
  return db.flowTriggerFiring.updateMany({ where: { ...key, sentAt: null }, data: { claimedUntil: new Date(0) } });
}
