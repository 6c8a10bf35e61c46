import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, Link, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { ThemeEmbedStatus } from "./theme-embed-status";
import type { HomeData } from "./types";

/** After setup: every part of the integration at a glance, each with where to act on it. */
export function StatusOverview({ data }: { data: HomeData }) {
  const { connection, queue } = data;
  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <StatusCard title="Oscar" badge={<Badge tone="success">Connected</Badge>} action={<Button url="/app/settings">Manage</Button>}>
          <Fact label="Workspace" value={connection?.workspaceName} />
          <Fact label="API key" value={connection ? `ending in ${connection.keyLast4}` : null} />
          <Fact label="Widget" value={connection?.widgetId} />
        </StatusCard>
        <StatusCard title="Chat on your storefront" badge={data.embed?.active ? <Badge tone="success">On</Badge> : <Badge tone="critical">Off</Badge>}>
          <ThemeEmbedStatus embed={data.embed} themeEditorUrl={data.themeEditorUrl} checkOnReturn={!data.embed?.active} />
        </StatusCard>
        <StatusCard
          title="Events from Oscar"
          badge={connection?.receivingEvents ? <Badge tone="success">Receiving</Badge> : <Badge tone="attention">Quiet for 7 days</Badge>}
        >
          <Fact label="Webhook registered" value={connection?.webhookRegisteredAt} />
          <Fact label="Last event" value={connection?.lastEventAt} />
        </StatusCard>
        <StatusCard
          title="Background work"
          badge={
            !queue.reachable ? (
              <Badge tone="critical">Queue unreachable</Badge>
            ) : queue.failedJobs > 0 ? (
              <Badge tone="warning">{`${queue.failedJobs} failed`}</Badge>
            ) : (
              <Badge tone="success">Running</Badge>
            )
          }
          action={<Button url="/app/failed-jobs">Failed jobs</Button>}
        >
          <Text as="p" tone="subdued">
            {!queue.reachable
              ? "The job queue does not answer, so new events wait at Oscar until it is back."
              : queue.failedJobs > 0
                ? `${queue.failedJobs} ${queue.failedJobs === 1 ? "job" : "jobs"} failed after every retry. Retry or discard them.`
                : "No failed jobs: every event from Oscar was handled."}
          </Text>
        </StatusCard>
      </InlineGrid>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Latest conversations
          </Text>
          {data.recent.length === 0 ? (
            <Text as="p" tone="subdued">
              No conversations yet.
            </Text>
          ) : (
            data.recent.map((conversation) => (
              <InlineStack key={conversation.conversationId} align="space-between" blockAlign="center" gap="200">
                <BlockStack gap="100">
                  <Text as="span" variant="bodyMd">
                    {conversation.startedAt}
                  </Text>
                  <InlineStack gap="100">
                    {conversation.outcomes.length === 0 ? (
                      <Badge>Received</Badge>
                    ) : (
                      conversation.outcomes.map((outcome) => <Badge key={outcome}>{outcome}</Badge>)
                    )}
                  </InlineStack>
                </BlockStack>
                <Link url={conversation.url} target="_blank">
                  Open in Oscar
                </Link>
              </InlineStack>
            ))
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

function StatusCard({ title, badge, action, children }: { title: string; badge: ReactNode; action?: ReactNode; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {badge}
        </InlineStack>
        {children}
        {action ? <InlineStack>{action}</InlineStack> : null}
      </BlockStack>
    </Card>
  );
}

function Fact({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <InlineStack gap="200">
      <Text as="span" tone="subdued">
        {label}:
      </Text>
      <Text as="span">{value ?? "—"}</Text>
    </InlineStack>
  );
}
