import type { PrismaClient } from "@prisma/client";
import type { ProtectedDataNotice } from "./protected-data-notice-text";

/** How far back a withheld look-up still warrants the notice: long enough to be seen, short enough to clear once approved. */
const NOTICE_DAYS = 7;

/**
 * Whether Shopify recently withheld protected customer data from the app's customer look-ups (the
 * enrichment outcome "withheld"), for the merchant's home page: the fix is a request in the Partner
 * Dashboard, which no setting in the app can replace.
 */
export async function loadProtectedDataNotice(db: PrismaClient, shop: string, now = new Date()): Promise<ProtectedDataNotice | null> {
  const since = new Date(now.getTime() - NOTICE_DAYS * 86_400_000);
  // createdAt rides the (shop, createdAt) index; a conversation is enriched moments after it is recorded.
  const where = { shop, createdAt: { gte: since }, enrichmentOutcome: "withheld" };
  const [latest, conversations] = await Promise.all([
    db.conversationRecord.findFirst({ where, orderBy: { enrichedAt: "desc" }, select: { enrichedAt: true } }),
    db.conversationRecord.count({ where }),
  ]);
  return latest?.enrichedAt ? { lastWithheldAt: latest.enrichedAt.toISOString(), conversations } : null;
}
