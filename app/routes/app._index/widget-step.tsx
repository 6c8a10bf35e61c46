import { useFetcher } from "@remix-run/react";
import { Button, FormLayout, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { OscarIdPicker } from "../../components/oscar-id-picker";
import { useResultToast } from "../../components/use-result-toast";
import type { HomeAction, HomeData } from "./types";

/**
 * The widget the store shows and, optionally, the bot that learns the store: picked from the
 * account's own lists when Oscar offers them, typed otherwise.
 */
export function WidgetStep({ data }: { data: HomeData }) {
  if (!data.steps.connect) {
    return (
      <Text as="p" tone="subdued">
        Connect your Oscar account first.
      </Text>
    );
  }
  if (data.steps.widget || !data.choices) {
    return (
      <Text as="p">
        Your store shows the widget <strong>{data.connection?.widgetId}</strong>. To show another one, choose it in Settings.
      </Text>
    );
  }
  return <WidgetForm choices={data.choices} />;
}

function WidgetForm({ choices }: { choices: NonNullable<HomeData["choices"]> }) {
  const fetcher = useFetcher<HomeAction>();
  useResultToast(fetcher.data);
  const errors = fetcher.data?.ok === false ? fetcher.data.errors : {};
  const widgets = choices.widgets.listed ? choices.widgets.choices : [];
  const bots = choices.bots.listed ? choices.bots.choices : [];
  // The bot that answers in a widget is the natural one to teach the store.
  const botOf = (widgetId: string) => {
    const botId = widgets.find((w) => w.id === widgetId)?.botId;
    return botId && bots.some((b) => b.id === botId) ? botId : "";
  };
  const [widgetId, setWidgetId] = useState(widgets[0]?.id ?? "");
  const [botId, setBotId] = useState(botOf(widgets[0]?.id ?? ""));
  const chooseWidget = (id: string) => {
    setWidgetId(id);
    if (choices.bots.listed) setBotId(botOf(id));
  };
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="choose-widget" />
      <FormLayout>
        <Text as="p">
          Choose the Oscar chat widget your store should show. Oscar Chat hands it to your theme itself: there is nothing to paste into the
          theme.
        </Text>
        <OscarIdPicker
          label="Chat widget"
          typedLabel="Widget id"
          name="widgetId"
          list={choices.widgets}
          value={widgetId}
          onChange={chooseWidget}
          error={errors.widgetId}
        />
        <OscarIdPicker
          label="Bot that learns your store"
          typedLabel="Bot id (optional)"
          name="botId"
          list={choices.bots}
          value={botId}
          onChange={setBotId}
          error={errors.botId}
          noneLabel="Choose later on the Knowledge page"
          helpText="It learns your products, pages and policies as soon as you save."
        />
        <InlineStack>
          <Button submit variant="primary" loading={fetcher.state !== "idle"}>
            Show this widget
          </Button>
        </InlineStack>
      </FormLayout>
    </fetcher.Form>
  );
}
