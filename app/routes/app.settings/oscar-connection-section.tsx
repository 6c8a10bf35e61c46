import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Divider, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { OscarIdPicker } from "../../components/oscar-id-picker";
import { SingleFieldForm } from "../../components/single-field-form";
import { useResultToast } from "../../components/use-result-toast";
import type { SettingsAction, SettingsData } from "./types";

type Props = {
  connection: SettingsData["connection"];
  widgets: NonNullable<SettingsData["choices"]>["widgets"] | null;
  widgetId: string | null;
  onWidgetIdChange: (value: string) => void;
  widgetError?: string;
};

/** The key (masked: only its last four characters ever reach the page), the widget, rotation and disconnection. */
export function OscarConnectionSection({ connection, widgets, widgetId, onWidgetIdChange, widgetError }: Props) {
  if (!connection || !widgets) {
    return (
      <Card>
        <BlockStack gap="300">
          <Banner tone="warning" title="Oscar is not connected">
            <p>Connect your Oscar account from the home page to route conversations and show the chat on your store.</p>
          </Banner>
          <InlineStack>
            <Button url="/app" variant="primary">
              Connect Oscar
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    );
  }
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="p">
            API key: <span aria-label={`ending in ${connection.keyLast4}`}>•••• •••• {connection.keyLast4}</span>
          </Text>
          <Text as="p">Workspace: {connection.workspaceName ?? "not chosen yet"}</Text>
          <Text as="p" tone="subdued">
            Oscar's webhook registered {connection.webhookRegisteredAt ?? "—"}
          </Text>
        </BlockStack>
        <OscarIdPicker
          label="Chat widget"
          typedLabel="Widget id"
          list={widgets}
          value={widgetId ?? ""}
          onChange={onWidgetIdChange}
          error={widgetError}
          helpText="The Oscar widget your store shows."
          placeholder="data-widget-id in the widget's install snippet"
        />
        <Divider />
        <SingleFieldForm
          intent="rotate"
          name="apiKey"
          errorKey="rotateApiKey"
          label="Replace the API key"
          type="password"
          helpText="Oscar Chat checks the new key, registers a new webhook with a new secret, then removes the old webhook."
          submitLabel="Replace key"
          clearOnSuccess
          requireValue
        />
        <Divider />
        <Disconnect />
      </BlockStack>
    </Card>
  );
}

function Disconnect() {
  const fetcher = useFetcher<SettingsAction>();
  useResultToast(fetcher.data);
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <InlineStack>
        <Button tone="critical" onClick={() => setConfirming(true)}>
          Disconnect Oscar
        </Button>
      </InlineStack>
    );
  }
  return (
    <Banner tone="critical" title="Disconnect Oscar?" onDismiss={() => setConfirming(false)}>
      <BlockStack gap="300">
        <p>The chat stops showing on your store, Oscar stops sending events to Oscar Chat, and the API key is erased. Your rules and Slack alerts are kept.</p>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="disconnect" />
          <InlineStack gap="200">
            <Button submit variant="primary" tone="critical" loading={fetcher.state !== "idle"}>
              Disconnect
            </Button>
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
          </InlineStack>
        </fetcher.Form>
      </BlockStack>
    </Banner>
  );
}
