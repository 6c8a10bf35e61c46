import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, FormLayout, InlineStack, ProgressBar, Select, Spinner, Text, TextField } from "@shopify/polaris";
import { useEffect, useState, type ReactNode } from "react";
import { useResultToast } from "../../components/use-result-toast";
import { ONBOARDING_STEPS, type OnboardingStepId } from "../../services/onboarding-steps";
import { ThemeEmbedStatus } from "./theme-embed-status";
import { WidgetStep } from "./widget-step";
import type { HomeAction, HomeData } from "./types";

const TITLES: Record<OnboardingStepId, string> = {
  connect: "Connect your Oscar account",
  widget: "Choose the chat widget",
  theme: "Turn on the chat in your theme",
  webhooks: "Receive Oscar's conversation events",
  firstConversation: "Get your first conversation",
};

/** The checklist from an empty shop to a working chat; each step reflects what is stored, so it survives reloads. */
export function SetupGuide({ data }: { data: HomeData }) {
  const nextStep = ONBOARDING_STEPS.find((step) => !data.steps[step]) ?? null;
  const [open, setOpen] = useState<OnboardingStepId | null>(nextStep);
  // When a step gets done, move on to the next one.
  useEffect(() => setOpen(nextStep), [nextStep]);
  const done = ONBOARDING_STEPS.filter((step) => data.steps[step]).length;

  const content: Record<OnboardingStepId, ReactNode> = {
    connect: <ConnectStep data={data} />,
    widget: <WidgetStep data={data} />,
    theme: data.steps.widget ? (
      <BlockStack gap="300">
        <Text as="p">
          The theme editor opens on App embeds with Oscar Chat already switched on. Click Save there, then come back to this
          tab: this step checks your live theme again by itself.
        </Text>
        <Text as="p" tone="subdued">
          Leave “Load the chat immediately” off in the embed's settings: it costs about 13 points of your store's speed score,
          and Shopify's App Store limit is 10. Off, the chat loads once the page is idle, or at the shopper's first click.
        </Text>
        <ThemeEmbedStatus embed={data.embed} themeEditorUrl={data.themeEditorUrl} checkOnReturn={!data.steps.theme} />
      </BlockStack>
    ) : (
      <Text as="p" tone="subdued">
        Choose the chat widget first.
      </Text>
    ),
    webhooks: data.steps.webhooks ? (
      <Text as="p">
        Oscar sends this store's conversation events to Oscar Chat at an address only your store has, signed with a secret only
        your store has. Registered {data.connection?.webhookRegisteredAt}.
      </Text>
    ) : (
      <Text as="p" tone="subdued">
        This happens by itself when you connect your Oscar account.
      </Text>
    ),
    firstConversation: data.steps.firstConversation ? (
      <Text as="p">First conversation received {data.connection?.firstEventAt}.</Text>
    ) : data.steps.webhooks ? (
      <BlockStack gap="200">
        <Text as="p">
          Open your store, start a chat and send a message. This step completes by itself as soon as Oscar tells Oscar Chat
          about it.
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <Spinner size="small" accessibilityLabel="Waiting for Oscar" />
          <Text as="span" tone="subdued">
            Waiting for the first conversation…
          </Text>
        </InlineStack>
      </BlockStack>
    ) : (
      <Text as="p" tone="subdued">
        Once Oscar is connected, your first conversation shows up here.
      </Text>
    ),
  };

  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Set up Oscar Chat
          </Text>
          <Text as="p" tone="subdued">
            Answer your shoppers with Oscar right on your store, with their orders at your agents' fingertips.
          </Text>
          <InlineStack gap="300" blockAlign="center" wrap={false}>
            <Text as="span" variant="bodySm">
              {done} of {ONBOARDING_STEPS.length} steps done
            </Text>
            <div style={{ flex: 1 }}>
              <ProgressBar progress={(done / ONBOARDING_STEPS.length) * 100} size="small" tone="primary" />
            </div>
          </InlineStack>
        </BlockStack>
        <Divider />
        <BlockStack gap="100">
          {ONBOARDING_STEPS.map((step) => (
            <SetupStep key={step} id={step} done={data.steps[step]} open={open === step} onToggle={() => setOpen(open === step ? null : step)}>
              {content[step]}
            </SetupStep>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

function SetupStep({ id, done, open, onToggle, children }: { id: OnboardingStepId; done: boolean; open: boolean; onToggle: () => void; children: ReactNode }) {
  return (
    <Box padding="300" borderRadius="200" background={open ? "bg-surface-secondary" : undefined}>
      <BlockStack gap="300">
        <InlineStack gap="300" blockAlign="center" wrap={false}>
          <Badge tone={done ? "success" : undefined} progress={done ? "complete" : "incomplete"}>
            {done ? "Done" : "To do"}
          </Badge>
          <Button variant="monochromePlain" onClick={onToggle} ariaExpanded={open} ariaControls={`setup-step-${id}`}>
            {TITLES[id]}
          </Button>
        </InlineStack>
        {open ? <div id={`setup-step-${id}`}>{children}</div> : null}
      </BlockStack>
    </Box>
  );
}

function ConnectStep({ data }: { data: HomeData }) {
  if (data.connection && !data.steps.connect) return <WorkspaceChoice data={data} />;
  if (data.connection) {
    return (
      <Text as="p">
        Connected to the Oscar workspace <strong>{data.connection.workspaceName}</strong> with the key ending in{" "}
        <strong>{data.connection.keyLast4}</strong>. Replace or disconnect the key in Settings.
      </Text>
    );
  }
  return <ConnectForm />;
}

/** The API key; the widget and the bot are chosen next, from the account's own lists when Oscar offers them. */
function ConnectForm() {
  const fetcher = useFetcher<HomeAction>();
  useResultToast(fetcher.data);
  const [apiKey, setApiKey] = useState("");
  const errors = fetcher.data?.ok === false ? fetcher.data.errors : {};
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="connect" />
      <FormLayout>
        <Text as="p">
          Paste an API key from your Oscar account. Oscar Chat checks it with Oscar, registers for your conversation events, and stores the key
          encrypted: it is never shown again.
        </Text>
        <TextField label="Oscar API key" name="apiKey" type="password" value={apiKey} onChange={setApiKey} autoComplete="off" error={errors.apiKey} />
        <InlineStack>
          <Button submit variant="primary" loading={fetcher.state !== "idle"}>
            Connect
          </Button>
        </InlineStack>
      </FormLayout>
    </fetcher.Form>
  );
}

function WorkspaceChoice({ data }: { data: HomeData }) {
  const fetcher = useFetcher<HomeAction>();
  useResultToast(fetcher.data);
  const options = (data.workspaces ?? []).map((w) => ({ label: w.name, value: w.id }));
  const [workspaceId, setWorkspaceId] = useState(options[0]?.value ?? "");
  const errors = fetcher.data?.ok === false ? fetcher.data.errors : {};
  if (data.workspacesProblem) {
    return (
      <Banner tone="critical" title="Oscar Chat could not list your workspaces">
        <p>{data.workspacesProblem}</p>
      </Banner>
    );
  }
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="choose-workspace" />
      <FormLayout>
        <Text as="p">Your key works and sees several workspaces. Choose the one this store's chat belongs to.</Text>
        <Select label="Oscar workspace" name="workspaceId" options={options} value={workspaceId} onChange={setWorkspaceId} error={errors.workspaceId} />
        <InlineStack>
          <Button submit variant="primary" loading={fetcher.state !== "idle"}>
            Use this workspace
          </Button>
        </InlineStack>
      </FormLayout>
    </fetcher.Form>
  );
}
