import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { useResultToast } from "../components/use-result-toast";
import prisma from "../db.server";
import { formFailed, formSucceeded } from "../http/form-result.server";
import { findShop } from "../models/shop.server";
import { QueueUnavailableError } from "../queues/producer.server";
import { FailedJobNotFoundError } from "../services/failed-jobs.server";
import { failedJobs, unexpectedOscarEvents } from "../services/settings-context.server";
import { UNEXPECTED_EVENTS_KEPT, UNEXPECTED_EVENTS_TTL_SECONDS } from "../services/unexpected-oscar-events.server";

const KEEPING = { count: UNEXPECTED_EVENTS_KEPT, days: Math.round(UNEXPECTED_EVENTS_TTL_SECONDS / 86_400) };
import { formatShopTime } from "../services/shop-time";
import { authenticate } from "../shopify.server";
import { pageTitle } from "../components/page-title";

// The dead-letter list for this shop only: what failed, why and when, never the event's content.
export const meta = pageTitle("Failed jobs");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await findShop(prisma, session.shop);
  const timeZone = shop?.ianaTimezone ?? null;
  try {
    const [jobs, unexpected] = await Promise.all([failedJobs.list(session.shop), unexpectedOscarEvents.list(session.shop)]);
    return {
      reachable: true,
      jobs: jobs.map((job) => ({ ...job, createdAt: formatShopTime(job.createdAt, timeZone), failedAt: formatShopTime(job.failedAt, timeZone) })),
      unexpected: unexpected.map((event) => ({ ...event, receivedAt: formatShopTime(event.receivedAt, timeZone) })),
      keeping: KEEPING,
    };
  } catch {
    return { reachable: false, jobs: [], unexpected: [], keeping: KEEPING };
  }
};

const JobActionSchema = z.object({
  intent: z.enum(["retry", "discard"]),
  ref: z.string().min(3).max(200),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = JobActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return formFailed("job", {}, "That request is not one this page sends.");
  const { intent, ref } = parsed.data;
  try {
    if (intent === "retry") await failedJobs.retry(session.shop, ref);
    else await failedJobs.discard(session.shop, ref);
  } catch (error) {
    if (error instanceof FailedJobNotFoundError) return formFailed(intent, {}, error.message, 404);
    if (error instanceof QueueUnavailableError) return formFailed(intent, {}, "The job queue (Redis) did not answer. Nothing was changed; try again in a moment.", 503);
    throw error;
  }
  return formSucceeded(intent, intent === "retry" ? "Job queued again" : "Job discarded");
};

export default function FailedJobs() {
  const { reachable, jobs, unexpected, keeping } = useLoaderData<typeof loader>();
  return (
    <Page title="Failed jobs" subtitle="Work that still failed after every retry. Fix the cause, then retry it, or discard it.">
      <Layout>
        <Layout.Section>
          {!reachable ? (
            <Banner tone="critical" title="The job queue does not answer">
              <p>Oscar Chat cannot reach its job queue (Redis) right now, so failed jobs cannot be listed. Try again in a moment.</p>
            </Banner>
          ) : jobs.length === 0 ? (
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  No failed jobs
                </Text>
                <Text as="p" tone="subdued">
                  Every event from Oscar and every store update was handled. Anything that keeps failing after all its retries shows up here.
                </Text>
              </BlockStack>
            </Card>
          ) : (
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: "failed job", plural: "failed jobs" }}
                itemCount={jobs.length}
                selectable={false}
                headings={[{ title: "What" }, { title: "Why it failed" }, { title: "Attempts", alignment: "end" }, { title: "Failed" }, { title: "" }]}
              >
                {jobs.map((job, index) => (
                  <IndexTable.Row id={job.ref} key={job.ref} position={index}>
                    <IndexTable.Cell>
                      <BlockStack gap="050">
                        <Text as="span" fontWeight="semibold">
                          {job.what}
                        </Text>
                        {job.eventType ? (
                          <Text as="span" tone="subdued" variant="bodySm">
                            {job.eventType}
                          </Text>
                        ) : null}
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <div style={{ whiteSpace: "normal", maxWidth: "28rem" }}>
                        <Text as="span">{job.reason}</Text>
                      </div>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {job.attempts}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <BlockStack gap="050">
                        <Text as="span">{job.failedAt ?? "—"}</Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          queued {job.createdAt}
                        </Text>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <JobActions jobRef={job.ref} />
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </Card>
          )}
        </Layout.Section>
        {unexpected.length > 0 ? (
          <Layout.Section>
            <UnexpectedEvents events={unexpected} keeping={keeping} />
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}

/** Events Oscar sent in a shape this app cannot read: acknowledged, kept a while, shown so nobody is left guessing. */
function UnexpectedEvents({ events, keeping }: { events: { type: string; receivedAt: string | null; problems: string }[]; keeping: typeof KEEPING }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {events.length === 1 ? "1 event from Oscar could not be read" : `${events.length} events from Oscar could not be read`}
        </Text>
        <Text as="p" tone="subdued">
          Oscar sent these in a shape this version of Oscar Chat for Shopify does not expect, so they were not acted on. The newest{" "}
          {keeping.count} are kept, encrypted, for {keeping.days} days so support can look at them.
        </Text>
        <IndexTable
          resourceName={{ singular: "event", plural: "events" }}
          itemCount={events.length}
          selectable={false}
          headings={[{ title: "Event" }, { title: "What did not match" }, { title: "Received" }]}
        >
          {events.map((event, index) => (
            <IndexTable.Row id={String(index)} key={index} position={index}>
              <IndexTable.Cell>
                <Text as="span">{event.type}</Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <div style={{ whiteSpace: "normal", maxWidth: "28rem" }}>
                  <Text as="span">{event.problems}</Text>
                </div>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span">{event.receivedAt ?? "—"}</Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </BlockStack>
    </Card>
  );
}

function JobActions({ jobRef }: { jobRef: string }) {
  const fetcher = useFetcher<typeof action>();
  useResultToast(fetcher.data);
  const busy = fetcher.state !== "idle";
  const submit = (intent: "retry" | "discard") => fetcher.submit({ intent, ref: jobRef }, { method: "post" });
  return (
    <InlineStack gap="200" wrap={false}>
      <Button size="slim" onClick={() => submit("retry")} loading={busy && fetcher.formData?.get("intent") === "retry"} disabled={busy}>
        Retry
      </Button>
      <Button size="slim" tone="critical" variant="plain" onClick={() => submit("discard")} disabled={busy}>
        Discard
      </Button>
    </InlineStack>
  );
}
