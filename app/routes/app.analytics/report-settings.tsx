import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useResultToast } from "../../components/use-result-toast";
import type { DashboardView } from "./types";

type Answer = { ok: boolean; message: string; errors: Record<string, string> };

/** The weekly Slack report (on/off, send now) and how long analytics data is kept. */
export function ReportSettings({ view, retentionChoices }: { view: DashboardView; retentionChoices: readonly number[] }) {
  const save = useFetcher<Answer>();
  const sendNow = useFetcher<Answer>();
  useResultToast(save.data);
  useResultToast(sendNow.data);
  const [enabled, setEnabled] = useState(view.settings.weeklyReportEnabled);
  const [windowDays, setWindowDays] = useState(String(view.settings.assistedWindowDays));
  const [retention, setRetention] = useState(String(view.settings.retentionDays));
  const errors = save.data?.ok === false ? save.data.errors : {};
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Weekly report and data
        </Text>
        <save.Form method="post">
          <input type="hidden" name="intent" value="save-analytics-settings" />
          <FormLayout>
            <Checkbox
              label="Post a weekly report to Slack every Monday at 9:00"
              name="weeklyReportEnabled"
              value="true"
              checked={enabled}
              onChange={setEnabled}
              helpText={`In your store's timezone (${view.timeZone}).${view.nextReport ? ` Next report: ${view.nextReport}.` : ""}`}
            />
            <TextField
              label="Assisted revenue window (days)"
              name="assistedWindowDays"
              type="number"
              min={1}
              max={30}
              value={windowDays}
              onChange={setWindowDays}
              autoComplete="off"
              error={errors.assistedWindowDays}
              helpText="An order counts as assisted when the customer places it within this many days after a conversation."
            />
            <Select
              label="Keep analytics data for"
              name="retentionDays"
              options={retentionChoices.map((days) => ({ label: `${days} days`, value: String(days) }))}
              value={retention}
              onChange={setRetention}
              error={errors.retentionDays}
              helpText="Orders and conversation records older than this are deleted every night."
            />
            <InlineStack gap="300">
              <Button submit variant="primary" loading={save.state !== "idle"}>
                Save
              </Button>
            </InlineStack>
          </FormLayout>
        </save.Form>
        <BlockStack gap="200">
          <Text as="p">
            {view.reportChannelSet ? "The report goes to the Slack channel set for “Weekly report” in " : "Choose the Slack channel for “Weekly report” in "}
            <RemixLink to="/app/settings">Settings</RemixLink>.
          </Text>
          <sendNow.Form method="post">
            <input type="hidden" name="intent" value="send-report-now" />
            <Button submit disabled={!view.reportChannelSet} loading={sendNow.state !== "idle"}>
              Send last week's report now
            </Button>
          </sendNow.Form>
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
