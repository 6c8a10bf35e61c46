import type { AnalyticsReport, PeriodFigures } from "../../services/analytics.server";
import { formatChange, formatDuration, formatMoney, formatPeriod, formatRate, formatScore } from "../../services/analytics-format";
import { formatShopTime } from "../../services/shop-time";
import type { DashboardView, FigureCard } from "./types";

/** The dashboard as the page shows it, formatted on the server in the shop's currency and timezone. */

const card = (label: string, value: string, previous: string, change: string, help?: string): FigureCard => ({ label, value, previous, change, help: help ?? null });

function oscarCards(now: PeriodFigures, before: PeriodFigures): FigureCard[] | null {
  const a = now.oscar;
  const b = before.oscar;
  if (!a) return null;
  return [
    card("Conversations", String(a.conversations_count), b ? String(b.conversations_count) : "—", formatChange(b?.conversations_count, a.conversations_count)),
    card("Average first response", formatDuration(a.avg_first_response_time), formatDuration(b?.avg_first_response_time), formatChange(b?.avg_first_response_time, a.avg_first_response_time)),
    card("Average resolution time", formatDuration(a.avg_resolution_time), formatDuration(b?.avg_resolution_time), formatChange(b?.avg_resolution_time, a.avg_resolution_time)),
    card("Resolved by the bot", formatRate(a.bot_resolution_rate), formatRate(b?.bot_resolution_rate), formatChange(b?.bot_resolution_rate, a.bot_resolution_rate)),
    card("CSAT", formatScore(a.csat_survey_score), formatScore(b?.csat_survey_score), formatChange(b?.csat_survey_score, a.csat_survey_score)),
  ];
}

function appCards(report: AnalyticsReport): FigureCard[] {
  const { current: now, previous: before, currencyCode, settings } = report;
  const money = (f: PeriodFigures) => formatMoney(f.assisted.amount, currencyCode);
  const orders = (f: PeriodFigures) => `${f.assisted.orders} ${f.assisted.orders === 1 ? "order" : "orders"}`;
  const total = (f: PeriodFigures) => f.escalations.urgent + f.escalations.vip + f.escalations.botEscalation;
  const otherCurrency = now.assisted.otherCurrencyOrders ? ` ${now.assisted.otherCurrencyOrders} more in another currency are not included.` : "";
  const cancelled = now.assisted.cancelledOrders
    ? ` ${now.assisted.cancelledOrders} cancelled ${now.assisted.cancelledOrders === 1 ? "order is" : "orders are"} not included; refunds are subtracted.`
    : " Refunds are subtracted.";
  return [
    card("Assisted revenue", money(now), money(before), formatChange(Number(before.assisted.amount), Number(now.assisted.amount)),
      `${orders(now)} placed within ${settings.assistedWindowDays} days after the customer's conversation.${cancelled}${otherCurrency}`),
    card("Escalations", String(total(now)), String(total(before)), formatChange(total(before), total(now)),
      `Urgent keyword ${now.escalations.urgent} · VIP customer ${now.escalations.vip} · Bot hand-off ${now.escalations.botEscalation}`),
    card("Conversations enriched", String(now.conversationsEnriched), String(before.conversationsEnriched), formatChange(before.conversationsEnriched, now.conversationsEnriched),
      "Conversations that got a private note with the customer's Shopify orders."),
    card("Order-status answers", String(now.orderStatusAnswers), String(before.orderStatusAnswers), formatChange(before.orderStatusAnswers, now.orderStatusAnswers),
      "Signed-in shoppers told where their order is, without an agent."),
  ];
}

const dayLabel = (date: string) => new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));

export function dashboardView(report: AnalyticsReport, { nextReportAt, reportChannelSet }: { nextReportAt: Date | null; reportChannelSet: boolean }): DashboardView {
  const { current: now, previous: before } = report;
  const escalations = (f: PeriodFigures) => [
    { key: "Urgent keyword", value: f.escalations.urgent },
    { key: "VIP customer", value: f.escalations.vip },
    { key: "Bot hand-off", value: f.escalations.botEscalation },
  ];
  const activity =
    now.conversationsEnriched + before.conversationsEnriched + now.orderStatusAnswers + before.orderStatusAnswers +
    now.assisted.orders + before.assisted.orders + escalations(now).concat(escalations(before)).reduce((sum, e) => sum + e.value, 0) +
    (now.oscar?.conversations_count ?? 0) + (before.oscar?.conversations_count ?? 0);
  return {
    periodLabel: formatPeriod(now.period),
    previousLabel: formatPeriod(before.period),
    timeZone: report.timeZone,
    currencyCode: report.currencyCode,
    empty: activity === 0,
    oscarProblem: report.oscarProblem,
    oscarCards: oscarCards(now, before),
    appCards: appCards(report),
    escalations: { current: escalations(now), previous: escalations(before) },
    assistedByDay: {
      current: now.assisted.byDay.map((d) => ({ key: dayLabel(d.date), value: Number(d.amount) })),
      previous: before.assisted.byDay.map((d, i) => ({ key: dayLabel(now.assisted.byDay[i]?.date ?? d.date), value: Number(d.amount) })),
    },
    settings: report.settings,
    nextReport: nextReportAt ? formatShopTime(nextReportAt, report.timeZone) : null,
    reportChannelSet,
    earliestDate: report.earliestDate,
    today: report.today,
    from: now.period.from,
    to: now.period.to,
  };
}
