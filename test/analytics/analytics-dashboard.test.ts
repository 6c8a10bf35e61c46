import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { launchBrowser, newDesktopPage, recordConsoleErrors, screenshot } from "../harness/browser";
import { connectShopToOscar } from "../harness/oscar-webhook";
import { duplicateDelivery, sendShopifyWebhook, shopifyDelivery, shopifyPayloads, type ShopifyTopic } from "../harness/shopify-webhooks";
import { loadDocument, loadRoute } from "../settings/admin-requests";

/**
 * The analytics page of the built app over a week of seeded support in a shop in India (no clock
 * changes, so each boundary below is computed by hand: local midnight is 18:30 UTC the day before).
 */

const OSCAR_KEY = "osk_analytics_key_0001";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const IST = 5.5 * HOUR;
const ANALYTICS = { path: "/app/analytics", id: "routes/app.analytics" } as const;

const todayInIndia = new Date(Date.now() + IST).toISOString().slice(0, 10);
const localMidnight = (daysBeforeToday: number) => Date.parse(`${todayInIndia}T00:00:00Z`) - IST - daysBeforeToday * DAY;
/** "Last 7 days": the seven days before today; the previous period: the seven before those. */
const S = localMidnight(7);
const P = localMidnight(14);

type Card = { label: string; value: string; previous: string; change: string; help: string | null };
type View = {
  oscarCards: Card[] | null;
  oscarProblem: string | null;
  appCards: Card[];
  escalations: { current: Array<{ key: string; value: number }>; previous: Array<{ key: string; value: number }> };
  assistedByDay: { current: Array<{ key: string; value: number }>; previous: Array<{ key: string; value: number }> };
  empty: boolean;
  timeZone: string;
  currencyCode: string;
};
type Loaded = { view: View; periodProblem: string | null };

