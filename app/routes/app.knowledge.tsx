import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Layout, Page, ProgressBar, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useResultToast } from "../components/use-result-toast";
import prisma from "../db.server";
import { formFailed, formSucceeded } from "../http/form-result.server";
import { findShop } from "../models/shop.server";
import { QueueUnavailableError } from "../queues/producer.server";
import { loadKnowledgeView, parseKnowledgeForm, requestKnowledgeSync, saveKnowledgeChoices, type KnowledgeView } from "../services/knowledge-admin.server";
import { knowledgeDeps } from "../services/knowledge-context.server";
import { formatShopTime } from "../services/shop-time";
import { authenticate } from "../shopify.server";
import { pageTitle } from "../components/page-title";

// Knowledge sync: which bot learns from the store, what it learns, and how the last sync went.
export const meta = pageTitle("Knowledge");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [shop, view] = await Promise.all([findShop(prisma, session.shop), loadKnowledgeView(prisma, session.shop)]);
  return { ...view, finishedAt: formatShopTime(view.sync.finishedAt ? new Date(view.sync.finishedAt) : null, shop?.ianaTimezone) };
};

const QUEUE_DOWN = "The job queue (Redis) did not answer, so the sync could not be started; try again in a moment.";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "sync") {
      const view = await loadKnowledgeView(prisma, session.shop);
      if (!view.botId) return formFailed(intent, { botId: "Enter the bot id first." }, "Choose which Oscar bot should learn from the store first.");
      await requestKnowledgeSync(knowledgeDeps, session.shop);
      return formSucceeded(intent, "Sync started");
    }
    if (intent === "save") {
      const parsed = parseKnowledgeForm(form);
      if (!parsed.success) return formFailed(intent, parsed.errors, "Some choices need fixing: see the messages in red.");
      const { syncStarted } = await saveKnowledgeChoices(knowledgeDeps, session.shop, parsed.data);
      return formSucceeded(intent, syncStarted ? "Saved; the bot's knowledge is being updated" : "Saved");
    }
  } catch (error) {
    if (error instanceof QueueUnavailableError || (error instanceof Error && /not reachable|Connection is closed/i.test(error.message))) {
      return formFailed(intent, {}, QUEUE_DOWN, 503);
    }
    throw error;
  }
  return formFailed(intent, {}, "That request is not one this page sends.");
};

function progressOf(sync: KnowledgeView["sync"]): { label: string; percent: number } {
  if (sync.status === "queued") return { label: "Waiting to start (changes are gathered for a few seconds, then sent together).", percent: 0 };
  if (sync.phase === "sending") {
    const percent = sync.sourcesToSend ? Math.round((sync.sourcesSent / sync.sourcesToSend) * 100) : 0;
    return { label: `Sending to Oscar: ${sync.sourcesSent} of ${sync.sourcesToSend} sources.`, percent };
  }
  return { label: `Reading the store: ${sync.itemsRead.toLocaleString("en-US")} products, pages and policies read.`, percent: 5 };
}

function lastSyncSentence(sync: KnowledgeView["sync"], finishedAt: string | null): string | null {
  if (!finishedAt || sync.lastOutcome !== "succeeded") return null;
  if (!sync.lastSyncCalled) return `Last sync ${finishedAt}: nothing had changed, so nothing was sent (${sync.lastUnchanged} sources up to date).`;
  return `Last sync ${finishedAt}: ${sync.lastCreated} sources sent, ${sync.lastRemoved} replaced or removed, ${sync.lastUnchanged} unchanged; the bot was asked to retrain.`;
}

export default function Knowledge() {
  const view = useLoaderData<typeof loader>();
  const { sync, settings, sources } = view;
  const fetcher = useFetcher<typeof action>();
  const revalidator = useRevalidator();
  useResultToast(fetcher.data);
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const busy = sync.status !== "idle";

  // While a sync is queued or running, refresh the counts every two seconds.
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2_000);
    return () => clearInterval(timer);
  }, [busy, revalidator]);

  const [botId, setBotId] = useState(view.botId ?? "");
  const [include, setInclude] = useState({
    includeProducts: settings.includeProducts,
    includeCollections: settings.includeCollections,
    includePages: settings.includePages,
    includePolicies: settings.includePolicies,
  });
  const [excludedTags, setExcludedTags] = useState(settings.excludedTags.join(", "));
  const progress = progressOf(sync);
  const last = lastSyncSentence(sync, view.finishedAt);

  const save = () => {
    const data: Record<string, string> = { intent: "save", botId, excludedTags };
    for (const [name, on] of Object.entries(include)) if (on) data[name] = "on";
    fetcher.submit(data, { method: "post" });
  };

  return (
    <Page title="Knowledge" subtitle="Your bot answers from your own products, collections, pages and policies, kept in step as you edit them.">
      <Layout>
        {!view.connected && (
          <Layout.Section>
            <Banner tone="warning" title="Connect Oscar first">
              <p>Connect your Oscar account on the Home page; then choose the bot here.</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Sync
                </Text>
                <Button
                  onClick={() => fetcher.submit({ intent: "sync" }, { method: "post" })}
                  loading={fetcher.state !== "idle" && fetcher.formData?.get("intent") === "sync"}
                  disabled={!view.botId || busy}
                >
                  Sync now
                </Button>
              </InlineStack>
              {busy && (
                <BlockStack gap="200">
                  <ProgressBar progress={progress.percent} size="small" />
                  <Text as="p">{progress.label}</Text>
                </BlockStack>
              )}
              {!busy && sync.lastOutcome === "failed" && sync.lastError && (
                <Banner tone="critical" title={`The last sync${view.finishedAt ? ` (${view.finishedAt})` : ""} did not finish`}>
                  <p>{sync.lastError}</p>
                </Banner>
              )}
              {!busy && last && <Text as="p">{last}</Text>}
              {!busy && !sync.lastOutcome && <Text as="p">No sync yet.</Text>}
              <Text as="p" tone="subdued">
                At Oscar now: {sources.count} sources holding {sources.items.toLocaleString("en-US")} items ({Math.round(sources.bytes / 1024).toLocaleString("en-US")} KB).
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <FormLayout>
              <Text as="h2" variant="headingMd">
                What the bot learns
              </Text>
              <TextField
                label="Oscar bot id"
                name="botId"
                value={botId}
                onChange={setBotId}
                autoComplete="off"
                error={errors.botId}
                helpText="The bot that answers your shoppers, from the bot's settings in Oscar. Saving starts a full sync."
              />
              <Checkbox label="Products (title, description, variants with price and stock, type, brand, tags, link)" checked={include.includeProducts} onChange={(on) => setInclude({ ...include, includeProducts: on })} />
              <Checkbox label="Collections" checked={include.includeCollections} onChange={(on) => setInclude({ ...include, includeCollections: on })} />
              <Checkbox label="Online store pages (published ones)" checked={include.includePages} onChange={(on) => setInclude({ ...include, includePages: on })} />
              <Checkbox label="Policies (refund, shipping, privacy, terms)" checked={include.includePolicies} onChange={(on) => setInclude({ ...include, includePolicies: on })} />
              <TextField
                label="Leave out products tagged"
                name="excludedTags"
                value={excludedTags}
                onChange={setExcludedTags}
                autoComplete="off"
                error={errors.excludedTags}
                helpText="Tags separated by commas, e.g. wholesale, hidden."
              />
              <Button variant="primary" onClick={save} loading={fetcher.state !== "idle" && fetcher.formData?.get("intent") === "save"}>
                Save
              </Button>
            </FormLayout>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
