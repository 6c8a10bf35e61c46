import type { OscarConnection, PrismaClient } from "@prisma/client";

/**
 * Data access for a shop's Oscar connection. Every function is scoped by shop, except the lookup by
 * ingest key: that opaque key in the webhook URL is how an Oscar delivery names its shop.
 */

export function findConnection(db: PrismaClient, shop: string): Promise<OscarConnection | null> {
  return db.oscarConnection.findUnique({ where: { shop } });
}

export function findConnectionByIngestKey(db: PrismaClient, ingestKey: string): Promise<OscarConnection | null> {
  return db.oscarConnection.findUnique({ where: { ingestKey } });
}

/** Notes that an event arrived (for the merchant's "first conversation received" and webhook health). */
export async function markEventReceived(db: PrismaClient, shop: string, at: Date): Promise<void> {
  await db.oscarConnection.updateMany({ where: { shop, firstEventAt: null }, data: { firstEventAt: at } });
  // Only forward: a retried older event must not make the last event look older than it is.
  await db.oscarConnection.updateMany({ where: { shop, OR: [{ lastEventAt: null }, { lastEventAt: { lt: at } }] }, data: { lastEventAt: at } });
}

/**
 * markEventReceived at most once a second per shop from one process: the admin shows when events
 * last arrived, to the second, and a stream of events should not write the shop's row for each one
 * (under load every worker slot would queue on that one row).
 */
export function createEventReceivedMarker(db: PrismaClient, { everyMs = 1_000 }: { everyMs?: number } = {}) {
  const lastMarked = new Map<string, number>();
  return async (shop: string, at: Date): Promise<void> => {
    const last = lastMarked.get(shop);
    if (last !== undefined && at.getTime() < last + everyMs) return;
    lastMarked.set(shop, at.getTime());
    await markEventReceived(db, shop, at);
  };
}

/** The widget the storefront shows; only called once the storefront metafield holds the same id. */
export async function saveWidgetId(db: PrismaClient, shop: string, widgetId: string): Promise<void> {
  await db.oscarConnection.updateMany({ where: { shop }, data: { widgetId } });
}

export async function saveWorkspace(db: PrismaClient, shop: string, workspace: { id: string; name: string }): Promise<void> {
  await db.oscarConnection.updateMany({ where: { shop }, data: { workspaceId: workspace.id, workspaceName: workspace.name } });
}
