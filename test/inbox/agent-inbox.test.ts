import axe from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { startSlackReceiver, type SlackReceiver } from "../../sim/slack/receiver";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { launchBrowser, recordConsoleErrors } from "../harness/browser";
import { signedInAs } from "../harness/signed-in";
import { waitForQueuesIdle } from "../harness/stored-data";
import { connectShopToOscar } from "../harness/support-scenario";
import { waitFor } from "../harness/wait";

const OSCAR_KEY = "osk_agent_inbox_merchant_key_5120";
const SIXTY_DAYS_MS = 60 * 24 * 60 * 60 * 1000;
// WCAG 2.0, 2.1 and 2.2 at levels A and AA.
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

declare global {
  interface Window {
    axe: typeof axe;
  }
}

/**
 * The agent inbox the Oscar simulator serves, in Chromium, against the real app and worker: what the
 * app did for a conversation is on the page, and each agent action reaches the app as Oscar's signed
 * webhook, which the app acts on.
 */
describe("the agent inbox, with the real app behind the simulator", () => {
  let slack: SlackReceiver;
  let oscar: OscarSimulator;
  let stack: AppStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let workspaceId: string;

  beforeAll(async () => {
    slack = await startSlackReceiver();
    // Realistic delivery (duplicates, conversation.created out of order): the inbox must not change that.
    oscar = await startOscarSimulator({ apiKeys: [OSCAR_KEY], slackMessages: () => slack.deliveries });
    stack = await startAppStack({ label: "agent-inbox", extraEnv: { OSCAR_API_BASE: oscar.baseUrl } });
    await installShop(stack);
    await connectShopToOscar(stack, oscar, slack, TEST_SHOP, OSCAR_KEY);
    await stack.startWorker();
    browser = await launchBrowser();
    workspaceId = oscar.accountFor(OSCAR_KEY).workspaceId;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await stack?.close();
    await oscar?.close();
    await slack?.close();
  });

  const record = (conversationId: string) => stack.db.conversationRecord.findUnique({ where: { shop_conversationId: { shop: TEST_SHOP, conversationId } } });
  const agentNamed = (name: string) => oscar.state.account(oscar.accountFor(OSCAR_KEY).keyId)!.agents.find((a) => a.name === name)!;

  async function agentPage(viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: Array<{ text: string; url: string }> }> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    return { page, errors: recordConsoleErrors(page) };
  }

  async function axeViolations(page: Page) {
    await page.evaluate(axe.source);
    const results = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), WCAG_TAGS);
    // axe really looked at the page (its rules passed somewhere), so an empty list means something.
    expect(results.passes.length).toBeGreaterThan(10);
    return results.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  }

  /** A signed-in shopper starts a chat; resolves once the app has enriched it. */
  async function shopperChats(customerIndex: number, message: string) {
    const customer = stack.fakeAdmin.store(TEST_SHOP).customers[customerIndex];
    const { conversationId } = oscar.scenario.shopperOpensConversation({ workspaceId, email: customer.email, name: customer.displayName, message, customAttributes: signedInAs(customer) });
    await waitFor("the app's enrichment", async () => (await record(conversationId))?.enrichedAt, 30_000);
    return { customer, conversationId };
  }

  it("shows what the app did for an urgent VIP conversation: the note's orders, labels, assignee, attributes and Slack alert", async () => {
    const { customer, conversationId } = await shopperChats(0, "I was charged twice, I want a refund");
    await waitFor("the urgent alert recorded", async () => (await record(conversationId))?.urgentAt, 30_000);
    await waitFor("the urgent alert in Slack", () => slack.to("urgent").length > 0);
    // Everything the app does for this chat is done (its writes announce events it then handles too).
    await oscar.webhooksIdle();
    await waitForQueuesIdle(stack);
    await oscar.webhooksIdle();
    await waitForQueuesIdle(stack);
    // What Shopify shows the app: this customer's orders of the last 60 days, newest first, at most 5.
    const since = Date.now() - SIXTY_DAYS_MS;
    const expectedOrders = stack.fakeAdmin
      .store(TEST_SHOP)
      .orders.filter((o) => o.customerId === customer.id && Date.parse(o.processedAt) >= since)
      .sort((a, b) => b.processedAt.localeCompare(a.processedAt))
      .slice(0, 5)
      .map((o) => o.name);
    expect(expectedOrders.length).toBeGreaterThan(0);

    const { page, errors } = await agentPage();
    await page.goto(`${oscar.url}/inbox`);
    expect(await page.title()).toContain("Conversations");
    const row = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: customer.displayName }) });
    await expect.poll(() => row.textContent()).toContain("urgent");
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole("link", { name: customer.displayName }).click();
    await page.waitForURL(`**/inbox/conversations/${conversationId}`);
    const note = page.locator('article[data-author="app"][data-private="true"]');
    await expect.poll(() => note.count()).toBe(1);
    for (const name of expectedOrders) {
      const link = note.getByRole("table").getByRole("link", { name, exact: true });
      expect(await link.getAttribute("href")).toMatch(/^https:\/\/admin\.shopify\.com\/store\/[^/]+\/orders\/\d+$/);
    }
    expect(await note.getByRole("link", { name: customer.displayName }).getAttribute("href")).toMatch(/^https:\/\/admin\.shopify\.com\//);
    // No markdown syntax is left showing: it was rendered, not printed.
    expect(await note.textContent()).not.toMatch(/\*\*|\| ---/);

    const labels = await page.locator('[data-testid="conversation-labels"] > *').allTextContents();
    expect(labels.sort()).toEqual(oscar.inspect.labels(conversationId).sort());
    expect(labels).toContain("urgent");
    const lastAssignee = oscar.inspect.assignments(conversationId).at(-1)!.assigneeId;
    expect(await page.getByTestId("conversation-assignee").textContent()).toBe(oscar.state.agentOf(oscar.accountFor(OSCAR_KEY).keyId, lastAssignee)!.name);
    expect(await page.getByTestId("conversation-status").textContent()).toBe("Open");
    const attributes = page.getByTestId("contact-attributes");
    expect(await attributes.evaluate((e) => e.tagName)).toBe("DL");
    const attribute = (name: string) => attributes.locator("div", { has: page.locator("dt", { hasText: new RegExp(`^${name}$`) }) }).locator("dd");
    expect(await attribute("shopify_customer_id").textContent()).toBe(customer.id.split("/").pop());
    expect(await attribute("shopify_tags").textContent()).toBe(customer.tags.join(", "));
    const alert = page.getByTestId("slack-message").filter({ hasText: "Urgent conversation" });
    expect(await alert.count()).toBe(slack.to("urgent").filter((d) => JSON.stringify(d.body).includes(conversationId)).length);
    expect(await alert.first().textContent()).toContain(customer.displayName);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${oscar.url}/inbox/slack`);
    expect(await page.getByTestId("slack-message").count()).toBe(slack.deliveries.length);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it("sends each agent action to the app as Oscar's signed webhook, and the app acts on it", async () => {
    const { customer, conversationId } = await shopperChats(1, "Do you ship to Norway?");
    await oscar.webhooksIdle();
    const { page, errors } = await agentPage();
    await page.goto(`${oscar.url}/inbox/conversations/${conversationId}`);
    expect(await page.title()).toContain(customer.displayName);
    const acceptedMessageEvents = () => oscar.inspect.webhookDeliveries().filter((d) => d.type === "message.created" && d.status !== undefined && d.status < 300).length;

    // Live: a shopper's new message appears while an agent is typing, and what they typed stays.
    const reply = page.getByRole("textbox", { name: "Reply" });
    await reply.fill("Yes, we ship to Norway");
    oscar.scenario.shopperWrites(conversationId, "And how long does it take?");
    await page.locator('article[data-author="shopper"]', { hasText: "And how long does it take?" }).waitFor();
    expect(await reply.inputValue()).toBe("Yes, we ship to Norway");
    await oscar.webhooksIdle();

    // Send reply, as Grace: the shopper-visible message.created reaches the app, signed (a bad signature gets 401).
    const acceptedBeforeReply = acceptedMessageEvents();
    await page.getByRole("combobox", { name: "Acting as" }).selectOption({ label: "Grace" });
    await reply.fill("Yes, we ship to Norway: 3 to 5 days.");
    await page.getByRole("button", { name: "Send reply" }).click();
    const sent = page.locator('article[data-author="agent"]', { hasText: "3 to 5 days" });
    await sent.waitFor();
    expect(await sent.getAttribute("data-private")).toBeNull();
    expect(await sent.textContent()).toContain("Grace");
    await waitFor("the reply's message.created accepted by the app", () => acceptedMessageEvents() > acceptedBeforeReply);
    expect(oscar.inspect.messages(conversationId).at(-1)).toMatchObject({ content: "Yes, we ship to Norway: 3 to 5 days.", message_type: "outgoing", private: false });

    // Add note: private, and still written by the acting agent.
    await page.getByRole("textbox", { name: "Private note" }).fill("Check the Norway rates before quoting <b>prices</b>");
    await page.getByRole("button", { name: "Add note" }).click();
    const agentNote = page.locator('article[data-author="agent"][data-private="true"]');
    await agentNote.waitFor();
    expect(await agentNote.textContent()).toContain("Check the Norway rates before quoting <b>prices</b>");
    expect(await agentNote.textContent()).toContain("Grace");

    // Assign to Linus: conversation.assigned, recorded by the app with Linus's id.
    const linus = agentNamed("Linus");
    await page.getByRole("combobox", { name: "Assignee" }).selectOption({ label: "Linus" });
    await page.getByRole("button", { name: "Assign" }).click();
    await expect.poll(() => page.getByTestId("conversation-assignee").textContent()).toBe("Linus");
    const assigned = await waitFor("the app records the assignment", async () => {
      const r = await record(conversationId);
      return r?.assignedAt ? r : null;
    });
    expect(assigned.assigneeId).toBe(linus.id);

    // Hand over to a human: bot.escalated with the reason; the app alerts Slack, and the alert shows up here without a reload.
    await page.getByRole("textbox", { name: "Reason" }).fill("Wants a quote for a bulk order");
    await page.getByRole("button", { name: "Hand over to a human" }).click();
    await page.getByTestId("conversation-escalations").getByText("Wants a quote for a bulk order").waitFor();
    await waitFor("the app records the bot escalation", async () => (await record(conversationId))?.botEscalatedAt);
    const handedOver = page.getByTestId("slack-message").filter({ hasText: "The bot handed a conversation to your team" });
    await handedOver.waitFor({ timeout: 20_000 });
    expect(await handedOver.textContent()).toContain("Wants a quote for a bulk order");
    expect(slack.to("botEscalation").some((d) => JSON.stringify(d.body).includes(conversationId))).toBe(true);

    // Resolve with a rating: conversation.resolved, recorded by the app; the rating is Oscar's, for its report.
    await page.getByRole("combobox", { name: "Shopper's rating (CSAT)" }).selectOption("4");
    await page.getByRole("button", { name: "Resolve" }).click();
    await expect.poll(() => page.getByTestId("conversation-status").textContent()).toBe("Resolved");
    await waitFor("the app records the resolution", async () => (await record(conversationId))?.resolvedAt);
    expect(oscar.state.conversation(conversationId)!.csatScore).toBe(4);

    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it("refuses a post that did not come from the inbox, and keeps what an agent typed when a form is incomplete", async () => {
    const { conversationId } = oscar.scenario.shopperOpensConversation({ workspaceId, email: "walk-in@example.com", name: "Walk-in shopper", message: "Hello" });
    const form = (fields: Record<string, string>) => ({ method: "POST", redirect: "manual" as const, headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });
    const forged = await fetch(`${oscar.url}/inbox/conversations/${conversationId}/resolve`, form({ token: "guessed" }));
    expect(forged.status).toBe(403);
    const missing = await fetch(`${oscar.url}/inbox/conversations/${conversationId}/resolve`, form({}));
    expect(missing.status).toBe(403);
    expect(oscar.state.conversation(conversationId)!.status).toBe("open");

    const { page } = await agentPage({ width: 390, height: 844 });
    await page.goto(`${oscar.url}/inbox/conversations/${conversationId}`);
    // Readable at phone width: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.getByRole("textbox", { name: "Private note" }).fill("half-written note");
    await page.getByRole("button", { name: "Send reply" }).click();
    await page.getByRole("alert").filter({ hasText: "Write a reply first." }).waitFor();
    expect(await page.getByRole("textbox", { name: "Private note" }).inputValue()).toBe("half-written note");
    expect(oscar.state.conversation(conversationId)!.messages.filter((m) => m.sender === "agent")).toEqual([]);

    // Sending the reply keeps the note's draft (the two share one form, for one "Acting as").
    await page.getByRole("textbox", { name: "Reply" }).fill("A reply first");
    await page.getByRole("button", { name: "Send reply" }).click();
    await page.locator('article[data-author="agent"]', { hasText: "A reply first" }).waitFor();
    expect(await page.getByRole("textbox", { name: "Private note" }).inputValue()).toBe("half-written note");
    expect(await page.getByRole("textbox", { name: "Reply" }).inputValue()).toBe("");

    // Keyboard only: Tab reaches the reply box and Enter on the focused button sends it.
    await page.getByRole("textbox", { name: "Reply" }).focus();
    await page.keyboard.type("Typed with the keyboard");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Send reply");
    await page.keyboard.press("Enter");
    await page.locator('article[data-author="agent"]', { hasText: "Typed with the keyboard" }).waitFor();
  }, 60_000);
});
