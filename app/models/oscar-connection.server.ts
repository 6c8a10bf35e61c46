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

/** The widget the storefront shows; only called once the storefront metafield holds the same id. */
export async function saveWidgetId(db: PrismaClient, shop: string, widgetId: string): Promise<void> {
  await db.oscarConnection.updateMany({ where: { shop }, data: { widgetId } });
}

export async function saveWorkspace(db: PrismaClient, shop: string, workspace: { id: string; name: string }): Promise<void> {
  await db.oscarConnection.updateMany({ where: { shop }, data: { workspaceId: workspace.id, workspaceName: workspace.name } });
}
