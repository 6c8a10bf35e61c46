import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { FULLY_APPROVED, ORDER_WINDOW_DAYS } from "../../sim/shopify-admin/access-rules";
import { startSlackReceiver, type SlackReceiver } from "../../sim/slack/receiver";
import { BROWSER_UA, installShop, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { launchBrowser, newDesktopPage, recordConsoleErrors, screenshot } from "../harness/browser";
import { connectShopToOscar, runSupportScenario, type SupportScenario } from "../harness/support-scenario";
import { waitFor } from "../harness/wait";
import { sessionToken, startAdminHost } from "./harness";

const OSCAR_KEY = "osk_admin_blocks_merchant_key_4410";
const OTHER_SHOP = "oscar-other-shop.myshopify.com";
const SHOTS = resolve("screenshots/admin-blocks");
const CUSTOMER_BLOCK = "admin.customer-details.block.render";
const ORDER_BLOCK = "admin.order-details.block.render";
const MESSAGE_ACTION = "admin.customer-details.action.render";
// Where the Shopify admin runs extensions: not the app's origin, so every call is a CORS request.
const ADMIN_ORIGIN = "https://extensions.shopifycdn.com";
const DAY = 24 * 3600 * 1000;

/**
 * The admin blocks on a customer's and an order's page and the "Message this customer in chat" action:
 * the real app (built, under server.mjs) with its worker, after a day of support through the Oscar
 * simulator, asked the way the extensions ask it (session token, cross-origin), then rendered in
 * Chromium by the built extension inside the admin stand-in.
 */
describe("Oscar Chat on the Shopify admin's customer and order pages", () => {
  let oscar: OscarSimulator;
  let slack: SlackReceiver;
  let stack: AppStack;
  let scenario: SupportScenario;
  /** A customer of the test shop with an order, and chats the test writes around that order. */
  let ordering: { customerId: string; orderId: string; placedAt: Date };
  /** An order whose customer never chatted. */
  let quietOrderId: string;
  let quietCustomerId: string;

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: [OSCAR_KEY] });
    slack = await startSlackReceiver();
    stack = await startAppStack({ label: "admin-blocks", shops: [TEST_SHOP, OTHER_SHOP], extraEnv: { OSCAR_API_BASE: oscar.baseUrl } });
    await installShop(stack, TEST_SHOP);
    await installShop(stack, OTHER_SHOP);
    await connectShopToOscar(stack, oscar, slack, TEST_SHOP, OSCAR_KEY);
    await stack.startWorker();
    scenario = await runSupportScenario(stack, oscar, TEST_SHOP, OSCAR_KEY);

    const store = stack.fakeAdmin.store(TEST_SHOP);
    const chatted = new Set([scenario.maya.id, scenario.liam.id]);
    // Without read_all_orders only the last 60 days of orders exist for the app (as in Shopify).
    const visibleSince = Date.now() - (ORDER_WINDOW_DAYS - 1) * DAY;
    const order = store.orders.find((o) => o.customerId && !chatted.has(o.customerId.split("/").pop()!) && Date.parse(o.createdAt) > visibleSince)!;
    ordering = { customerId: order.customerId!.split("/").pop()!, orderId: order.id.split("/").pop()!, placedAt: new Date(order.createdAt) };
    const quietOrder = store.orders.find(
      (o) => o.customerId && o.customerId !== order.customerId && !chatted.has(o.customerId.split("/").pop()!) && Date.parse(o.createdAt) > visibleSince,
    )!;
    quietOrderId = quietOrder.id.split("/").pop()!;
    const orderingIds = new Set(store.orders.map((o) => o.customerId));
    quietCustomerId = store.customers.find((c) => !orderingIds.has(c.id) && !chatted.has(c.id.split("/").pop()!))!.id.split("/").pop()!;
    // The app's records of chats around that order: 3 days before, 2 days after (resolved), and one
    // 40 days before, outside the 30 days the block looks at.
    const at = (days: number) => new Date(ordering.placedAt.getTime() + days * DAY);
    await stack.db.conversationRecord.createMany({
      data: [
        { shop: TEST_SHOP, conversationId: "conv_before_order", shopifyCustomerId: ordering.customerId, createdAt: at(-3), urgentAt: at(-3) },
        { shop: TEST_SHOP, conversationId: "conv_after_order", shopifyCustomerId: ordering.customerId, createdAt: at(2), resolvedAt: at(2.5) },
        { shop: TEST_SHOP, conversationId: "conv_long_before", shopifyCustomerId: ordering.customerId, createdAt: at(-40) },
        // The same customer id in another shop: never shown in this one.
        { shop: OTHER_SHOP, conversationId: "conv_other_shop", shopifyCustomerId: scenario.maya.id, createdAt: new Date() },
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await oscar?.close();
    await slack?.close();
  });

  async function ask(path: string, { token, method = "GET", body }: { token?: string | null; method?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = { "User-Agent": BROWSER_UA, Origin: ADMIN_ORIGIN };
    const bearer = token === undefined ? await sessionToken(TEST_SHOP) : token;
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(`${stack.appUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: "manual" });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  }

  describe("the endpoints the extensions call", () => {
    it("answers a customer's conversations with status, labels, escalations and a link to each in Oscar", async () => {
      const maya = await ask(`/api/admin-blocks/customer/${scenario.maya.id}`);
      expect(maya.status).toBe(200);
      expect(maya.headers.get("access-control-allow-origin")).toBe("*");
      expect(maya.json).toEqual({
        conversations: [
          {
            conversationId: scenario.maya.conversationId,
            startedAt: expect.any(String),
            status: "open",
            resolvedAt: null,
            // "charged twice … refund" is urgent under the default keywords, her Shopify customer is tagged
            // VIP (the default VIP tag), and the bot then handed her over.
            labels: ["urgent", "vip"],
            escalations: [
              { kind: "urgent", at: expect.any(String) },
              { kind: "vip", at: expect.any(String) },
              { kind: "bot", at: expect.any(String) },
            ],
            assigned: expect.any(Boolean),
            csat: null,
            oscarUrl: `https://app.oscarchat.ai/conversations/${scenario.maya.conversationId}`,
          },
        ],
      });

      const liam = await ask(`/api/admin-blocks/customer/${scenario.liam.id}`);
      expect(liam.json).toMatchObject({ conversations: [{ conversationId: scenario.liam.conversationId, status: "resolved", labels: [], escalations: [] }] });
      expect((liam.json!.conversations as Array<{ resolvedAt: string }>)[0]!.resolvedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

      expect((await ask(`/api/admin-blocks/customer/${quietCustomerId}`)).json).toEqual({ conversations: [] });
    });

    it("answers an order's customer's conversations before and after it was placed, within 30 days", async () => {
      const order = await ask(`/api/admin-blocks/order/${ordering.orderId}`);
      expect(order.status).toBe(200);
      expect(order.json).toMatchObject({
        order: { placedAt: ordering.placedAt.toISOString(), hasCustomer: true },
        windowDays: 30,
        before: [{ conversationId: "conv_before_order", status: "open", labels: ["urgent"] }],
        after: [{ conversationId: "conv_after_order", status: "resolved" }],
      });
    });

    it("answers another shop's customer or order exactly as one that does not exist: 404, same body", async () => {
      const other = stack.fakeAdmin.store(OTHER_SHOP);
      const otherCustomer = other.customers[0]!.id.split("/").pop()!;
      const otherOrder = other.orders[0]!.id.split("/").pop()!;
      const answers = await Promise.all([
        ask(`/api/admin-blocks/customer/${otherCustomer}`),
        ask("/api/admin-blocks/customer/1"),
        ask("/api/admin-blocks/customer/not-a-number"),
        ask(`/api/admin-blocks/order/${otherOrder}`),
        ask("/api/admin-blocks/order/1"),
        // The other shop asking for this shop's customer, who has records here (and one there, under the same id).
        ask(`/api/admin-blocks/customer/${scenario.liam.id}`, { token: await sessionToken(OTHER_SHOP) }),
      ]);
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.text).toBe('{"error":"not-found"}');
      }
      // The other shop holds a record under Maya's id, but Shopify knows no such customer there: still not found.
      const own = await ask(`/api/admin-blocks/customer/${scenario.maya.id}`, { token: await sessionToken(OTHER_SHOP) });
      expect(own.status).toBe(404);
      expect(own.text).toBe('{"error":"not-found"}');
    });

    it("answers 403 when Shopify withholds customers from the app (protected customer data not approved), for the blocks and the action", async () => {
      stack.fakeAdmin.setProtectedCustomerData({ level: 0 });
      try {
        const answers = [
          await ask(`/api/admin-blocks/customer/${scenario.maya.id}`),
          await ask(`/api/admin-blocks/order/${ordering.orderId}`),
          await ask(`/api/admin-blocks/customer/${scenario.maya.id}/messages`, { method: "POST", body: { conversationId: scenario.maya.conversationId, content: "withheld?", requestId: randomUUID() } }),
        ];
        for (const answer of answers) {
          expect(answer.status).toBe(403);
          expect(answer.text).toBe('{"error":"customer-data-withheld"}');
        }
        expect(oscar.inspect.messages(scenario.maya.conversationId).some((m) => m.content?.startsWith("withheld?"))).toBe(false);
      } finally {
        stack.fakeAdmin.setProtectedCustomerData(FULLY_APPROVED);
      }
    });

    it("refuses a request without a session token, with a forged one and with an expired one", async () => {
      const path = `/api/admin-blocks/customer/${scenario.maya.id}`;
      const missing = await ask(path, { token: null });
      expect(missing.status).toBe(401);
      expect(missing.json).toEqual({ error: "session-token-required" });

      const forged = await ask(path, { token: await sessionToken(TEST_SHOP, { secret: "not-the-apps-secret-000000000000" }) });
      const expired = await ask(path, { token: await sessionToken(TEST_SHOP, { expiredSecondsAgo: 600 }) });
      for (const refused of [forged, expired]) {
        // shopify-app-remix's answer to an invalid token from a fetch: 401, "get a new token and retry".
        expect(refused.status).toBe(401);
        expect(refused.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
        expect(refused.text).not.toContain(scenario.maya.conversationId);
      }
      const post = await ask(`${path}/messages`, { token: null, method: "POST", body: { conversationId: scenario.maya.conversationId, content: "hi", requestId: randomUUID() } });
      expect(post.status).toBe(401);
      expect(oscar.inspect.messages(scenario.maya.conversationId).some((m) => m.content?.startsWith("hi"))).toBe(false);
    });

    it("answers the browser's CORS preflights from the admin's origin, for the blocks' GET and the action's POST", async () => {
      const preflight = (path: string, method: string, headers: string) =>
        fetch(`${stack.appUrl}${path}`, {
          method: "OPTIONS",
          headers: { "User-Agent": BROWSER_UA, Origin: ADMIN_ORIGIN, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers },
        });
      for (const response of [
        await preflight(`/api/admin-blocks/customer/${scenario.maya.id}`, "GET", "authorization"),
        await preflight(`/api/admin-blocks/order/${ordering.orderId}`, "GET", "authorization"),
        await preflight(`/api/admin-blocks/customer/${scenario.maya.id}/messages`, "POST", "authorization,content-type"),
      ]) {
        expect(response.status).toBe(204);
        expect(response.headers.get("access-control-allow-origin")).toBe("*");
        expect(response.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
      }
    });

    it("writes a merchant's message into the customer's open conversation once, and nowhere else", async () => {
      const requestId = randomUUID();
      const message = { conversationId: scenario.maya.conversationId, content: "Hi Maya, we have refunded the second charge.", requestId };
      const sent = await ask(`/api/admin-blocks/customer/${scenario.maya.id}/messages`, { method: "POST", body: message });
      expect(sent.status).toBe(200);
      expect(sent.json).toEqual({ sent: true, conversationId: scenario.maya.conversationId });
      // A retry of the same send (the same request id) is the same message.
      expect((await ask(`/api/admin-blocks/customer/${scenario.maya.id}/messages`, { method: "POST", body: message })).status).toBe(200);
      const written = oscar.inspect.messages(scenario.maya.conversationId).filter((m) => m.content?.startsWith(message.content));
      expect(written).toHaveLength(1);
      expect(written[0]).toMatchObject({ message_type: "outgoing", private: false, content_type: "text" });

      const resolved = await ask(`/api/admin-blocks/customer/${scenario.liam.id}/messages`, { method: "POST", body: { ...message, conversationId: scenario.liam.conversationId, requestId: randomUUID() } });
      expect(resolved.status).toBe(409);
      expect(resolved.json).toEqual({ sent: false, reason: "conversation-resolved" });

      // Maya's conversation under Liam's page, or from the other shop: not found, nothing sent.
      const mismatched = await ask(`/api/admin-blocks/customer/${scenario.liam.id}/messages`, { method: "POST", body: { ...message, requestId: randomUUID() } });
      const otherShop = await ask(`/api/admin-blocks/customer/${scenario.maya.id}/messages`, { method: "POST", token: await sessionToken(OTHER_SHOP), body: { ...message, requestId: randomUUID() } });
      for (const refused of [mismatched, otherShop]) {
        expect(refused.status).toBe(404);
        expect(refused.text).toBe('{"error":"not-found"}');
      }
      expect(oscar.inspect.messages(scenario.maya.conversationId).filter((m) => m.content?.startsWith(message.content))).toHaveLength(1);
    });
  });

  describe("rendered by the built extension in Chromium", () => {
    let browser: Browser;
    let host: Awaited<ReturnType<typeof startAdminHost>>;
    const pages: Page[] = [];

    beforeAll(async () => {
      browser = await launchBrowser();
      host = await startAdminHost(stack.appUrl, TEST_SHOP);
    });
    afterAll(async () => {
      await browser?.close();
      await host?.close();
    });
    afterEach(async ({ task }) => {
      if (task.result?.state === "fail") {
        await Promise.all(pages.map((page, i) => screenshot(page, `${SHOTS}/failure-${task.name.slice(0, 24).replace(/\W+/g, "-")}-${i}.png`).catch(() => undefined)));
      }
      await Promise.all(pages.splice(0).map((page) => page.context().close()));
    });

    async function open(target: string, id: string, options: { locale?: string; token?: "valid" | "forged" | "held" } = {}) {
      const page = await newDesktopPage(browser);
      pages.push(page);
      const errors = recordConsoleErrors(page);
      await page.goto(host.pageUrl(target, id, options));
      await page.waitForFunction(() => document.documentElement.dataset.extensionRendered === "1" || document.documentElement.dataset.extensionFailed);
      expect(await page.evaluate(() => document.documentElement.dataset.extensionFailed ?? null)).toBeNull();
      return { page, errors };
    }
    const missingKeys = (page: Page) => page.evaluate(() => (window as unknown as { __adminHost: { missingKeys: string[] } }).__adminHost.missingKeys);
    const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;

    it("shows a customer's conversations on the customer page, in English and French (screenshots/admin-blocks/customer-*.png)", async () => {
      const { page, errors } = await open(CUSTOMER_BLOCK, gid("Customer", scenario.maya.id));
      const block = page.locator("s-admin-block");
      await block.getByText("Open", { exact: true }).waitFor({ timeout: 30_000 });
      expect(await block.getAttribute("heading")).toBe("Chat conversations");
      for (const text of ["Urgent", "Handed over by the bot", "urgent", "Open in Oscar"]) await expect(block.getByText(text, { exact: true }).count()).resolves.toBe(1);
      await expect(block.getByText(/^Started /).count()).resolves.toBe(1);
      const link = await page.evaluate(() => document.querySelector("s-link")?.getAttribute("href"));
      expect(link).toBe(`https://app.oscarchat.ai/conversations/${scenario.maya.conversationId}`);
      expect(await missingKeys(page)).toEqual([]);
      expect(errors).toEqual([]);
      await screenshot(page, `${SHOTS}/customer-block.png`);

      const french = await open(CUSTOMER_BLOCK, gid("Customer", scenario.liam.id), { locale: "fr" });
      await french.page.getByText("Résolue", { exact: true }).waitFor({ timeout: 30_000 });
      expect(await french.page.locator("s-admin-block").getAttribute("heading")).toBe("Conversations du chat");
      await expect(french.page.getByText(/^Résolue le /).count()).resolves.toBe(1);
      expect(await missingKeys(french.page)).toEqual([]);
      await screenshot(french.page, `${SHOTS}/customer-block-fr.png`);
    });

    it("shows the empty, loading and error states (screenshots/admin-blocks/customer-empty|loading|error.png)", async () => {
      const empty = await open(CUSTOMER_BLOCK, gid("Customer", quietCustomerId));
      await empty.page.getByText("This customer has not chatted with your store yet, or not while signed in.").waitFor({ timeout: 30_000 });
      await screenshot(empty.page, `${SHOTS}/customer-empty.png`);

      // The session token is held back, so the block waits on the app: its loading state.
      const loading = await open(CUSTOMER_BLOCK, gid("Customer", scenario.maya.id), { token: "held" });
      await loading.page.getByText("Loading conversations…").waitFor({ timeout: 30_000 });
      await screenshot(loading.page, `${SHOTS}/customer-loading.png`);
      host.releaseHeldTokens();
      await loading.page.getByText("Handed over by the bot").waitFor({ timeout: 30_000 });
      expect(await loading.page.getByText("Loading conversations…").count()).toBe(0);

      // A token the app does not accept: the app answers 401 and the block says it could not load.
      const failed = await open(CUSTOMER_BLOCK, gid("Customer", scenario.maya.id), { token: "forged" });
      await failed.page.getByText("Oscar Chat could not load these conversations. Reload the page to try again.").waitFor({ timeout: 30_000 });
      expect(await failed.page.getByText("Handed over by the bot").count()).toBe(0);
      await screenshot(failed.page, `${SHOTS}/customer-error.png`);
    });

    it("shows the order block's empty and error states and the action's error state (screenshots/admin-blocks/order-empty|error.png, message-error.png)", async () => {
      const empty = await open(ORDER_BLOCK, gid("Order", quietOrderId));
      await empty.page.getByText("No conversations before this order.").waitFor({ timeout: 30_000 });
      expect(await empty.page.getByText("No conversations since this order.").count()).toBe(1);
      expect(empty.errors).toEqual([]);
      await screenshot(empty.page, `${SHOTS}/order-empty.png`);

      const failed = await open(ORDER_BLOCK, gid("Order", ordering.orderId), { token: "forged" });
      await failed.page.getByText("Oscar Chat could not load these conversations. Reload the page to try again.").waitFor({ timeout: 30_000 });
      expect(await failed.page.getByText("In the 30 days before the order").count()).toBe(0);
      await screenshot(failed.page, `${SHOTS}/order-error.png`);

      const action = await open(MESSAGE_ACTION, gid("Customer", scenario.maya.id), { token: "forged" });
      await action.page.getByText("Oscar Chat could not load these conversations. Reload the page to try again.").waitFor({ timeout: 30_000 });
      expect(await action.page.locator("s-text-area").count()).toBe(0);
      expect(await action.page.locator("s-button[slot=primary-action]").count()).toBe(0);
      await screenshot(action.page, `${SHOTS}/message-error.png`);
    });

    it("says Shopify has not approved the app for customer data when it withholds the customer (screenshots/admin-blocks/customer-withheld.png)", async () => {
      stack.fakeAdmin.setProtectedCustomerData({ level: 0 });
      try {
        const { page, errors } = await open(CUSTOMER_BLOCK, gid("Customer", scenario.maya.id));
        await page.getByText(/^Shopify has not approved Oscar Chat for customer data yet/).waitFor({ timeout: 30_000 });
        expect(await page.getByText("Open in Oscar").count()).toBe(0);
        // The browser logs the 403 itself; nothing else went wrong.
        expect(errors.map((e) => e.text)).toEqual([expect.stringContaining("403")]);
        await screenshot(page, `${SHOTS}/customer-withheld.png`);
      } finally {
        stack.fakeAdmin.setProtectedCustomerData(FULLY_APPROVED);
      }
    });

    it("shows the chats before and after an order on the order page (screenshots/admin-blocks/order-block.png)", async () => {
      const { page, errors } = await open(ORDER_BLOCK, gid("Order", ordering.orderId));
      await page.getByText("In the 30 days before the order").waitFor({ timeout: 30_000 });
      expect(await page.locator("s-admin-block").getAttribute("heading")).toBe("Chat around this order");
      const text = await page.locator("body").innerText();
      // Before: the urgent chat 3 days earlier; after: the resolved one 2 days later; the one 40 days earlier is left out.
      const before = text.slice(text.indexOf("In the 30 days before"), text.indexOf("In the 30 days after"));
      const after = text.slice(text.indexOf("In the 30 days after"));
      expect(before).toContain("Urgent");
      expect(before).not.toContain("Resolved");
      expect(after).toContain("Resolved");
      expect(await page.locator("s-link").count()).toBe(2);
      expect(errors).toEqual([]);
      await screenshot(page, `${SHOTS}/order-block.png`);
    });

    it("sends a message into the customer's open conversation from the action, and says when there is none (screenshots/admin-blocks/message-*.png)", async () => {
      const { page, errors } = await open(MESSAGE_ACTION, gid("Customer", scenario.maya.id));
      const area = page.locator("s-text-area textarea");
      await area.waitFor({ timeout: 30_000 });
      const words = "Hello Maya, your refund is on its way.";
      await area.fill(words);
      await screenshot(page, `${SHOTS}/message-action.png`);
      await page.locator("s-button[slot=primary-action]").click();
      await page.locator("s-banner").waitFor({ timeout: 30_000 });
      expect(errors).toEqual([]);
      expect(await page.locator("s-banner").innerText()).toBe("Sent. The customer sees it in the chat, and your team sees it in Oscar.");
      await screenshot(page, `${SHOTS}/message-sent.png`);
      const written = await waitFor("the message in Oscar", () => oscar.inspect.messages(scenario.maya.conversationId).filter((m) => m.content?.startsWith(words)));
      expect(written).toHaveLength(1);

      const none = await open(MESSAGE_ACTION, gid("Customer", scenario.liam.id));
      await none.page.getByText(/^This customer has no open conversation\./).waitFor({ timeout: 30_000 });
      await expect(none.page.getByText("Oscar Chat can only add to a conversation the customer started: Oscar's API cannot open a new one.").count()).resolves.toBe(1);
      expect(await none.page.locator("s-button[slot=primary-action]").count()).toBe(0);
      await none.page.locator("s-button[slot=secondary-actions]").click();
      await none.page.waitForFunction(() => document.documentElement.dataset.closed === "1");
      await screenshot(none.page, `${SHOTS}/message-no-open-conversation.png`);
    });
  });
});
