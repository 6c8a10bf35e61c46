import type { PrismaClient } from "@prisma/client";

/** How a shop's analytics work, with the product's defaults for a shop that never changed them. */

export type AnalyticsSettings = { weeklyReportEnabled: boolean; assistedWindowDays: number; retentionDays: number };

export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsSettings = { weeklyReportEnabled: false, assistedWindowDays: 7, retentionDays: 365 };

/** Retention choices: the shortest still holds a 30-day period, the one before it and the assisted window. */
export const RETENTION_CHOICES = [90, 180, 365, 730] as const;
export const ASSISTED_WINDOW_LIMITS = { min: 1, max: 30 } as const;

export async function loadAnalyticsSettings(db: PrismaClient, shop: string): Promise<AnalyticsSettings> {
  const row = await db.analyticsSettings.findUnique({ where: { shop } });
  if (!row) return DEFAULT_ANALYTICS_SETTINGS;
  return { weeklyReportEnabled: row.weeklyReportEnabled, assistedWindowDays: row.assistedWindowDays, retentionDays: row.retentionDays };
}

export async function saveAnalyticsSettings(db: PrismaClient, shop: string, settings: AnalyticsSettings): Promise<void> {
  await db.analyticsSettings.upsert({ where: { shop }, create: { shop, ...settings }, update: settings });
}

/** Every shop that chose its own settings (the others use the defaults). */
export function allAnalyticsSettings(db: PrismaClient) {
  return db.analyticsSettings.findMany();
}
