import type { PrismaClient, ThemeEmbedCheck } from "@prisma/client";

/** The last answer to "is the Oscar Chat app embed on in the live theme?", per shop. */

export type ThemeEmbedCheckResult = { active: boolean; themeName: string | null; problem: string | null; checkedAt: Date };

export function findThemeEmbedCheck(db: PrismaClient, shop: string): Promise<ThemeEmbedCheck | null> {
  return db.themeEmbedCheck.findUnique({ where: { shop } });
}

export async function saveThemeEmbedCheck(db: PrismaClient, shop: string, result: ThemeEmbedCheckResult): Promise<void> {
  await db.themeEmbedCheck.upsert({ where: { shop }, create: { shop, ...result }, update: result });
}
