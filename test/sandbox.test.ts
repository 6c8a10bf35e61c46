import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, newDesktopPage, recordConsoleErrors, screenshot } from "./harness/browser";
import { startTsxScript, type RunningProcess } from "./harness/processes";
import { startSandbox, type SandboxRun } from "./harness/sandbox";

describe("npm run sandbox", () => {
  let run: SandboxRun;
  let sandbox: RunningProcess;
  let browser: Browser;
  let appUrl: string;

  beforeAll(async () => {
    // A safety net: the sandbox starts four processes and finishes setup (a knowledge sync); over 90 s at load average 25.
    run = await startSandbox("sandbox", [], 170_000);
    ({ process: sandbox, appUrl } = run);
    browser = await launchBrowser();
  }, 160_000);

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
  });

  it("prints the three URLs: the admin signed in as the sandbox shop, the storefront, and the agent inbox", () => {
    const output = sandbox.output();
    expect(output).toContain(`Admin home (signed in as oscar-sandbox.myshopify.com): ${appUrl}/sandbox`);
    expect(output).toMatch(/Storefront with the chat widget: http:\/\/127\.0\.0\.1:\d+\/products\/\S+/);
    expect(output).toContain(`Agent inbox (what Oscar's agents see, Slack messages too): ${run.oscarUrl}/inbox\n`);
  });

  it("finishes setup through the app's own pages: 5 of 5, with the account's first widget, the embed on and the bot's knowledge synced", () => {
    const output = sandbox.output();
    expect(output).toMatch(/widget wgt_1 picked from the account's widgets, app embed on in “Dawn”, bot bot_1 learned the store \([1-9]\d* sources sent\)/);
    expect(output).toContain("Setup complete: 5 of 5 steps done\n");
    // Refunds from the inbox, turned on in Settings after the permission dialog granted write_orders.
    expect(output).toMatch(/refunds from the inbox on for agent \S+, up to 50\.00 \(write_orders granted in the permission dialog\)/);
  });

  it("plays the scripted day with every step succeeding and prints its timeline", () => {
    const output = sandbox.output();
    expect(output).toContain("installed and connected to Oscar");
    expect(output).toMatch(/Timeline done: (\d+) of \1 steps succeeded/);
    expect(output).not.toContain("✗");
    for (const step of ["asks where the order is", "(VIP) writes", "urgent refund message", "hands the refund chat to a human", "from a private note, after a preview", "resolves", "places an order after her chat", "The analytics page counts today"]) {
      expect(output).toContain(step);
    }
  });

  it("shows the Shopify Flow triggers the scripted day fired, in its timeline and on the sandbox's Flow page", async () => {
    const output = sandbox.output();
    for (const trigger of ["urgent-conversation", "conversation-handed-to-team", "conversation-resolved"]) expect(output).toMatch(new RegExp(`Shopify Flow: ${trigger} accepted \\(customer \\d+`));
    expect(output).toContain(`Shopify Flow triggers the app sent (recorded by the fake Admin API): ${appUrl}/sandbox/flow-triggers`);
    const page = await fetch(`${appUrl}/sandbox/flow-triggers`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<td>urgent-conversation<\/td><td>accepted<\/td><td>\d+<\/td>/);
    expect(html).not.toContain("refused");
    // The scripted day's merchant turned on a workflow for each trigger, which Flow's lifecycle callback told the app.
    for (const trigger of ["urgent-conversation", "vip-customer-chatting", "conversation-handed-to-team", "conversation-resolved"]) expect(html).toContain(`<td>${trigger}</td><td>in use: sent</td>`);
    const browserPage = await newDesktopPage(browser);
    await browserPage.goto(`${appUrl}/sandbox/flow-triggers`);
    await browserPage.getByRole("heading", { name: "Workflows using each trigger" }).waitFor();
    await screenshot(browserPage, resolve("screenshots/sandbox-flow-triggers.png"));
    await browserPage.close();
  });

  it("opens the printed storefront page with the chat widget in a real browser", async () => {
    const storefrontUrl = /Storefront with the chat widget: (\S+)/.exec(sandbox.output())?.[1];
    expect(storefrontUrl).toBeTruthy();
    const page = await newDesktopPage(browser);
    await page.goto(storefrontUrl!);
    await page.locator("script[src*='oscar-chat'], [class*='oscar']").first().waitFor({ state: "attached" });
    // The widget the app chose, read from the store's app-data metafield as the theme reads it.
    expect(await page.locator("[data-widget-id]").first().getAttribute("data-widget-id")).toBe("wgt_1");
    // The chat works: the simulator's widget, the shopper signed in through the real app proxy, the app's order answer.
    await page.keyboard.press("Shift");
    await page.getByRole("button", { name: "Open chat" }).click();
    const chat = page.getByRole("dialog", { name: "Chat" });
    await chat.getByRole("textbox", { name: "Message" }).fill("Where is my order?");
    await chat.getByRole("button", { name: "Send" }).click();
    const reply = chat.getByRole("log").locator('[data-author="agent"]').first();
    await reply.waitFor({ timeout: 30_000 });
    expect(await reply.innerText()).toMatch(/^Here is the latest on order #\d+/);
    await screenshot(page, resolve("screenshots/sandbox-storefront.png"));
  });

  it("opens the order status page from /sandbox?page=order-status, and its block opens the storefront chat with the order (screenshots/sandbox-order-status.png)", async () => {
    expect(sandbox.output()).toContain(`Order status page with "Get help with this order" (customer accounts stand-in, as `);
    const page = await newDesktopPage(browser);
    await page.goto(`${appUrl}/sandbox?page=order-status`);
    // The sandbox customer's newest order; the block inside it is the real extension, built for this app.
    await page.getByRole("link", { name: /^Order #\d+$/ }).first().click();
    const orderName = (await page.getByRole("heading", { level: 1 }).innerText()).replace(/^Order /, "");
    const block = page.frameLocator('iframe[title="Get help with this order (app block)"]');
    await block.getByRole("button", { name: "Get help with this order" }).click();
    const openChat = block.getByRole("link", { name: "Open the chat" });
    await openChat.waitFor({ timeout: 15_000 });
    await screenshot(page, resolve("screenshots/sandbox-order-status.png"));
    const [storefront] = await Promise.all([page.context().waitForEvent("page"), openChat.click()]);
    const message = storefront.getByRole("dialog", { name: "Chat" }).getByRole("textbox", { name: "Message" });
    await message.waitFor({ timeout: 30_000 });
    await expect.poll(() => message.inputValue(), { timeout: 30_000 }).toBe(`I need help with order ${orderName}.`);
  });

  it("opens the admin home in a real browser with the store's details and no console errors from the app", async () => {
    const page = await newDesktopPage(browser);
    const errors = recordConsoleErrors(page);
    await page.goto(`${appUrl}/sandbox`);
    await page.getByText("Oscar Chat", { exact: true }).first().waitFor();

    // The worker reads the store's details in the background; the page checks again by itself.
    await page.getByText("Store details synced").waitFor({ timeout: 20_000 });
    expect(await page.getByText(/^Currency: [A-Z]{3}$/).count()).toBe(1);
    // Setup is finished, so the page shows each part at a glance instead of the checklist.
    await page.getByText("On in your live theme “Dawn”").waitFor();
    expect(await page.getByText("Set up Oscar Chat").count()).toBe(0);

    await screenshot(page, resolve("screenshots/sandbox-home.png"));
    const fromApp = errors.filter((e) => e.url.startsWith(appUrl) || e.url === "pageerror");
    expect(fromApp).toEqual([]);
  });

  it("renders the admin blocks with the sandbox shop's data, each on a page of its own, from the printed link (screenshots/sandbox-admin-*.png)", async () => {
    const printed = /Oscar Chat on the Shopify admin's customer and order pages: (\S+)/.exec(sandbox.output())?.[1];
    expect(printed).toBe(`${appUrl}/sandbox?page=admin-blocks`);
    const page = await newDesktopPage(browser);
    const errors = recordConsoleErrors(page);
    await page.goto(printed!);
    const links = await page.locator("li > a:first-child").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    // Every customer of the sandbox's store chatted in its 63 days of history, so there is no empty-state page
    // (test/admin-blocks/ renders that one).
    expect(links).toEqual(["/sandbox/admin-blocks/customer", "/sandbox/admin-blocks/order", "/sandbox/admin-blocks/message"]);

    // The scripted day's signed-in shopper: her conversation today, open or resolved, with its link to Oscar.
    await page.goto(`${appUrl}/sandbox/admin-blocks/customer`);
    await page.getByText("Open in Oscar").first().waitFor({ timeout: 30_000 });
    expect(await page.getByText(/^Started /).count()).toBeGreaterThan(0);
    await screenshot(page, resolve("screenshots/sandbox-admin-customer.png"));
    await page.goto(`${appUrl}/sandbox/admin-blocks/customer?locale=fr`);
    await page.getByText("Ouvrir dans Oscar").first().waitFor({ timeout: 30_000 });
    await page.goto(`${appUrl}/sandbox/admin-blocks/order`);
    await page.getByText("In the 30 days before the order").waitFor({ timeout: 30_000 });
    await screenshot(page, resolve("screenshots/sandbox-admin-order.png"));
    await page.goto(`${appUrl}/sandbox/admin-blocks/message`);
    await page.locator("s-admin-action").waitFor();
    await page.locator("s-admin-action:not([loading])").waitFor({ timeout: 30_000 });
    await screenshot(page, resolve("screenshots/sandbox-admin-message.png"));
    expect(errors).toEqual([]);
  });

  it("shows weeks of support on the analytics page, with today's assisted revenue in the timeline (screenshots/sandbox-analytics.png)", async () => {
    const output = sandbox.output();
    expect(output).toMatch(/63 days of past support for the analytics page: \d+ conversations, \d+ orders/);
    // The scripted day's order followed a chat, so today's assisted revenue includes its USD 184.00.
    const todays = /assisted revenue today: (\S+)/.exec(output)?.[1];
    expect(todays).toMatch(/^\$\d[\d,]*\.\d\d$/);
    expect(Number(todays!.replace(/[$,]/g, ""))).toBeGreaterThanOrEqual(184);

    const page = await newDesktopPage(browser);
    page.setDefaultTimeout(20_000);
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.emulateMedia({ reducedMotion: "reduce" });
    const errors = recordConsoleErrors(page);
    await page.goto(`${appUrl}/sandbox?page=analytics`);
    // The heading, not the text: once Polaris Viz has drawn, the chart's hidden table repeats it as a caption.
    await page.getByRole("heading", { name: "Assisted revenue by day" }).waitFor();
    // Both charts drawn, each named for screen readers by a summary of its figures.
    await page.waitForFunction(() => document.querySelectorAll("figure[aria-label]").length === 2 && document.querySelectorAll("figure[aria-label] svg path").length > 5);
    const summaries = await page.locator("figure[aria-label]").evaluateAll((charts) => charts.map((c) => c.getAttribute("aria-label")));
    expect(summaries[0]).toMatch(/^Line chart of assisted revenue by day: \$[\d,]+\.\d\d over \d+ days this period, against \$[\d,]+\.\d\d in the previous period\./);
    expect(summaries[1]).toMatch(/^Bar chart of escalations by reason, this period against the previous one: Urgent keyword \d+ \(previously \d+\), VIP customer \d+ \(previously \d+\), Bot hand-off \d+ \(previously \d+\)\.$/);
    // Oscar's figures (from the simulator's history) and the app's own, both with data.
    for (const label of ["Conversations", "CSAT", "Assisted revenue", "Escalations", "Conversations enriched"]) {
      await page.getByText(label, { exact: true }).first().waitFor();
    }
    const text = await page.locator("body").innerText();
    expect(text).not.toContain("No support activity");
    expect(text).toMatch(/\$[1-9][\d,]*\.\d\d/);
    await screenshot(page, resolve("screenshots/sandbox-analytics.png"));
    expect(errors.filter((e) => e.url.startsWith(appUrl) || e.url === "pageerror")).toEqual([]);
  }, 60_000);

  it("opens the printed agent inbox with the scripted day's conversations and Slack alerts (screenshots/sandbox-inbox.png)", async () => {
    const inboxUrl = /Agent inbox \(what Oscar's agents see, Slack messages too\): (\S+)/.exec(sandbox.output())?.[1];
    expect(inboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/inbox$/);
    const captured = Number(/(\d+) Slack alerts captured locally/.exec(sandbox.output())?.[1]);
    expect(captured).toBeGreaterThan(0);
    const page = await newDesktopPage(browser);
    const errors = recordConsoleErrors(page);
    await page.goto(inboxUrl!);
    // The scripted day's urgent refund chat, labelled by the app and handed to a human by the bot.
    const escalated = page.locator(".conversation-row", { hasText: "Handed to a human" }).filter({ hasText: "urgent" });
    expect(await escalated.count()).toBeGreaterThan(0);
    await screenshot(page, resolve("screenshots/sandbox-inbox.png"));
    await escalated.first().getByRole("link").click();
    expect(await page.locator('article[data-author="app"][data-private="true"]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId("slack-message").count()).toBeGreaterThan(0);
    await page.goto(`${inboxUrl}/slack`);
    // At least what the scripted day counted; the worker may have posted more since.
    expect(await page.getByTestId("slack-message").count()).toBeGreaterThanOrEqual(captured);
    expect(errors).toEqual([]);
  }, 60_000);

  it("refuses to start in production", async () => {
    const refused = startTsxScript("scripts/sandbox.ts", [], { NODE_ENV: "production" });
    const { code } = await refused.exited();
    expect(code).toBe(1);
    expect(refused.output()).toContain("The sandbox refuses to start with NODE_ENV=production");
  });
});
