import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useResultToast } from "../../components/use-result-toast";
import type { SlackAlertKind } from "../../models/slack-settings.server";
import type { SettingsAction } from "./types";

type Props = {
  alert: { kind: SlackAlertKind; label: string; description: string };
  /** Whether a URL is saved; the URL itself never reaches the page. */
  configured: boolean;
  value: { url: string; remove: boolean };
  onChange: (value: { url: string; remove: boolean }) => void;
  error?: string;
};

/** One alert kind: its incoming-webhook URL (replace or remove) and a test message that reports Slack's answer. */
export function SlackAlertField({ alert, configured, value, onChange, error }: Props) {
  const test = useFetcher<SettingsAction>();
  useResultToast(test.data);
  const status = value.remove ? (
    <Badge tone="warning">Removed when you save</Badge>
  ) : configured ? (
    <Badge tone="success">On</Badge>
  ) : (
    <Badge>Off</Badge>
  );
  const sendTest = () => {
    const form = new FormData();
    form.set("intent", "test-slack");
    form.set("kind", alert.kind);
    if (value.url.trim()) form.set("url", value.url.trim());
    test.submit(form, { method: "post" });
  };
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {alert.label}
        </Text>
        {status}
      </InlineStack>
      <Text as="p" tone="subdued">
        {alert.description}
      </Text>
      {value.remove ? null : (
        <TextField
          label={`Slack webhook URL for ${alert.label.toLowerCase()}`}
          labelHidden
          value={value.url}
          onChange={(url) => onChange({ url, remove: false })}
          autoComplete="off"
          placeholder={configured ? "A URL is saved (hidden). Paste a new one to replace it." : "https://hooks.slack.com/services/…"}
          error={error}
        />
      )}
      <InlineStack gap="200">
        <Button onClick={sendTest} loading={test.state !== "idle"} disabled={value.remove || (!configured && !value.url.trim())}>
          Send test message
        </Button>
        {configured && !value.remove ? (
          <Button variant="plain" tone="critical" onClick={() => onChange({ url: "", remove: true })}>
            Remove
          </Button>
        ) : null}
        {value.remove ? (
          <Button variant="plain" onClick={() => onChange({ url: "", remove: false })}>
            Keep it
          </Button>
        ) : null}
      </InlineStack>
      {test.state === "idle" && test.data ? (
        <Banner tone={test.data.ok ? "success" : "critical"}>
          <p>{test.data.message}</p>
        </Banner>
      ) : null}
    </BlockStack>
  );
}
