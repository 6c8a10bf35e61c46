import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, EmptyState, InlineGrid, InlineStack, Layout, Page, Spinner, Text } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { z } from "zod";
import { formFailed, formSucceeded } from "../../http/form-result.server";
import { ASSISTED_WINDOW_LIMITS, RETENTION_CHOICES } from "../../models/analytics-settings.server";
import { slackAlertsConfigured } from "../../models/slack-settings.server";
import { QueueUnavailableError } from "../../queues/producer.server";
import { isLocalDate, type PeriodChoice } from "../../services/analytics-periods";
import { loadAnalytics, PeriodRefusedError } from "../../services/analytics.server";
import { analyticsDeps, analyticsSchedules } from "../../services/analytics-context.server";
import { saveAnalyticsPreferences, sendWeeklyReport } from "../../services/weekly-report.server";
import { SlackDeliveryError } from "../../slack/slack.server";
import { authenticate } from "../../shopify.server";
import { pageTitle } from "../../components/page-title";
import { AssistedRevenueCard, EscalationsCard } from "./chart-card";
import { FigureCards } from "./figure-cards";
import { PeriodPicker } from "./period-picker";
import { ReportSettings } from "./report-settings";
import { dashboardView } from "./view.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

const localDate = z.string().refine(isLocalDate, "Enter a date such as 2026-03-08.");
const PeriodQuery = z.union([
  z.object({ period: z.literal("custom"), from: localDate, to: localDate }),
  z.object({ period: z.enum(["7", "30"]).default("7") }),
]);

function choiceFrom(url: URL): { choice: PeriodChoice; problem: string | null } {
  const parsed = PeriodQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) return { choice: { kind: "last", days: 7 }, problem: "That period is not valid; showing the last 7 days." };
  const query = parsed.data;
  return { choice: "from" in query ? { kind: "custom", from: query.from, to: query.to } : { kind: "last", days: Number(query.period) }, problem: null };
}

export const meta = pageTitle("Analytics");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  let { choice, problem } = choiceFrom(new URL(request.url));
  let report;
  try {
    report = await loadAnalytics(analyticsDeps, shop, choice);
  } catch (error) {
    if (!(error instanceof PeriodRefusedError)) throw error;
    problem = `${error.message} Showing the last 7 days.`;
    choice = { kind: "last", days: 7 };
    report = await loadAnalytics(analyticsDeps, shop, choice);
  }
  const [slack, nextReportAt] = await Promise.all([
    slackAlertsConfigured(analyticsDeps.db, shop),
    report.settings.weeklyReportEnabled ? analyticsSchedules.nextWeeklyReport(shop).catch(() => null) : null,
  ]);
  return { view: dashboardView(report, { nextReportAt, reportChannelSet: slack.report }), periodProblem: problem, retentionChoices: RETENTION_CHOICES };
};

const SettingsForm = z.object({
  weeklyReportEnabled: z.literal("true").optional().transform(Boolean),
  assistedWindowDays: z.coerce
    .number({ message: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(ASSISTED_WINDOW_LIMITS.min, `At least ${ASSISTED_WINDOW_LIMITS.min} day.`)
    .max(ASSISTED_WINDOW_LIMITS.max, `At most ${ASSISTED_WINDOW_LIMITS.max} days.`),
  retentionDays: z.coerce.number().refine((n) => (RETENTION_CHOICES as readonly number[]).includes(n), "Choose one of the listed durations."),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "save-analytics-settings": {
      const parsed = SettingsForm.safeParse(Object.fromEntries(form));
      if (!parsed.success) {
        const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
        return formFailed(intent, errors, "Some settings need fixing: see the messages in red.");
      }
      try {
        await saveAnalyticsPreferences({ ...analyticsDeps, schedules: analyticsSchedules }, shop, parsed.data);
      } catch (error) {
        if (!(error instanceof QueueUnavailableError)) throw error;
        return formFailed(intent, {}, "The schedule could not be saved right now; nothing was changed. Try again in a minute.", 503);
      }
      return formSucceeded(intent, parsed.data.weeklyReportEnabled ? "Saved: the report goes out on Mondays at 9:00" : "Saved");
    }
    case "send-report-now": {
      try {
        const outcome = await sendWeeklyReport(analyticsDeps, shop, { at: new Date(), manual: true });
        if (outcome === "no-channel") return formFailed(intent, {}, "Choose a Slack channel for the weekly report in Settings first.", 422);
        return formSucceeded(intent, "Report sent to Slack");
      } catch (error) {
        if (!(error instanceof SlackDeliveryError)) throw error;
        return formFailed(intent, {}, error.message, 422);
      }
    }
    default:
      return formFailed(intent, {}, "That action is not known.");
  }
};

export default function Analytics() {
  const { view, periodProblem, retentionChoices } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === "loading";
  return (
    <Page title="Analytics" subtitle={`${view.periodLabel}, compared with ${view.previousLabel} · ${view.timeZone} · ${view.currencyCode}`}>
      <BlockStack gap="500">
        <InlineStack align="space-between" blockAlign="end">
          <PeriodPicker key={`${view.from}:${view.to}`} from={view.from} to={view.to} earliestDate={view.earliestDate} today={view.today} />
          {loading ? <Spinner accessibilityLabel="Loading the figures" size="small" /> : null}
        </InlineStack>
        {periodProblem ? <Banner tone="warning">{periodProblem}</Banner> : null}
        <div style={{ opacity: loading ? 0.5 : 1 }} aria-busy={loading}>
          {view.empty ? (
            <EmptyState heading="No support activity in this period yet" image="">
              <p>
                Conversations, escalations and orders after a chat appear here as they happen. Choose a longer period, or check back once shoppers have
                chatted.
              </p>
            </EmptyState>
          ) : (
            <BlockStack gap="500">
              <BlockStack gap="300">
                <Text as="h2" variant="headingLg">
                  Oscar Chat
                </Text>
                {view.oscarCards ? <FigureCards cards={view.oscarCards} /> : <Banner tone="info">{view.oscarProblem}</Banner>}
              </BlockStack>
              <BlockStack gap="300">
                <Text as="h2" variant="headingLg">
                  What the app did
                </Text>
                <FigureCards cards={view.appCards} />
              </BlockStack>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                <AssistedRevenueCard data={view.assistedByDay} currencyCode={view.currencyCode} />
                <EscalationsCard data={view.escalations} />
              </InlineGrid>
            </BlockStack>
          )}
        </div>
        <Layout>
          <Layout.Section>
            <ReportSettings view={view} retentionChoices={retentionChoices} />
          </Layout.Section>
        </Layout>
        <Box paddingBlockEnd="400" />
      </BlockStack>
    </Page>
  );
}
