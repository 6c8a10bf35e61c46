import type { KnowledgeItem, KnowledgeSource, PrismaClient } from "@prisma/client";
import { sqlHelpers } from "../db/client.server";

/**
 * The store's content as the bot reads it (one row per product, collection, page or policy), the
 * sources sent to Oscar (one row per bundle, with the hash of what was sent), and the changes
 * Shopify's webhooks announced that the next sync must read.
 */

export type { KnowledgeItem, KnowledgeSource };
export type KnowledgeKind = "product" | "collection" | "page" | "policy";
export type ItemInput = { itemId: string; kind: KnowledgeKind; groupName: string; tags: string[]; text: string };

/**
 * Stores items with one multi-row INSERT … ON CONFLICT statement (SQLite and PostgreSQL both speak
 * it): a full read writes thousands of rows, and one Prisma upsert per row raised the worker's peak
 * memory by about 85 MB for 10,000 products. `runId` marks the rows as seen by a full read.
 */
export async function upsertItems(db: PrismaClient, shop: string, items: ItemInput[], runId: string | null): Promise<void> {
  if (items.length === 0) return;
  const now = new Date();
  const { sql, join } = sqlHelpers(db);
  const rows = items.map(({ itemId, kind, groupName, tags, text }) => sql`(${shop}, ${itemId}, ${kind}, ${groupName}, ${JSON.stringify(tags)}, ${text}, ${runId}, ${now})`);
  await db.$executeRaw`
    INSERT INTO "KnowledgeItem" ("shop", "itemId", "kind", "groupName", "tags", "text", "runId", "updatedAt")
    VALUES ${join(rows)}
    ON CONFLICT ("shop", "itemId") DO UPDATE SET
      "kind" = excluded."kind", "groupName" = excluded."groupName", "tags" = excluded."tags",
      "text" = excluded."text", "runId" = excluded."runId", "updatedAt" = excluded."updatedAt"`;
}

export async function deleteItems(db: PrismaClient, shop: string, itemIds: string[]): Promise<number> {
  if (itemIds.length === 0) return 0;
  return (await db.knowledgeItem.deleteMany({ where: { shop, itemId: { in: itemIds } } })).count;
}

/** After a full read of a kind: what it did not see no longer exists (or is no longer published). */
export async function deleteItemsNotSeen(db: PrismaClient, shop: string, kind: KnowledgeKind, runId: string): Promise<number> {
  return (await db.knowledgeItem.deleteMany({ where: { shop, kind, OR: [{ runId: null }, { runId: { not: runId } }] } })).count;
}

export async function deleteItemsOfKind(db: PrismaClient, shop: string, kind: KnowledgeKind): Promise<number> {
  return (await db.knowledgeItem.deleteMany({ where: { shop, kind } })).count;
}

/** The items of a kind with their group and size (in characters); texts are read per bundle to keep memory small. */
export async function listItemIndex(db: PrismaClient, shop: string, kind: KnowledgeKind) {
  const rows = await db.$queryRaw<{ itemId: string; groupName: string; tags: string; size: number | bigint }[]>`
    SELECT "itemId", "groupName", "tags", length("text") AS "size" FROM "KnowledgeItem" WHERE "shop" = ${shop} AND "kind" = ${kind}`;
  return rows.map((row) => ({ itemId: row.itemId, groupName: row.groupName, tags: JSON.parse(row.tags) as string[], bytes: Number(row.size) }));
}

export async function itemTexts(db: PrismaClient, shop: string, itemIds: string[]): Promise<{ itemId: string; text: string }[]> {
  return db.knowledgeItem.findMany({ where: { shop, itemId: { in: itemIds } }, select: { itemId: true, text: true }, orderBy: { itemId: "asc" } });
}

export function listSources(db: PrismaClient, shop: string): Promise<KnowledgeSource[]> {
  return db.knowledgeSource.findMany({ where: { shop }, orderBy: { bundleKey: "asc" } });
}

export async function saveSource(db: PrismaClient, source: KnowledgeSource): Promise<void> {
  const { shop, bundleKey, ...data } = source;
  await db.knowledgeSource.upsert({ where: { shop_bundleKey: { shop, bundleKey } }, create: source, update: data });
}

/**
 * Another bot was chosen: the sources sent so far stay on record as the old bot's, so the next run
 * removes them from it (rows from before sources named their bot belong to the bot chosen until now).
 */
export async function assignUnownedSources(db: PrismaClient, shop: string, botId: string): Promise<void> {
  await db.knowledgeSource.updateMany({ where: { shop, botId: null }, data: { botId } });
}

/** Which of the shop's sources belong to the bot chosen now, and which to bots chosen before. */
export function sourcesByBot(sources: KnowledgeSource[], botId: string | null) {
  const current = sources.filter((s) => botId !== null && (s.botId ?? botId) === botId);
  return { current, ofOtherBots: sources.filter((s) => !current.includes(s)) };
}

export async function deleteSource(db: PrismaClient, shop: string, bundleKey: string): Promise<void> {
  await db.knowledgeSource.deleteMany({ where: { shop, bundleKey } });
}

/** Remembers that an item changed (a product GID, or "collections"); a later mark moves the time on. */
export async function markChanged(db: PrismaClient, shop: string, itemId: string, at: Date): Promise<void> {
  await db.knowledgeChange.upsert({ where: { shop_itemId: { shop, itemId } }, create: { shop, itemId, markedAt: at }, update: { markedAt: at } });
}

export function listChanges(db: PrismaClient, shop: string) {
  return db.knowledgeChange.findMany({ where: { shop }, orderBy: { markedAt: "asc" } });
}

/** Forgets the changes a run has read; one marked again meanwhile stays for the next run. */
export async function clearChanges(db: PrismaClient, shop: string, read: { itemId: string; markedAt: Date }[]): Promise<void> {
  if (read.length === 0) return;
  await db.$transaction(read.map(({ itemId, markedAt }) => db.knowledgeChange.deleteMany({ where: { shop, itemId, markedAt: { lte: markedAt } } })));
}

export async function clearChangesBefore(db: PrismaClient, shop: string, at: Date): Promise<void> {
  await db.knowledgeChange.deleteMany({ where: { shop, markedAt: { lte: at } } });
}
