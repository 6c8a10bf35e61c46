import type { AnalyticsReport } from "../services/analytics.server";
import { formatChange, formatDuration, formatMoney, formatPeriod, formatRate, formatScore } from "../services/analytics-format";
import { escapeSlack } from "../text/escape";
import type { SlackMessage } from "./slack.server";

/** The weekly report as Block Kit: figures only, no shopper appears in it; Oscar's own wording is escaped. */
export function weeklyReportMessage(report: AnalyticsReport, dashboardUrl: string): SlackMessage {
  const { current: now, previous: before } = report;
  const title = `Support last week: ${formatPeriod(now.period)}`;
  const field = (label: string, value: string, change: string) => ({ type: "mrkdwn", text: `*${label}*\n${value}${change ? ` (${change})` : ""}` });
  const oscarFields = now.oscar
    ? [
        field("Conversations", String(now.oscar.conversations_count), formatChange(before.oscar?.conversations_count, now.oscar.conversations_count)),
        field("First response", formatDuration(now.oscar.avg_first_response_time), formatChange(before.oscar?.avg_first_response_time, now.oscar.avg_first_response_time)),
        field("Resolution time", formatDuration(now.oscar.avg_resolution_time), formatChange(before.oscar?.avg_resolution_time, now.oscar.avg_resolution_time)),
        field("Resolved by the bot", formatRate(now.oscar.bot_resolution_rate), formatChange(before.oscar?.bot_resolution_rate, now.oscar.bot_resolution_rate)),
        field("CSAT", formatScore(now.oscar.csat_survey_score), formatChange(before.oscar?.csat_survey_score, now.oscar.csat_survey_score)),
      ]
    : [];
  const escalations = now.escalations.urgent + now.escalations.vip + now.escalations.botEscalation;
  const escalationsBefore = before.escalations.urgent + before.escalations.vip + before.escalations.botEscalation;
  const appFields = [
    field("Assisted revenue", `${formatMoney(now.assisted.amount, report.currencyCode)} from ${now.assisted.orders} ${now.assisted.orders === 1 ? "order" : "orders"}`, formatChange(Number(before.assisted.amount), Number(now.assisted.amount))),
    field("Conversations enriched", String(now.conversationsEnriched), formatChange(before.conversationsEnriched, now.conversationsEnriched)),
    field("Escalations", `${escalations} (urgent ${now.escalations.urgent}, VIP ${now.escalations.vip}, bot ${now.escalations.botEscalation})`, formatChange(escalationsBefore, escalations)),
    field("Order-status answers", String(now.orderStatusAnswers), formatChange(before.orderStatusAnswers, now.orderStatusAnswers)),
  ];
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: title } },
    ...(oscarFields.length ? [{ type: "section", fields: oscarFields }] : [{ type: "context", elements: [{ type: "mrkdwn", text: escapeSlack(report.oscarProblem ?? "Oscar's figures are unavailable.") }] }]),
    { type: "section", fields: appFields },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: `Compared with ${formatPeriod(before.period)}. Assisted revenue: orders placed within ${report.settings.assistedWindowDays} days after a conversation. Times in ${report.timeZone}.` }],
    },
    { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open analytics" }, url: dashboardUrl }] },
  ];
  return { text: `${title}: ${now.oscar ? `${now.oscar.conversations_count} conversations, ` : ""}${formatMoney(now.assisted.amount, report.currencyCode)} assisted revenue`, blocks };
}
