import { loadAnalyticsSettings, saveAnalyticsSettings, type AnalyticsSettings } from "../models/analytics-settings.server";
import { findShop } from "../models/shop.server";
import { slackUrlFor } from "../models/slack-settings.server";
import { claimWeeklyReport, releaseWeeklyReport } from "../models/weekly-report-delivery.server";
import type { AnalyticsSchedules } from "../queues/analytics-schedules.server";
import type { EncryptionKeyring } from "../security/encryption.server";
import { adminBaseUrl } from "../shopify/admin-links";
import type { SlackSender } from "../slack/slack.server";
import { weeklyReportMessage } from "../slack/weekly-report";
import { shopTimeZone } from "./analytics-periods";
import { loadAnalytics, type AnalyticsDeps } from "./analytics.server";

/** The weekly Slack report: sent by the shop's job scheduler on Mondays, or at once from the dashboard. */

export type WeeklyReportDeps = AnalyticsDeps & { keyring: EncryptionKeyring; sendSlack: SlackSender; apiKey: string };

export type WeeklyReportOutcome = "sent" | "already-sent" | "off" | "no-channel";

export const analyticsDashboardUrl = (shop: string, apiKey: string) => `${adminBaseUrl(shop)}/apps/${apiKey}/app/analytics`;

/**
 * Sends the report for the seven days before `at`'s day in the shop's timezone. A scheduled run
 * first claims the week (unique row), so a job that runs twice (a worker lost mid-run) posts once;
 * if Slack does not take it, the claim is given back for the retry.
 */
export async function sendWeeklyReport(deps: WeeklyReportDeps, shop: string, { at, manual }: { at: Date; manual: boolean }): Promise<WeeklyReportOutcome> {
  const settings = await loadAnalyticsSettings(deps.db, shop);
  if (!manual && !settings.weeklyReportEnabled) return "off";
  const url = await slackUrlFor(deps.db, deps.keyring, shop, "report");
  if (!url) return "no-channel";
  const report = await loadAnalytics(deps, shop, { kind: "last", days: 7 }, at);
  const weekStart = report.current.period.start;
  if (!manual && !(await claimWeeklyReport(deps.db, shop, weekStart))) return "already-sent";
  try {
    await deps.sendSlack(url, weeklyReportMessage(report, analyticsDashboardUrl(shop, deps.apiKey)));
  } catch (error) {
    if (!manual) await releaseWeeklyReport(deps.db, shop, weekStart);
    throw error;
  }
  deps.logger.info({ shop, weekStart: weekStart.toISOString(), manual }, "weekly report sent");
  return "sent";
}

/** Saves the analytics settings and puts the shop's report on (or off) the schedule, in its timezone. */
export async function saveAnalyticsPreferences(
  deps: Pick<AnalyticsDeps, "db" | "logger"> & { schedules: AnalyticsSchedules },
  shop: string,
  settings: AnalyticsSettings,
): Promise<{ timeZone: string }> {
  const timeZone = shopTimeZone((await findShop(deps.db, shop))?.ianaTimezone);
  // The schedule first: if Redis refuses, nothing claims a report that will never be sent.
  if (settings.weeklyReportEnabled) await deps.schedules.scheduleWeeklyReport(shop, timeZone);
  else await deps.schedules.unscheduleWeeklyReport(shop);
  await saveAnalyticsSettings(deps.db, shop, settings);
  deps.logger.info({ shop, weeklyReport: settings.weeklyReportEnabled, timeZone }, "analytics settings saved");
  return { timeZone };
}

/** After the shop's timezone changed: its report moves with it. */
export async function rescheduleWeeklyReport(deps: Pick<AnalyticsDeps, "db"> & { schedules: Pick<AnalyticsSchedules, "scheduleWeeklyReport"> }, shop: string): Promise<boolean> {
  const settings = await loadAnalyticsSettings(deps.db, shop);
  if (!settings.weeklyReportEnabled) return false;
  await deps.schedules.scheduleWeeklyReport(shop, shopTimeZone((await findShop(deps.db, shop))?.ianaTimezone));
  return true;
}
