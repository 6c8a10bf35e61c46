import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { loadAnalyticsSettings, type AnalyticsSettings } from "../models/analytics-settings.server";
import { countMilestones, customerConversationsBetween } from "../models/conversation-analytics.server";
import { countOrderStatusAnswers } from "../models/order-status-answer.server";
import { findConnection } from "../models/oscar-connection.server";
import { findShop } from "../models/shop.server";
import { ordersPlacedBetween } from "../models/shop-order.server";
import type { ReportSummary } from "../oscar/contract";
import { OscarError } from "../oscar/errors";
import { ShopNotConnectedError, type OscarClientFactory } from "../oscar/for-shop.server";
import { assistedRevenue, type AssistedRevenue } from "./analytics-figures";
import { addDays, addDaysInZone, daysBetween, localDateOf, previousPeriod, resolvePeriod, shopTimeZone, type LocalDate, type Period, type PeriodChoice } from "./analytics-periods";

/**
 * What support did for the store in a period and the one before it: Oscar's own summary next to the
 * app's figures (enrichment, escalations by reason, order-status answers, assisted revenue).
 */

export type AnalyticsDeps = { db: PrismaClient; oscarFor: OscarClientFactory; logger: Logger; now?: () => Date };

export type PeriodFigures = {
  period: Period;
  /** Oscar's report for the period; null when Oscar is not connected or did not answer. */
  oscar: ReportSummary | null;
  conversationsEnriched: number;
  escalations: { urgent: number; vip: number; botEscalation: number };
  orderStatusAnswers: number;
  assisted: AssistedRevenue;
};

export type AnalyticsReport = {
  shop: string;
  shopName: string | null;
  timeZone: string;
  currencyCode: string;
  settings: AnalyticsSettings;
  current: PeriodFigures;
  previous: PeriodFigures;
  /** Why Oscar's figures are missing, in the merchant's words. */
  oscarProblem: string | null;
  /** The first day the kept data can still answer for (the retention setting). */
  earliestDate: LocalDate;
  today: LocalDate;
};

export class PeriodRefusedError extends Error {
  override name = "PeriodRefusedError";
}

/** A custom period must be real days, in order, inside what is kept (with its previous period). */
export function checkCustomPeriod(choice: PeriodChoice, today: LocalDate, earliestDate: LocalDate): void {
  if (choice.kind !== "custom") return;
  if (choice.from > choice.to) throw new PeriodRefusedError("The start date is after the end date.");
  if (choice.to > today) throw new PeriodRefusedError("The period cannot end after today.");
  const days = daysBetween(choice.from, choice.to) + 1;
  if (addDays(choice.from, -days) < earliestDate) {
    throw new PeriodRefusedError(`Data is kept from ${earliestDate}; choose a period that, with the same number of days before it, starts on or after that day.`);
  }
}

export async function loadAnalytics(deps: AnalyticsDeps, shop: string, choice: PeriodChoice, at?: Date): Promise<AnalyticsReport> {
  const now = at ?? (deps.now ?? (() => new Date()))();
  const [shopRow, settings, connection] = await Promise.all([findShop(deps.db, shop), loadAnalyticsSettings(deps.db, shop), findConnection(deps.db, shop)]);
  const timeZone = shopTimeZone(shopRow?.ianaTimezone);
  const today = localDateOf(now, timeZone);
  const earliestDate = addDays(today, -settings.retentionDays);
  checkCustomPeriod(choice, today, earliestDate);
  const currentPeriod = resolvePeriod(choice, now, timeZone);
  const previous = previousPeriod(currentPeriod, timeZone);

  // Until the shop's details are synced, its currency is the one its orders carry.
  const currencyCode = shopRow?.currencyCode ?? (await ordersPlacedBetween(deps.db, shop, previous.start, currentPeriod.end))[0]?.currencyCode ?? "USD";
  const oscar = await oscarSummaries(deps, shop, connection, [currentPeriod, previous], now);
  const figures = (period: Period, summary: ReportSummary | null) => appFigures(deps.db, shop, period, summary, { timeZone, currencyCode, windowDays: settings.assistedWindowDays });
  const [current, before] = await Promise.all([figures(currentPeriod, oscar.summaries[0]), figures(previous, oscar.summaries[1])]);
  return { shop, shopName: shopRow?.name ?? null, timeZone, currencyCode, settings, current, previous: before, oscarProblem: oscar.problem, earliestDate, today };
}

