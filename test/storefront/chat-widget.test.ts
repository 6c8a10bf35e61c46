import { createRequire } from "node:module";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyOscarSignature } from "../../app/webhooks/oscar-signature.server";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { HANDOVER_MESSAGE, HANDOVER_REASONS } from "../../sim/oscar/widget/bot";
import { launchBrowser, recordConsoleErrors } from "../harness/browser";
import { waitFor } from "../harness/wait";
import { HELP_FLOW_ID, PRODUCT, startStorefront, type PageKind, type PageOptions, type Storefront } from "./storefront-site";

const require = createRequire(import.meta.url);
const OSCAR_KEY = "osk_test_chat_widget_01";
const WEBHOOK_SECRET = "chat-widget-test-webhook-secret";
const POLICIES = [
  "## Shipping policy",
  "Orders ship within 2 business days from Portugal. Free shipping on orders over $100.",
  "## Refund policy",
  "Returns are accepted within 30 days of delivery for unworn items with their tags.",
].join("\n");

type Received = { id: string; type: string; data: Record<string, unknown>; signed: boolean };

/** A real HTTP receiver for Oscar's webhooks that checks each signature as the app does. */
async function startWebhookReceiver(secret: string) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const event = JSON.parse(raw.toString("utf8")) as Omit<Received, "signed">;
      received.push({ ...event, signed: verifyOscarSignature(raw, req.headers["x-oscar-signature"] as string | undefined, secret) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oscar`,
    received,
    of: (conversationId: string) => received.filter((e) => e.data.conversation_id === conversationId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The chat as a shopper (and the lead's whole-loop test) finds it: by role and accessible name. */
function chatOf(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Chat" });
  return {
    launcher: page.getByRole("button", { name: "Open chat" }),
    dialog,
    input: dialog.getByRole("textbox", { name: "Message" }),
    send: dialog.getByRole("button", { name: "Send" }),
    log: dialog.getByRole("log"),
    messages: (author?: "shopper" | "bot" | "agent") => dialog.getByRole("log").locator(author ? `[data-author="${author}"]` : "[data-author]"),
  };
}

const isFocused = (locator: Locator) => locator.evaluate((el) => (el.getRootNode() as Document | ShadowRoot).activeElement === el);
const texts = (locator: Locator) => locator.allInnerTexts();

/** Types and sends a message the way a shopper does (Enter), and waits until it shows in the transcript. */
async function write(page: Page, text: string) {
  const chat = chatOf(page);
  await chat.input.fill(text);
  await chat.input.press("Enter");
  await waitFor(`"${text}" in the transcript`, async () => (await texts(chat.messages("shopper"))).includes(text));
}

describe("the Oscar simulator's chat widget on a storefront, in a real browser", () => {
  let browser: Browser;
  let oscar: OscarSimulator;
  let site: Storefront;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let widgetId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // No app here: an order question is left unanswered, so the bot's grace can be short.
    oscar = await startOscarSimulator({ apiKeys: [OSCAR_KEY], delivery: "calm", widget: { orderAnswerGraceMs: 500 } });
    receiver = await startWebhookReceiver(WEBHOOK_SECRET);
    const account = oscar.accountFor(OSCAR_KEY);
    widgetId = account.widgetIds[0];
    const v1 = (path: string, body: unknown) =>
      fetch(`${oscar.baseUrl}${path}`, { method: "POST", headers: { Authorization: `Bearer ${OSCAR_KEY}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const events = ["conversation.created", "message.created", "bot.escalated", "conversation.assigned", "conversation.resolved"];
    expect((await v1("/webhooks", { url: receiver.url, events, secret: WEBHOOK_SECRET })).status).toBe(201);
    // What the app's knowledge sync would have sent to the widget's bot.
    expect((await v1(`/bots/${account.botId}/knowledge_sources`, { type: "text", name: "Policies", content: POLICIES })).status).toBe(201);
    [browser, site] = await Promise.all([launchBrowser(), startStorefront({ loaderUrl: oscar.widgetLoaderUrl, widgetId })]);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await site?.close();
    await oscar?.close();
    await receiver?.close();
  });

  async function visit(kind: PageKind, options: PageOptions = {}, viewport = { width: 1280, height: 800 }) {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    const errors = recordConsoleErrors(page);
    await page.goto(site.pageUrl(kind, options));
    return { page, errors };
  }

  /** The shopper's first keypress loads the widget; then its own launcher is there. */
  async function widgetReady(page: Page) {
    await page.keyboard.press("Shift");
    await chatOf(page).launcher.waitFor();
  }

  /** Opens the chat and writes a first message; answers the conversation's id at the simulator. */
  async function startChat(page: Page, text: string): Promise<string> {
    await widgetReady(page);
    await chatOf(page).launcher.click();
    await write(page, text);
    return waitFor("the conversation at the simulator", () =>
      oscar.state.conversationsOf(oscar.accountFor(OSCAR_KEY).keyId).find((c) => c.messages.some((m) => m.content === text))?.id,
    );
  }

  it("opens from the extension's launcher, then from the widget's own; Escape closes it and gives focus back", async () => {
    const { page, errors } = await visit("home");
    await page.getByRole("button", { name: "Chat with us" }).click();
    const chat = chatOf(page);
    await chat.dialog.waitFor();
    expect(await isFocused(chat.input)).toBe(true);
    // The widget took over: the extension's stand-in launcher is gone.
    expect(await page.locator(".oscar-chat-launcher").count()).toBe(0);

    await page.keyboard.press("Escape");
    await chat.dialog.waitFor({ state: "hidden" });
    expect(await isFocused(chat.launcher)).toBe(true);
    await page.keyboard.press("Enter");
    await chat.dialog.waitFor();
    expect(await chat.dialog.getByRole("heading", { name: "Chat" }).isVisible()).toBe(true);
    // The site has no favicon, which Chromium reports on its own.
    expect(errors.filter((e) => !e.url.endsWith("/favicon.ico"))).toEqual([]);
  });

  it("opens from 'Ask about this product' with the message typed in, not sent", async () => {
    const { page } = await visit("product");
    await page.getByRole("button", { name: "Ask about this product" }).click();
    const chat = chatOf(page);
    await chat.dialog.waitFor();
    expect(await chat.input.inputValue()).toBe(`Hi! I have a question about ${PRODUCT.title}.`);
    expect(await chat.messages().count()).toBe(0);
  });

  it("starts the merchant's flow from 'Get help': the conversation carries the flow and the page's context", async () => {
    const { page } = await visit("product");
    await page.getByRole("button", { name: "Get help" }).click();
    await chatOf(page).dialog.waitFor();
    await write(page, "Hello, I need some help please");
    const conversationId = await waitFor("the conversation", () => oscar.state.conversationsOf(oscar.accountFor(OSCAR_KEY).keyId).find((c) => c.messages[0]?.content === "Hello, I need some help please")?.id);
    expect(oscar.widget.conversation(conversationId)?.flow).toEqual({ flow_id: HELP_FLOW_ID, context: { page: "product", cart_item_count: 2 } });
  });

  it("delivers what the shopper types to Oscar, which sends signed conversation.created and message.created webhooks", async () => {
    const { page } = await visit("collection");
    const text = "Do you have the cardigan in green?";
    const conversationId = await startChat(page, text);
    expect(oscar.inspect.messages(conversationId)[0]).toMatchObject({ content: text, message_type: "incoming", private: false });

    const events = await waitFor("both webhooks", () => {
      const got = receiver.of(conversationId);
      const shoppers = got.some((e) => e.type === "message.created" && (e.data.message as { content?: string }).content === text);
      return shoppers && got.some((e) => e.type === "conversation.created") && got;
    });
    expect(events.every((e) => e.signed)).toBe(true);
    // Sent in this order (event ids count up); deliveries run side by side, so they may arrive in another.
    const sent = [...events].sort((x, y) => Number(x.id.replace("evt_", "")) - Number(y.id.replace("evt_", "")));
    expect(sent.map((e) => e.type).slice(0, 2)).toEqual(["conversation.created", "message.created"]);
    expect(sent[1].data.message).toMatchObject({ content: text, message_type: "incoming" });
    // A visitor nobody identified: no identity on the contact.
    expect((sent[0].data.contact as { custom_attributes: Record<string, unknown> }).custom_attributes).toEqual({});
  });

  it("answers as the bot from the knowledge the app synced", async () => {
    const { page } = await visit("home");
    await startChat(page, "How long does shipping take?");
    const chat = chatOf(page);
    await chat.messages("bot").first().waitFor();
    expect(await texts(chat.messages("bot"))).toEqual([
      "Shipping policy\nOrders ship within 2 business days from Portugal. Free shipping on orders over $100.",
    ]);
  });

  it("hands over to a human when asked for a person, sends bot.escalated with the reason, and stays quiet after", async () => {
    const { page } = await visit("home");
    const conversationId = await startChat(page, "I want to talk to a person");
    const chat = chatOf(page);
    await waitFor("the hand-over message", async () => (await texts(chat.messages("bot"))).includes(HANDOVER_MESSAGE));
    const escalated = await waitFor("bot.escalated", () => receiver.of(conversationId).find((e) => e.type === "bot.escalated"));
    expect(escalated).toMatchObject({ signed: true, data: { reason: HANDOVER_REASONS.askedForHuman, last_message: "I want to talk to a person" } });

    // A question the bot could answer: after the hand-over it is the agent's, not the bot's.
    await write(page, "How long does shipping take?");
    oscar.scenario.agentReplies(conversationId, "Hi, I'm Ada. Two business days!");
    await waitFor("the agent's reply", async () => (await texts(chat.messages("agent"))).includes("Hi, I'm Ada. Two business days!"));
    expect(await texts(chat.messages())).toEqual(["I want to talk to a person", HANDOVER_MESSAGE, "How long does shipping take?", "Hi, I'm Ada. Two business days!"]);
    expect(receiver.of(conversationId).filter((e) => e.type === "bot.escalated")).toHaveLength(1);
  });

  it("hands over when nothing in the knowledge answers, and when nobody answered an order question in time", async () => {
    const { page } = await visit("home");
    const conversationId = await startChat(page, "Can I pay with a gift card?");
    await waitFor("bot.escalated", () => receiver.of(conversationId).find((e) => e.type === "bot.escalated" && e.data.reason === HANDOVER_REASONS.noAnswer));

    const other = await visit("home");
    const orderConversation = await startChat(other.page, "Where is my order?");
    const escalated = await waitFor("bot.escalated", () => receiver.of(orderConversation).find((e) => e.type === "bot.escalated"));
    expect(escalated.data.reason).toBe(HANDOVER_REASONS.orderUnanswered);
    // The webhook and the widget's transcript travel separately, so wait for the hand-over to show; any answer
    // the bot had given to the order question would show before it.
    const bot = chatOf(other.page).messages("bot");
    await waitFor("the hand-over message", async () => (await texts(bot)).includes(HANDOVER_MESSAGE));
    // The bot never answered the order question itself: it only handed over.
    expect(await texts(bot)).toEqual([HANDOVER_MESSAGE]);
  });

  it("shows what the app posts through Oscar's API, HTML reduced to safe markup, and never a private note", async () => {
    const { page } = await visit("product");
    const conversationId = await startChat(page, "Is my parcel on its way?");
    const post = (body: Record<string, unknown>) =>
      fetch(`${oscar.baseUrl}/conversations/${conversationId}/messages`, {
        method: "POST",
        headers: { Authorization: `Bearer ${OSCAR_KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }).then((r) => expect(r.status).toBe(201));
    await post({ content: "PRIVATE: VIP, spent $1,240", message_type: "activity", content_type: "markdown", private: true });
    await post({ content: "PRIVATE too: outgoing but private", message_type: "outgoing", content_type: "text", private: true });
    await post({
      content: '<p>Order <strong>#1042</strong>: <a href="https://www.ups.com/track?tracknum=1Z999">UPS 1Z999</a> <a href="javascript:window.__pwned=1">x</a><img src="/nope.png" onerror="window.__pwned=2"><script>window.__pwned=3</script></p>',
      message_type: "outgoing",
      content_type: "html",
      private: false,
    });

    const chat = chatOf(page);
    const reply = chat.messages("agent").first();
    await reply.waitFor();
    expect(await reply.innerText()).toBe("Order #1042: UPS 1Z999 x");
    expect(await reply.locator("a").evaluateAll((links) => links.map((a) => [a.getAttribute("href"), a.getAttribute("rel")]))).toEqual([
      ["https://www.ups.com/track?tracknum=1Z999", "noopener noreferrer"],
      [null, null],
    ]);
    expect(await reply.locator("img, script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // The notes were written before the reply, so a widget that showed notes would show them by now.
    expect((await chat.log.innerText()).includes("PRIVATE")).toBe(false);
  });

  it("renders a shopper's name and message with markup in them as text", async () => {
    const { page } = await visit("home");
    await widgetReady(page);
    const name = `<img src=x onerror="window.__pwned=1">Mo<script>window.__pwned=2</script>`;
    await page.evaluate((n) => window.OscarChat!("identify", { name: n, email: "mo@example.com" }), name);
    const chat = chatOf(page);
    await chat.launcher.click();
    expect(await chat.dialog.innerText()).toContain(`Hi ${name}! How can we help?`);
    const text = `<b>bold?</b><script>window.__pwned=3</script>`;
    const conversationId = await (async () => {
      await write(page, text);
      return waitFor("the conversation", () => oscar.state.conversationsOf(oscar.accountFor(OSCAR_KEY).keyId).find((c) => c.messages[0]?.content === text)?.id);
    })();
    expect(await chat.messages("shopper").first().locator("b, script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Oscar keeps what was typed; escaping is each screen's job.
    expect(oscar.inspect.contact(oscar.state.conversation(conversationId)!.contactId).name).toBe(name);
  });

  it("keeps the conversation across pages: the next page shows it once, without doubles", async () => {
    const { page } = await visit("home");
    await startChat(page, "How long does shipping take?");
    const chat = chatOf(page);
    await chat.messages("bot").first().waitFor();
    await page.goto(site.pageUrl("collection"));
    await widgetReady(page);
    await chat.launcher.click();
    await waitFor("the earlier messages", async () => (await chat.messages().count()) === 2);
    expect((await texts(chat.messages())).map((t) => t.split("\n")[0])).toEqual(["How long does shipping take?", "Shipping policy"]);
  });

  it("keeps what the shopper typed when the message cannot be sent, and says so", async () => {
    const { page } = await visit("home");
    await widgetReady(page);
    const chat = chatOf(page);
    await chat.launcher.click();
    await page.context().route(`${oscar.url}/widget/api/**`, (route) => (route.request().method() === "POST" ? route.abort() : route.continue()));
    await chat.input.fill("Will this arrive before Friday?");
    await chat.send.click();
    await page.getByRole("status").filter({ hasText: "could not be sent" }).waitFor();
    expect(await chat.input.inputValue()).toBe("Will this arrive before Friday?");
    await page.context().unroute(`${oscar.url}/widget/api/**`);
    await chat.send.click();
    await waitFor("the message sent", async () => (await texts(chat.messages("shopper"))).includes("Will this arrive before Friday?"));
    expect(await chat.input.inputValue()).toBe("");
  });

  it("fits a phone's screen", async () => {
    const { page } = await visit("product", {}, { width: 375, height: 667 });
    await widgetReady(page);
    const chat = chatOf(page);
    await chat.launcher.click();
    const box = (await chat.dialog.boundingBox())!;
    expect(box).toMatchObject({ x: 0, y: 0, width: 375, height: 667 });
    for (const part of [chat.input, chat.send]) {
      const b = (await part.boundingBox())!;
      expect(b.x >= 0 && b.x + b.width <= 375 && b.y + b.height <= 667).toBe(true);
    }
  });

  it("has no WCAG 2 A or AA violation (axe-core) on the product page with the chat open and a conversation in it", async () => {
    const { page } = await visit("product");
    await startChat(page, "How long does shipping take?");
    await chatOf(page).messages("bot").first().waitFor();
    await page.addScriptTag({ content: (require("axe-core") as { source: string }).source });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
    });
    expect(violations).toEqual([]);
  });

  it("shows nothing for a widget id no account has, and says why in the console", async () => {
    const wrongSite = await startStorefront({ loaderUrl: oscar.widgetLoaderUrl, widgetId: "wgt_does_not_exist" });
    try {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      // Chromium also logs the 404 itself; the widget's own sentence is the one that names the problem.
      const consoleError = page.waitForEvent("console", { predicate: (m) => m.type() === "error" && m.text().startsWith("Oscar Chat") });
      await page.goto(wrongSite.pageUrl("home"));
      await page.keyboard.press("Shift");
      expect((await consoleError).text()).toBe('Oscar Chat: no chat widget has the id "wgt_does_not_exist" (data-widget-id). Check the widget id in the app; the chat is not shown.');
      expect(await page.getByRole("button", { name: "Open chat" }).count()).toBe(0);
      expect(await page.locator("#oscar-sim-chat").count()).toBe(0);
    } finally {
      await wrongSite.close();
    }
  });
});

declare global {
  interface Window {
    OscarChat?: (command: string, args?: unknown) => void;
  }
}
