import type { PrismaClient } from "@prisma/client";
import { isUniqueConstraintViolation } from "../db/client.server";

export type FlowTriggerUsageReport = { shop: string; trigger: string; inUse: boolean; reportedAt: Date };

/**
 * Records what Flow reported for one shop and trigger, unless a report at least as new is already
 * recorded: Flow may deliver callbacks late or out of order, and "notifications with newer timestamps
 * take precedence" (shopify.dev, Track Flow lifecycle events). "stale" when this report changed nothing.
 */
export async function recordFlowTriggerUsage(db: PrismaClient, report: FlowTriggerUsageReport): Promise<"recorded" | "stale"> {
  const { shop, trigger, inUse, reportedAt } = report;
  const updated = await db.flowTriggerUsage.updateMany({ where: { shop, trigger, reportedAt: { lt: reportedAt } }, data: { inUse, reportedAt } });
  if (updated.count === 1) return "recorded";
  try {
    await db.flowTriggerUsage.create({ data: { shop, trigger, inUse, reportedAt } });
    return "recorded";
  } catch (error) {
    // A row exists (as new or newer than this report), or a concurrent first report just created it.
    if (!isUniqueConstraintViolation(error)) throw error;
    const again = await db.flowTriggerUsage.updateMany({ where: { shop, trigger, reportedAt: { lt: reportedAt } }, data: { inUse, reportedAt } });
    return again.count === 1 ? "recorded" : "stale";
  }
}

/** The trigger ids (as Flow names them) that have an enabled workflow in the shop, as Flow last reported. */
export async function triggersReportedInUse(db: PrismaClient, shop: string): Promise<Set<string>> {
  const rows = await db.flowTriggerUsage.findMany({ where: { shop, inUse: true }, select: { trigger: true } });
  return new Set(rows.map((r) => r.trigger));
}