async function appFigures(
  db: PrismaClient,
  shop: string,
  period: Period,
  oscar: ReportSummary | null,
  { timeZone, currencyCode, windowDays }: { timeZone: string; currencyCode: string; windowDays: number },
): Promise<PeriodFigures> {
  // An order early in the period may follow a conversation from before it (one spare day for clock changes).
  const conversationsFrom = addDaysInZone(period.start, -(windowDays + 1), timeZone);
  const [milestones, orderStatusAnswers, orders, conversations] = await Promise.all([
    countMilestones(db, shop, period.start, period.end),
    countOrderStatusAnswers(db, shop, period.start, period.end),
    ordersPlacedBetween(db, shop, period.start, period.end),
    customerConversationsBetween(db, shop, conversationsFrom, period.end),
  ]);
  return {
    period,
    oscar,
    conversationsEnriched: milestones.enrichedAt,
    escalations: { urgent: milestones.urgentAt, vip: milestones.vipAt, botEscalation: milestones.botEscalatedAt },
    orderStatusAnswers,
    assisted: assistedRevenue({ orders, conversations, period, windowDays, timeZone, currencyCode }),
  };
}

/**
 * Oscar's summaries of periods that have ended, kept for 10 minutes in this process: a merchant
 * switching between periods or reloading the page should not spend the shop's Oscar budget (300
 * requests a minute, shared with the worker's enrichment) on figures that no longer change, nor wait
 * for it (a burst of reloads otherwise queued each page ~400 ms behind the rate limiter:
 * bench/admin-loaders.ts). A period that includes now is always asked afresh.
 */
function createSummaryCache(ttlMs: number, maxEntries: number) {
  const entries = new Map<string, { at: number; value: Promise<ReportSummary> }>();
  return {
    get(key: string, cacheable: boolean, load: () => Promise<ReportSummary>): Promise<ReportSummary> {
      if (!cacheable) return load();
      const hit = entries.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      const value = load();
      entries.delete(key);
      entries.set(key, { at: Date.now(), value });
      // A failed answer is not kept: the next view asks again.
      value.catch(() => entries.get(key)?.value === value && entries.delete(key));
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    },
  };
}
const closedPeriodSummaries = createSummaryCache(10 * 60_000, 1_000);

/** Oscar's summary for each period; the rest of the page still shows when Oscar cannot answer. */
async function oscarSummaries(deps: AnalyticsDeps, shop: string, connection: { id: string; workspaceId: string | null; connectedAt: Date } | null, periods: Period[], now: Date) {
  const workspaceId = connection?.workspaceId;
  if (!connection || !workspaceId) return { summaries: periods.map(() => null), problem: "Connect your Oscar account to see Oscar's figures here." };
  try {
    const oscar = await deps.oscarFor(shop);
    // Oscar's `until` is inclusive, in whole seconds: the last second of the period.
    // The connection, not only the workspace: a reconnected key or another database never reads these.
    const cacheKey = (p: Period) => [shop, connection.id, connection.connectedAt.getTime(), workspaceId, p.start.getTime(), p.end.getTime()].join("|");
    const summaries = await Promise.all(
      periods.map((p) => closedPeriodSummaries.get(cacheKey(p), p.end <= now, () => oscar.getReportSummary(workspaceId, { since: p.start, until: new Date(p.end.getTime() - 1000) }))),
    );
    return { summaries, problem: null };
  } catch (error) {
    if (error instanceof ShopNotConnectedError) return { summaries: periods.map(() => null), problem: "Connect your Oscar account to see Oscar's figures here." };
    if (!(error instanceof OscarError)) throw error;
    deps.logger.warn({ shop, error: error.message }, "Oscar report summary unavailable");
    return { summaries: periods.map(() => null), problem: `Oscar's figures are unavailable right now (${error.message}).` };
  }
}
