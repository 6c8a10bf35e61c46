import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { allAnalyticsSettings, DEFAULT_ANALYTICS_SETTINGS } from "../models/analytics-settings.server";
import { deleteConversationsInactiveSince } from "../models/conversation-analytics.server";
import { deleteOrderStatusAnswersBefore } from "../models/order-status-answer.server";
import { deleteOrdersPlacedBefore } from "../models/shop-order.server";
import { deleteWeeklyReportsBefore } from "../models/weekly-report-delivery.server";

const DAY_MS = 86_400_000;

/**
 * The nightly purge: each shop keeps its analytics rows for its retention setting and no longer.
 * Conversations are kept an assisted window longer, so an order on the first kept day still finds
 * the conversation before it; one with any activity since the cutoff is still in use and stays.
 */
export async function purgeExpiredAnalytics({ db, logger, now }: { db: PrismaClient; logger: Logger; now: Date }) {
  const chosen = new Map((await allAnalyticsSettings(db)).map((s) => [s.shop, s]));
  const shops = new Set([...(await db.shop.findMany({ select: { domain: true } })).map((s) => s.domain), ...chosen.keys()]);
  const totals = { orders: 0, orderStatusAnswers: 0, weeklyReports: 0, conversations: 0 };
  for (const shop of shops) {
    const { retentionDays, assistedWindowDays } = chosen.get(shop) ?? DEFAULT_ANALYTICS_SETTINGS;
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    totals.orders += (await deleteOrdersPlacedBefore(db, shop, cutoff)).count;
    totals.orderStatusAnswers += (await deleteOrderStatusAnswersBefore(db, shop, cutoff)).count;
    totals.weeklyReports += (await deleteWeeklyReportsBefore(db, shop, cutoff)).count;
    totals.conversations += (await deleteConversationsInactiveSince(db, shop, new Date(cutoff.getTime() - assistedWindowDays * DAY_MS))).count;
  }
  logger.info({ shops: shops.size, ...totals }, "expired analytics purged");
  return totals;
}
