import type { ConversationRecord, OscarConnection, Shop, ThemeEmbedCheck } from "@prisma/client";
import { oscarConversationUrl } from "../../oscar/links";
import type { QueueHealth } from "../../services/onboarding.server";
import { formatShopTime } from "../../services/shop-time";

/** The home page's data as the browser receives it: dates formatted, nothing secret, no customer data. */

const QUIET_AFTER_MS = 7 * 24 * 3600 * 1000;

export function storeView(shop: Shop | null) {
  return shop?.detailsSyncedAt
    ? { name: shop.name, currencyCode: shop.currencyCode, ianaTimezone: shop.ianaTimezone, planName: shop.planName }
    : null;
}

export function connectionView(connection: OscarConnection | null, timeZone: string | null, now: Date) {
  if (!connection) return null;
  return {
    keyLast4: connection.apiKeyLast4,
    workspaceName: connection.workspaceName,
    widgetId: connection.widgetId,
    webhookRegisteredAt: formatShopTime(connection.webhookRegisteredAt, timeZone),
    firstEventAt: formatShopTime(connection.firstEventAt, timeZone),
    lastEventAt: formatShopTime(connection.lastEventAt, timeZone),
    receivingEvents: Boolean(connection.lastEventAt && now.getTime() - connection.lastEventAt.getTime() < QUIET_AFTER_MS),
  };
}

export function embedView(embed: ThemeEmbedCheck | null, timeZone: string | null) {
  if (!embed) return null;
  return { active: embed.active, themeName: embed.themeName, problem: embed.problem, checkedAt: formatShopTime(embed.checkedAt, timeZone) };
}

export function queueView(queue: QueueHealth) {
  return queue.reachable ? { reachable: true, failedJobs: queue.failedJobs } : { reachable: false, failedJobs: 0 };
}

const OUTCOMES: Array<[keyof ConversationRecord, string]> = [
  ["enrichedAt", "Order history added"],
  ["urgentAt", "Urgent"],
  ["vipAt", "VIP"],
  ["botEscalatedAt", "Handed to your team"],
  ["resolvedAt", "Resolved"],
];

export function recentView(records: ConversationRecord[], timeZone: string | null) {
  return records.map((record) => ({
    conversationId: record.conversationId,
    startedAt: formatShopTime(record.createdAt, timeZone),
    outcomes: OUTCOMES.filter(([field]) => record[field]).map(([, label]) => label),
    url: oscarConversationUrl(record.conversationId),
  }));
}
