import type { PrismaClient } from "@prisma/client";
import { z } from "zod";

/** What the merchant lets the bot learn from the store. */
export type KnowledgeSettings = {
  includeProducts: boolean;
  includeCollections: boolean;
  includePages: boolean;
  includePolicies: boolean;
  /** Lower-cased product tags; a product with any of them is left out. */
  excludedTags: string[];
};

export const DEFAULT_KNOWLEDGE_SETTINGS: KnowledgeSettings = {
  includeProducts: true,
  includeCollections: true,
  includePages: true,
  includePolicies: true,
  excludedTags: [],
};

const tagList = z.array(z.string());

export async function loadKnowledgeSettings(db: PrismaClient, shop: string): Promise<KnowledgeSettings> {
  const row = await db.knowledgeSettings.findUnique({ where: { shop } });
  if (!row) return DEFAULT_KNOWLEDGE_SETTINGS;
  const tags = tagList.safeParse(JSON.parse(row.excludedTags));
  return {
    includeProducts: row.includeProducts,
    includeCollections: row.includeCollections,
    includePages: row.includePages,
    includePolicies: row.includePolicies,
    excludedTags: tags.success ? tags.data : [],
  };
}

export async function saveKnowledgeSettings(db: PrismaClient, shop: string, settings: KnowledgeSettings): Promise<void> {
  const data = { ...settings, excludedTags: JSON.stringify(settings.excludedTags) };
  await db.knowledgeSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

/** The bot the store's knowledge goes to: the merchant's choice, kept with the Oscar connection. */
export async function saveBotId(db: PrismaClient, shop: string, botId: string | null): Promise<void> {
  await db.oscarConnection.updateMany({ where: { shop }, data: { botId } });
}
