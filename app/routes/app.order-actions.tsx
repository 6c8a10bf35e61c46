import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, IndexTable, InlineStack, Layout, List, Page, Pagination, Text } from "@shopify/polaris";
import { z } from "zod";
import { commandLabel, commandWord, STATUS_LABELS } from "../components/order-command-labels";
import { pageTitle } from "../components/page-title";
import prisma from "../db.server";
import { isOrderActionOfShop, listOrderActions, ORDER_ACTION_STATUSES, type OrderActionStatus } from "../models/order-commands.server";
import { findConnection } from "../models/oscar-connection.server";
import { findShop } from "../models/shop.server";
import { loadOscarChoices } from "../services/oscar-choices.server";
import { oscarChoicesDeps } from "../services/settings-context.server";
import { formatShopTime } from "../services/shop-time";
import { authenticate } from "../shopify.server";

// Every order command agents wrote in this shop, newest first: who, what, when, and what came of it.
export const meta = pageTitle("Order actions");

const PAGE_SIZE = 25;
const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** The cursors of the pages before this one, so "Previous" goes back one page at a time. */
const Trail = z.array(Cursor).max(200);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const after = Cursor.safeParse(params.get("after"));
  const trail = Trail.safeParse((params.get("trail") ?? "").split(",").filter(Boolean));
  // A cursor that is not one of this shop's rows starts from the newest, as if none was given.
  const cursor = after.success && (await isOrderActionOfShop(prisma, session.shop, after.data)) ? after.data : undefined;
  const [shop, rows] = await Promise.all([findShop(prisma, session.shop), listOrderActions(prisma, session.shop, { take: PAGE_SIZE + 1, cursor })]);
  const timeZone = shop?.ianaTimezone ?? null;
  const page = rows.slice(0, PAGE_SIZE);
  // Agents by name where Oscar lists them ("Ada (agent_1)"); otherwise by the id Oscar sent.
  const agents = page.length && (await findConnection(prisma, session.shop)) ? (await loadOscarChoices(oscarChoicesDeps, session.shop, ["agents"])).agents : null;
  const agentName = (id: string | null) => (id && agents?.listed ? (agents.choices.find((c) => c.id === id)?.label ?? id) : id);
  const earlier = cursor && trail.success ? trail.data : [];
  return {
    actions: page.map((row) => ({
      id: row.id,
      agentId: row.agentId,
      agent: agentName(row.agentId),
      confirmedBy: row.confirmedBy,
      confirmedByName: agentName(row.confirmedBy),
      command: row.command,
      orderName: row.orderName,
      status: (ORDER_ACTION_STATUSES as readonly string[]).includes(row.status) ? (row.status as OrderActionStatus) : null,
      outcome: row.outcome,
      createdAt: formatShopTime(row.createdAt, timeZone),
      completedAt: formatShopTime(row.completedAt ?? row.confirmedAt, timeZone),
      expiresAt: formatShopTime(row.expiresAt, timeZone),
    })),
    // Links carry only row ids: the next page starts after this page's last row.
    next: rows.length > PAGE_SIZE ? { after: page[page.length - 1].id, trail: [...earlier, ...(cursor ? [cursor] : [])].join(",") } : null,
    previous: cursor ? { after: earlier.at(-1) ?? null, trail: earlier.slice(0, -1).join(",") } : null,
  };
};

function pageUrl(link: { after: string | null; trail: string }) {
  const params = new URLSearchParams();
  if (link.after) params.set("after", link.after);
  if (link.after && link.trail) params.set("trail", link.trail);
  const query = params.toString();
  return `/app/order-actions${query ? `?${query}` : ""}`;
}

export default function OrderActions() {
  const { actions, next, previous } = useLoaderData<typeof loader>();
  const first = !previous;
  return (
    <Page title="Order actions" subtitle="Every order command your agents wrote in Oscar, newest first: who, what, when and what Shopify answered.">
      <Layout>
        <Layout.Section>
          {actions.length === 0 && first ? (
            <NoActionsYet />
          ) : (
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: "order action", plural: "order actions" }}
                itemCount={actions.length}
                selectable={false}
                headings={[{ title: "When" }, { title: "Agent" }, { title: "Command" }, { title: "Status" }, { title: "Result" }]}
              >
                {actions.map((action, index) => {
                  const status = action.status ? STATUS_LABELS[action.status] : { label: "Unknown", tone: undefined };
                  return (
                    <IndexTable.Row id={action.id} key={action.id} position={index}>
                      <IndexTable.Cell>
                        <Text as="span">{action.createdAt}</Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <BlockStack gap="050">
                          <Text as="span">{action.agent}</Text>
                          {action.confirmedBy && action.confirmedBy !== action.agentId ? (
                            <Text as="span" tone="subdued" variant="bodySm">
                              confirmed by {action.confirmedByName}
                            </Text>
                          ) : null}
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <BlockStack gap="050">
                          <Text as="span" fontWeight="semibold">
                            {commandWord(action.command)} {action.orderName ?? ""}
                          </Text>
                          <Text as="span" tone="subdued" variant="bodySm">
                            {commandLabel(action.command)}
                          </Text>
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Badge tone={status.tone}>{status.label}</Badge>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <div style={{ whiteSpace: "normal", maxWidth: "28rem" }}>
                          <BlockStack gap="050">
                            <Text as="span">{action.outcome ?? (action.status === "previewed" ? `Waiting for the agent's /confirm until ${action.expiresAt ?? "it expires"}` : "—")}</Text>
                            {action.completedAt && action.status !== "previewed" ? (
                              <Text as="span" tone="subdued" variant="bodySm">
                                {action.completedAt}
                              </Text>
                            ) : null}
                          </BlockStack>
                        </div>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  );
                })}
              </IndexTable>
              <div style={{ padding: "12px", display: "flex", justifyContent: "center" }}>
                <Pagination
                  hasPrevious={Boolean(previous)}
                  previousURL={previous ? pageUrl(previous) : undefined}
                  hasNext={Boolean(next)}
                  nextURL={next ? pageUrl(next) : undefined}
                  accessibilityLabels={{ previous: "Newer order actions", next: "Older order actions" }}
                />
              </div>
            </Card>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

/** The empty state says how agents use commands, so a merchant knows what would appear here. */
function NoActionsYet() {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          No order actions yet
        </Text>
        <Text as="p">When your agents act on orders from Oscar's inbox, each command shows up here with its result.</Text>
        <List type="number">
          <List.Item>In Settings, turn on the order actions you allow, choose the agents who may use them and set your limits.</List.Item>
          <List.Item>
            In a conversation, the agent writes a private note such as <code>/refund #1025 24.90</code> or <code>/cancel #1025</code>.
          </List.Item>
          <List.Item>Oscar Chat answers with a private preview of exactly what will happen, and a confirmation code.</List.Item>
          <List.Item>
            The agent confirms with <code>/confirm</code> and the code within a few minutes; only then does Oscar Chat act in Shopify and report the result.
          </List.Item>
        </List>
        <InlineStack>
          <Button url="/app/settings">Turn on order actions</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