describe("the analytics dashboard", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;
  let browser: Browser | undefined;

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: [OSCAR_KEY] });
    stack = await startAppStack({ label: "analytics", extraEnv: { OSCAR_API_BASE: oscar.baseUrl, SANDBOX_MODE: "true", SANDBOX_SHOP: TEST_SHOP } });
    await installShop(stack);
    await stack.db.shop.update({ where: { domain: TEST_SHOP }, data: { name: "Lotus Tea", currencyCode: "EUR", ianaTimezone: "Asia/Kolkata" } });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await oscar?.close();
  });

  const dashboard = async (query = "") => {
    const answer = await loadRoute<Loaded>(stack, TEST_SHOP, `${ANALYTICS.path}${query}`, ANALYTICS.id);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it("explains an empty shop instead of showing zeros, and says Oscar is not connected", async () => {
    const { view } = await dashboard();
    expect(view.empty).toBe(true);
    expect(view.oscarCards).toBeNull();
    const page = await loadDocument(stack, TEST_SHOP, ANALYTICS.path);
    expect(page.status).toBe(200);
    expect(page.html).toContain("No support activity in this period yet");
  });

  it("stores what orders/create needs, once, and nothing personal", async () => {
    const delivery = shopifyDelivery("orders/create", TEST_SHOP, shopifyPayloads.orderCreated({ id: 9001, customerId: 101, total: "59.90", currency: "EUR", createdAt: new Date(S + 7 * DAY - 1000).toISOString() }));
    expect((await sendShopifyWebhook(stack.appUrl, delivery)).status).toBe(200);
    expect((await sendShopifyWebhook(stack.appUrl, delivery)).status).toBe(200);
    // The same event as a new delivery, and the same order in a new event, are still one row.
    expect((await sendShopifyWebhook(stack.appUrl, duplicateDelivery(delivery))).status).toBe(200);
    expect((await sendShopifyWebhook(stack.appUrl, { ...duplicateDelivery(delivery), eventId: randomUUID() })).status).toBe(200);
    expect((await sendShopifyWebhook(stack.appUrl, delivery, { secret: "not-the-app-secret" })).status).toBe(401);
    const rows = await stack.db.shopOrder.findMany({ where: { shop: TEST_SHOP } });
    expect(rows.map(({ id: _id, receivedAt: _at, ...row }) => row)).toEqual([
      { shop: TEST_SHOP, orderId: "9001", shopifyCustomerId: "101", totalPrice: "59.90", currencyCode: "EUR", placedAt: new Date(S + 7 * DAY - 1000), cancelledAt: null, shopifyUpdatedAt: new Date(S + 7 * DAY - 1000) },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/shopper@example\.com|Maya|Main St/);
  });

  it("shows every figure for the last 7 days against the 7 before, as computed by hand", async () => {
    // Oscar's conversations. This week: c1 answered by an agent in 60 s, resolved in 600 s (CSAT 4);
    // c2 resolved by the bot in 120 s (CSAT 5); c3 still open. The week before: one, answered in 30 s,
    // resolved by an agent in 300 s (CSAT 3).
    await connectShopToOscar(stack, oscar.baseUrl, OSCAR_KEY, TEST_SHOP);
    const { workspaceId } = oscar.accountFor(OSCAR_KEY);
    const open = (at: number) => oscar.scenario.shopperOpensConversation({ workspaceId, email: `s${at}@example.com`, name: "Shopper", message: "Hello", at }).conversationId;
    const c1 = open(S + HOUR);
    oscar.scenario.agentAssigned(c1, undefined, S + HOUR + 10_000);
    oscar.scenario.agentReplies(c1, "On it", S + HOUR + 60_000);
    oscar.scenario.agentResolves(c1, { csatScore: 4, at: S + HOUR + 600_000 });
    oscar.scenario.agentResolves(open(S + 2 * DAY), { csatScore: 5, at: S + 2 * DAY + 120_000 });
    open(S + 3 * DAY);
    const p1 = open(P + DAY);
    oscar.scenario.agentAssigned(p1, undefined, P + DAY + 5_000);
    oscar.scenario.agentReplies(p1, "Hi", P + DAY + 30_000);
    oscar.scenario.agentResolves(p1, { csatScore: 3, at: P + DAY + 300_000 });

    // What the app recorded (as the worker writes it).
    const at = (ms: number) => new Date(ms);
    await stack.db.conversationRecord.createMany({
      data: [
        { shop: TEST_SHOP, conversationId: "r1", shopifyCustomerId: "101", createdAt: at(S), enrichedAt: at(S), urgentAt: at(S + 10_000) },
        { shop: TEST_SHOP, conversationId: "r2", shopifyCustomerId: "102", createdAt: at(S + 2 * DAY), enrichedAt: at(S + 2 * DAY), vipAt: at(S + 2 * DAY), botEscalatedAt: at(S + 2 * DAY + HOUR) },
        { shop: TEST_SHOP, conversationId: "r3", createdAt: at(S + 3 * DAY), botEscalatedAt: at(S + 3 * DAY + 60_000) },
        { shop: TEST_SHOP, conversationId: "r4", shopifyCustomerId: "103", createdAt: at(S - 2 * DAY), enrichedAt: at(S - 2 * DAY), urgentAt: at(S - 2 * DAY) },
        { shop: TEST_SHOP, conversationId: "r5", shopifyCustomerId: "104", createdAt: at(P + DAY), enrichedAt: at(P + DAY), vipAt: at(P + DAY) },
        { shop: TEST_SHOP, conversationId: "r6", createdAt: at(S - 1000), enrichedAt: at(S - 1000) }, // the previous period's last second
        { shop: TEST_SHOP, conversationId: "r7", createdAt: at(P - 1000), enrichedAt: at(P - 1000), urgentAt: at(P - 1000) }, // before both periods
      ],
    });
    await stack.db.orderStatusAnswer.create({ data: { shop: TEST_SHOP, messageKey: "m1", answeredAt: at(S + DAY) } });
    // Orders, as Shopify sends them (9001 above: customer 101, 59.90, the period's last second, within r1's window).
    const orders = [
      { id: 9002, customerId: 103, total: "25.00", createdAt: S + 5 * DAY }, // r4 + 7 days exactly: counts
      { id: 9003, customerId: 103, total: "999.00", createdAt: S + 5 * DAY + 1000 }, // one second later: does not
      { id: 9004, customerId: 104, total: "40.00", createdAt: P + 3 * DAY }, // previous period, after r5
      { id: 9005, customerId: null, total: "300.00", createdAt: S + DAY }, // a guest
      { id: 9006, customerId: 102, total: "80.00", createdAt: S + 2 * DAY - HOUR }, // before customer 102 chatted
      { id: 9007, customerId: 101, total: "15.00", createdAt: S + 7 * DAY }, // today: after the period
    ];
    for (const o of orders) {
      const payload = shopifyPayloads.orderCreated({ ...o, currency: "EUR", createdAt: new Date(o.createdAt).toISOString() });
      expect((await sendShopifyWebhook(stack.appUrl, shopifyDelivery("orders/create", TEST_SHOP, payload))).status).toBe(200);
    }
    // Refunds and cancellations arrive as orders/updated, and Shopify does not promise their order.
    // 9008: 80.00 after customer 102's chat, 60.00 refunded; the refund's update comes before the
    // order's create, and a stale update (before the refund) comes last: both change nothing.
    // 9009: 45.00 after customer 101's chat, then cancelled: left out of the figure.
    const iso = (ms: number) => new Date(ms).toISOString();
    const deliveries: Array<[ShopifyTopic, Parameters<typeof shopifyPayloads.orderCreated>[0]]> = [
      ["orders/updated", { id: 9008, customerId: 102, total: "80.00", currentTotal: "20.00", currency: "EUR", createdAt: iso(S + 3 * DAY), updatedAt: iso(S + 4 * DAY) }],
      ["orders/create", { id: 9008, customerId: 102, total: "80.00", currency: "EUR", createdAt: iso(S + 3 * DAY) }],
      ["orders/updated", { id: 9008, customerId: 102, total: "80.00", currency: "EUR", createdAt: iso(S + 3 * DAY), updatedAt: iso(S + 3 * DAY + HOUR) }],
      ["orders/create", { id: 9009, customerId: 101, total: "45.00", currency: "EUR", createdAt: iso(S + DAY) }],
      ["orders/updated", { id: 9009, customerId: 101, total: "45.00", currency: "EUR", createdAt: iso(S + DAY), updatedAt: iso(S + DAY + HOUR), cancelledAt: iso(S + DAY + HOUR) }],
    ];
    for (const [topic, order] of deliveries) {
      expect((await sendShopifyWebhook(stack.appUrl, shopifyDelivery(topic, TEST_SHOP, shopifyPayloads.orderCreated(order)))).status).toBe(200);
    }
    const changed = await stack.db.shopOrder.findMany({ where: { shop: TEST_SHOP, orderId: { in: ["9008", "9009"] } }, orderBy: { orderId: "asc" } });
    expect(changed.map((o) => [o.orderId, o.totalPrice, o.cancelledAt])).toEqual([["9008", "20.00", null], ["9009", "45.00", new Date(S + DAY + HOUR)]]);

    const { view } = await dashboard("?period=7");
    expect([view.timeZone, view.currencyCode, view.empty]).toEqual(["Asia/Kolkata", "EUR", false]);
    expect(view.oscarCards).toEqual([
      { label: "Conversations", value: "3", previous: "1", change: "+200 %", help: null },
      { label: "Average first response", value: "1 min", previous: "30 s", change: "+100 %", help: null },
      { label: "Average resolution time", value: "6 min", previous: "5 min", change: "+20 %", help: null },
      { label: "Resolved by the bot", value: "50 %", previous: "0 %", change: "new", help: null },
      { label: "CSAT", value: "4.5 / 5", previous: "3.0 / 5", change: "+50 %", help: null },
    ]);
    expect(view.appCards).toEqual([
      { label: "Assisted revenue", value: "€104.90", previous: "€40.00", change: "+162 %", help: "3 orders placed within 7 days after the customer's conversation. 1 cancelled order is not included; refunds are subtracted." },
      { label: "Escalations", value: "4", previous: "2", change: "+100 %", help: "Urgent keyword 1 · VIP customer 1 · Bot hand-off 2" },
      { label: "Conversations enriched", value: "2", previous: "3", change: "-33 %", help: "Conversations that got a private note with the customer's Shopify orders." },
      { label: "Order-status answers", value: "1", previous: "0", change: "new", help: "Signed-in shoppers told where their order is, without an agent." },
    ]);
    expect(view.escalations.current.map((e) => e.value)).toEqual([1, 1, 2]);
    expect(view.escalations.previous.map((e) => e.value)).toEqual([1, 1, 0]);
    expect(view.assistedByDay.current.map((d) => d.value)).toEqual([0, 0, 0, 20, 0, 25, 59.9]);
    expect(view.assistedByDay.previous.map((d) => d.value)).toEqual([0, 0, 0, 40, 0, 0, 0]);
  });

  it("shows a custom day against the day before, and refuses a period outside the kept data", async () => {
    const day = new Date(S + 5 * DAY + IST).toISOString().slice(0, 10);
    const { view } = await dashboard(`?period=custom&from=${day}&to=${day}`);
    expect(view.appCards[0]).toMatchObject({ value: "€25.00", previous: "€0.00" });
    const refused = await dashboard("?period=custom&from=2000-01-01&to=2000-01-02");
    expect(refused.periodProblem).toMatch(/^Data is kept from .* Showing the last 7 days\.$/);
    expect(refused.view.appCards[0].value).toBe("€104.90");
  });

  it("draws the charts in a real browser (screenshots/analytics-dashboard.png)", async () => {
    browser = await launchBrowser();
    const page = await newDesktopPage(browser);
    page.setDefaultTimeout(15_000);
    await page.setViewportSize({ width: 1280, height: 1000 });
    // Charts animate in; with reduced motion (which Polaris Viz honours) the picture is the final one.
    await page.emulateMedia({ reducedMotion: "reduce" });
    const errors = recordConsoleErrors(page);
    await page.goto(`${stack.appUrl}/sandbox`);
    await page.getByRole("link", { name: "Analytics" }).click();
    // The heading, not the text: once Polaris Viz has drawn, the chart's hidden table repeats it as a caption.
    await page.getByRole("heading", { name: "Assisted revenue by day" }).waitFor();
    // Polaris Viz replaces the server's tables with SVG charts once it has loaded in the browser; each
    // chart is then a figure named by a summary, its figures kept in a visually hidden table.
    await page.waitForFunction(() => document.querySelectorAll("figure[aria-label]").length === 2 && document.querySelectorAll("figure[aria-label] svg path").length > 5);
    expect(await page.locator(".Polaris-DataTable").count()).toBe(0);
    expect(await page.locator("figure[aria-label] table caption").allTextContents()).toEqual(["Assisted revenue by day", "Escalations by reason"]);
    await page.getByText("€104.90").first().waitFor();
    await screenshot(page, resolve("screenshots/analytics-dashboard.png"));
    expect(errors.filter((e) => e.url.startsWith(stack.appUrl) || e.url === "pageerror")).toEqual([]);
  }, 60_000);

  it("shows the app's own figures within seconds when Oscar is too slow to answer, and says why Oscar's are missing", async () => {
    oscar.setFaults({ latencyMs: 15_000 });
    try {
      const started = Date.now();
      // The last 30 days: a period no earlier view asked Oscar for (ended periods' answers are kept for minutes).
      const { view } = await dashboard("?period=30");
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(view.oscarCards).toBeNull();
      expect(view.oscarProblem).toMatch(/^Oscar's figures are unavailable right now \(.+\)\.$/);
      // The last 7 days' €104.90 and the €40.00 order of the 7 days before.
      expect(view.appCards[0].value).toBe("€144.90");
    } finally {
      oscar.setFaults({});
    }
  });

  it("customers/redact erases the customer's orders and the orders Shopify names", async () => {
    const payload = { ...shopifyPayloads.customersRedact(TEST_SHOP, { id: "103", email: "c103@example.com" }), orders_to_redact: [9005] };
    expect((await sendShopifyWebhook(stack.appUrl, shopifyDelivery("customers/redact", TEST_SHOP, payload))).status).toBe(200);
    const left = await stack.db.shopOrder.findMany({ where: { shop: TEST_SHOP }, orderBy: { orderId: "asc" } });
    expect(left.map((o) => o.orderId)).toEqual(["9001", "9004", "9006", "9007", "9008", "9009"]);
  });
});
