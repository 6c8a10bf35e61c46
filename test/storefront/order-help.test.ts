import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDER_HELP_TTL_SECONDS } from "../../app/services/order-help.server";
import { signShopperIdentity, verifyShopperIdentity } from "../../app/storefront/identity.server";
import { buildUiExtensions } from "../../scripts/build-ui-extensions";
import { customerAccountSessionToken, startCustomerAccountHost, type CustomerAccountHost } from "../../sim/customer-account/host";
import type { OscarSimulator } from "../../sim/oscar/server";
import type { OrderFixture } from "../../sim/shopify-admin/fixtures";
import { BROWSER_UA, TEST_API_KEY, TEST_API_SECRET, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { launchBrowser, newDesktopPage, screenshot } from "../harness/browser";
import { startConnectedStack } from "../harness/oscar-webhook";
import { waitFor } from "../harness/wait";
import { startStorefront, type Storefront } from "./storefront-site";

const OSCAR_KEY = "osk_test_order_help_0001";
/** A second store with the app installed: its customers and orders are not the test shop's. */
const OTHER_SHOP = "another-maple-store.myshopify.com";
const numeric = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/**
 * "Get help with this order" on the order status page, end to end: the block (built from
 * extensions/order-help) in a customer-accounts stand-in, the app's /customer-account/order-help route,
 * the storefront embed, the Oscar simulator's widget and the app's worker writing the agent's note.
 */
describe("get help with this order, from the order status page to the agent's note", () => {
  let stage: Awaited<ReturnType<typeof startConnectedStack>>;
  let oscar: OscarSimulator;
  let stack: AppStack;
  let site: Storefront;
  let host: CustomerAccountHost;
  let browser: Browser;
  let scratch: string;
  let maya: { id: string; email: string; displayName: string };
  let mayasOrder: OrderFixture;
  let liamsOrder: OrderFixture;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stage = await startConnectedStack({ label: "order-help", oscarKey: OSCAR_KEY, worker: true, oscarOptions: { delivery: "calm" }, otherShops: [OTHER_SHOP] });
    ({ oscar, stack } = stage);
    const store = stack.fakeAdmin.store(TEST_SHOP);
    const [first, second] = store.customers;
    maya = first;
    const newest = (customerId: string) => store.orders.filter((o) => o.customerId === customerId).sort((a, b) => b.processedAt.localeCompare(a.processedAt))[0];
    mayasOrder = newest(first.id);
    liamsOrder = newest(second.id);
    expect(mayasOrder && liamsOrder).toBeTruthy(); // the fixture gives both customers a recent order
    scratch = mkdtempSync(join(tmpdir(), "order-help-"));
    // The block as `npm run build` bundles it, with this stack's URL written in.
    const [built] = await buildUiExtensions({ root: resolve("."), outDir: scratch, appUrl: stack.appUrl, handles: ["order-help"] });
    const bundlePath = built!.file;
    [browser, site] = await Promise.all([
      launchBrowser(),
      startStorefront({
        loaderUrl: oscar.widgetLoaderUrl,
        widgetId: oscar.accountFor(OSCAR_KEY).widgetIds[0],
        appProxy: { appUrl: stack.appUrl, shop: TEST_SHOP, apiSecret: TEST_API_SECRET },
      }),
    ]);
    host = await startCustomerAccountHost({
      shop: TEST_SHOP,
      shopName: "Maple & Thread",
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      storefrontUrl: site.url,
      customer: { id: maya.id, name: maya.displayName },
      orders: store.orders.filter((o) => o.customerId === maya.id).map((o) => ({ id: o.id, name: o.name, processedAt: o.processedAt })),
      bundlePath,
    });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await host?.close();
    await site?.close();
    await stage?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  async function desktopPage(): Promise<Page> {
    const page = await newDesktopPage(browser);
    contexts.push(page.context());
    return page;
  }
  const block = (page: Page) => page.frameLocator('iframe[title="Get help with this order (app block)"]');
  const chat = (page: Page) => page.getByRole("dialog", { name: "Chat" });
  const requestsToApp = (page: Page) => {
    const seen: string[] = [];
    page.context().on("request", (request) => {
      if (request.url().startsWith(stack.appUrl)) seen.push(request.url());
    });
    return seen;
  };
  const noteOf = async (conversationId: string) => {
    const [note] = await waitFor("the agent's note", () => oscar.inspect.notes(conversationId).length > 0 && oscar.inspect.notes(conversationId), 30_000);
    return note.content ?? "";
  };

  it("opens the store's chat for a signed-in customer with her order, and the agent's note names it (screenshots/order-help-block.png, order-help-chat.png)", async () => {
    const page = await desktopPage();
    await page.goto(host.orderStatusUrl(mayasOrder.id));
    await block(page).getByRole("button", { name: "Get help with this order" }).click();
    const openChat = block(page).getByRole("link", { name: "Open the chat" });
    await openChat.waitFor({ timeout: 15_000 });
    await expect(block(page).getByText(`Order ${mayasOrder.name} is ready to share with our team.`).count()).resolves.toBe(1);
    await screenshot(page, resolve("screenshots/order-help-block.png"));

    const [storefront] = await Promise.all([page.context().waitForEvent("page"), openChat.click()]);
    const message = chat(storefront).getByRole("textbox", { name: "Message" });
    await waitFor("the chat open with the order's question", async () => (await message.inputValue().catch(() => "")) === `I need help with order ${mayasOrder.name}.`, 30_000);
    // The hand-off is taken out of the address bar: not kept in a bookmark or a link the shopper shares.
    expect(new URL(storefront.url()).hash).toBe("");
    const before = oscar.state.conversationsOf(oscar.accountFor(OSCAR_KEY).keyId).length;
    await chat(storefront).getByRole("button", { name: "Send" }).click();
    const conversation = await waitFor("the conversation", () => oscar.state.conversationsOf(oscar.accountFor(OSCAR_KEY).keyId)[before], 30_000);

    const note = await noteOf(conversation.id);
    expect(note).toContain("Signed-in customer");
    expect(note).toContain(`Asking about order [\\${mayasOrder.name}](https://admin.shopify.com/store/${TEST_SHOP.replace(".myshopify.com", "")}/orders/${numeric(mayasOrder.id)})`);
    // The contact is updated after the note: read it once the enrichment is recorded.
    await waitFor("the enrichment recorded", async () => (await stack.db.conversationRecord.findFirst({ where: { shop: TEST_SHOP, conversationId: conversation.id } }))?.enrichedAt, 30_000);
    const contact = oscar.inspect.contact(conversation.contactId);
    expect(contact.custom_attributes.shopify_identity).toBe("verified");
    expect(contact.custom_attributes.user_id).toBe(numeric(maya.id));
    await screenshot(storefront, resolve("screenshots/order-help-chat.png"));
  });

  it("shows a buyer who is not signed in a sign-in prompt, and asks the app nothing (screenshots/order-help-sign-in.png)", async () => {
    const page = await desktopPage();
    const toApp = requestsToApp(page);
    await page.goto(host.orderStatusUrl(mayasOrder.id, { signedIn: false }));
    await block(page).getByRole("button", { name: "Sign in" }).waitFor({ timeout: 15_000 });
    expect(await block(page).getByText("Sign in to get help with this order in the chat.").count()).toBe(1);
    expect(await block(page).getByRole("button", { name: "Get help with this order" }).count()).toBe(0);
    expect(await block(page).locator("body").innerText()).not.toContain(mayasOrder.name);
    await screenshot(page, resolve("screenshots/order-help-sign-in.png"));
    expect(toApp).toEqual([]);

    // Shopify's sign-in (the stand-in's requireLogin) brings her back signed in, with the button.
    await block(page).getByRole("button", { name: "Sign in" }).click();
    await block(page).getByRole("button", { name: "Get help with this order" }).waitFor({ timeout: 15_000 });
  });

  describe("the app's endpoint", () => {
    const endpoint = () => `${stack.appUrl}/customer-account/order-help`;
    const ask = (orderId: string, authorization?: string) =>
      fetch(endpoint(), {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": BROWSER_UA, Origin: "https://extensions.shopifycdn.com", ...(authorization ? { Authorization: authorization } : {}) },
        body: JSON.stringify({ order_id: orderId }),
      });
    const tokenFor = (claims: Partial<Parameters<typeof customerAccountSessionToken>[0]> = {}) =>
      `Bearer ${customerAccountSessionToken({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, shop: TEST_SHOP, customerGid: maya.id, ...claims })}`;

    it("mints a hand-off for the signed-in customer's own order that verifies as her identity with that order", async () => {
      const response = await ask(mayasOrder.id, tokenFor());
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      const body = (await response.json()) as { token: string; order_name: string; expires_at: number };
      expect(body.order_name).toBe(mayasOrder.name);
      expect(body.expires_at - Date.now() / 1000).toBeLessThanOrEqual(ORDER_HELP_TTL_SECONDS);
      expect(verifyShopperIdentity({ secret: TEST_API_SECRET, token: body.token, shop: TEST_SHOP, now: new Date(), customerId: numeric(maya.id), email: maya.email })).toEqual({
        verified: true,
        customerId: numeric(maya.id),
        order: { id: numeric(mayasOrder.id), name: mayasOrder.name },
      });
    });

    it.each([
      ["no session token", () => undefined, 401],
      ["a session token signed with another secret", () => tokenFor({ apiSecret: "someone-elses-secret-000000000000" }), 401],
      ["a session token for another app", () => tokenFor({ apiKey: "another-app" }), 401],
      ["an expired session token", () => tokenFor({ now: new Date(Date.now() - 3_600_000) }), 401],
      ["a buyer who is not signed in (no sub)", () => tokenFor({ customerGid: undefined }), 403],
      ["a shop that has not installed the app", () => tokenFor({ shop: "someone-else.myshopify.com" }), 403],
    ])("refuses %s, naming no order", async (_case, authorization, status) => {
      const response = await ask(mayasOrder.id, authorization());
      expect(response.status).toBe(status);
      const text = await response.text();
      expect(text).not.toContain(mayasOrder.name);
      expect(text).not.toContain("token\":");
    });

    it("looks the order up only in the shop the session token names", async () => {
      // Maya's customer and order ids, presented by a session token from another store that has the app.
      const response = await ask(mayasOrder.id, tokenFor({ shop: OTHER_SHOP }));
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("token\":");
      // The same route serves that store's own customer, with a hand-off that is good only for that store.
      const theirs = stack.fakeAdmin.store(OTHER_SHOP).orders.filter((o) => o.customerId).sort((a, b) => b.processedAt.localeCompare(a.processedAt))[0];
      const answer = await ask(theirs.id, tokenFor({ shop: OTHER_SHOP, customerGid: theirs.customerId! }));
      expect(answer.status).toBe(200);
      const { token } = (await answer.json()) as { token: string };
      expect(verifyShopperIdentity({ secret: TEST_API_SECRET, token, shop: OTHER_SHOP, now: new Date() })).toMatchObject({ verified: true, order: { name: theirs.name } });
      expect(verifyShopperIdentity({ secret: TEST_API_SECRET, token, shop: TEST_SHOP, now: new Date() })).toEqual({ verified: false, reason: "bad-signature" });
    });

    it("refuses another customer's order and an unknown one alike", async () => {
      const other = await ask(liamsOrder.id, tokenFor());
      const unknown = await ask("gid://shopify/Order/999999999999", tokenFor());
      expect([other.status, unknown.status]).toEqual([404, 404]);
      const [otherBody, unknownBody] = [await other.json(), await unknown.json()];
      expect(otherBody).toEqual(unknownBody);
      expect(JSON.stringify(otherBody)).not.toContain(liamsOrder.name);
    });
  });

  describe("what the worker names", () => {
    async function noteFor(attributes: Record<string, unknown>) {
      const { conversationId } = oscar.scenario.shopperOpensConversation({ email: maya.email, name: "Shopper", customAttributes: attributes });
      return noteOf(conversationId);
    }
    const orderToken = (overrides: Partial<Parameters<typeof signShopperIdentity>[0]> = {}) =>
      signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId: numeric(maya.id), email: maya.email, now: new Date(), ttlSeconds: ORDER_HELP_TTL_SECONDS, order: { id: mayasOrder.id, name: mayasOrder.name }, ...overrides });

    it.each([
      ["an expired hand-off", () => orderToken({ now: new Date(Date.now() - 2 * ORDER_HELP_TTL_SECONDS * 1000) })],
      ["a hand-off signed with another app's secret", () => orderToken({ secret: "someone-elses-secret-000000000000" })],
      ["a hand-off for another shop", () => orderToken({ shop: "someone-else.myshopify.com" })],
      [
        "a hand-off edited to name another customer's order",
        () => {
          const [version, payload, mac] = orderToken().split(".");
          const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
          const edited = Buffer.from(JSON.stringify({ ...claims, oid: numeric(liamsOrder.id), onm: liamsOrder.name })).toString("base64url");
          return `${version}.${edited}.${mac}`;
        },
      ],
    ])("names no order for %s", async (_case, token) => {
      const note = await noteFor({ oscar_identity: token(), user_id: numeric(maya.id) });
      // Her email still matches her as a lead for agents ("Not verified", with her orders), never as the order in question.
      expect(note).not.toContain("Asking about order");
      expect(note).not.toContain("Signed-in customer");
      expect(note).not.toContain(liamsOrder.name);
    });

    it("names the order for a valid hand-off, and none for her ordinary storefront identity", async () => {
      expect(await noteFor({ oscar_identity: orderToken(), user_id: numeric(maya.id) })).toContain(`Asking about order [\\${mayasOrder.name}]`);
      const plain = await noteFor({ oscar_identity: signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId: numeric(maya.id), email: maya.email, now: new Date() }), user_id: numeric(maya.id) });
      expect(plain).toContain("Signed-in customer");
      expect(plain).not.toContain("Asking about order");
    });
  });
});
