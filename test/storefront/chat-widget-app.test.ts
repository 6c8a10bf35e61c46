import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveOrderStatusSettings } from "../../app/models/order-status-settings.server";
import { SIGN_IN_TO_SEE_ORDERS } from "../../app/services/order-status.server";
import { verifyShopperIdentity } from "../../app/storefront/identity.server";
import type { OscarSimulator } from "../../sim/oscar/server";
import { TEST_API_SECRET, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { launchBrowser } from "../harness/browser";
import { startConnectedStack } from "../harness/oscar-webhook";
import { waitFor } from "../harness/wait";
import { startStorefront, type Storefront } from "./storefront-site";

const OSCAR_KEY = "osk_test_chat_widget_app_01";

/**
 * The whole shopper side with the real app: the storefront acts as Shopify's app proxy (signed
 * requests to app/routes/proxy.identity.tsx), the simulator's widget identifies the shopper with what
 * the app signed, and the app's worker answers the order question in the chat.
 */
describe("the chat widget with the real app behind the storefront", () => {
  let stage: Awaited<ReturnType<typeof startConnectedStack>>;
  let oscar: OscarSimulator;
  let stack: AppStack;
  let site: Storefront;
  let browser: Browser;
  let widgetId: string;
  let maya: { id: string; email: string };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stage = await startConnectedStack({ label: "chat-widget-app", oscarKey: OSCAR_KEY, worker: true, oscarOptions: { delivery: "calm" } });
    ({ oscar, stack } = stage);
    await saveOrderStatusSettings(stack.db, TEST_SHOP, { enabled: true, sharedFields: ["status", "tracking"] });
    const customer = stack.fakeAdmin.store(TEST_SHOP).customers[0];
    maya = { id: customer.id.split("/").pop()!, email: customer.email };
    widgetId = oscar.accountFor(OSCAR_KEY).widgetIds[0];
    [browser, site] = await Promise.all([
      launchBrowser(),
      startStorefront({
        loaderUrl: oscar.widgetLoaderUrl,
        widgetId,
        appProxy: { appUrl: stack.appUrl, shop: TEST_SHOP, apiSecret: TEST_API_SECRET },
        customer: { id: Number(maya.id), email: customer.email, first_name: customer.firstName, last_name: customer.lastName, name: customer.displayName },
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await site?.close();
    await stage?.close();
  });

  const chat = (page: Page) => page.getByRole("dialog", { name: "Chat" });
  const messages = (page: Page, author: "shopper" | "bot" | "agent") => chat(page).getByRole("log").locator(`[data-author="${author}"]`);

  async function askWhereMyOrderIs(page: Page, pageUrl: string) {
    await page.goto(pageUrl);
    await page.keyboard.press("Shift");
    await page.getByRole("button", { name: "Open chat" }).click();
    await chat(page).getByRole("textbox", { name: "Message" }).fill("Where is my order?");
    await chat(page).getByRole("button", { name: "Send" }).click();
    const reply = messages(page, "agent").first();
    await reply.waitFor({ timeout: 30_000 });
    const conversation = oscar.state.conversationsOf(oscar.accountFor(OSCAR_KEY).keyId).at(-1)!;
    await waitFor("the enrichment recorded", async () => (await stack.db.conversationRecord.findFirst({ where: { shop: TEST_SHOP, conversationId: conversation.id } }))?.enrichedAt, 30_000);
    return { reply: await reply.innerText(), contact: oscar.inspect.contact(conversation.contactId), conversationId: conversation.id };
  }

  it("identifies a signed-in shopper with the app's signed identity, so the app answers her order question; after log-out the next chat carries none", async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const before = site.identityRequests();

    const signedIn = await askWhereMyOrderIs(page, site.pageUrl("product", { loggedIn: true }));
    expect(site.identityRequests() - before).toBe(1);
    const attributes = signedIn.contact.custom_attributes as Record<string, string>;
    expect(attributes.user_id).toBe(maya.id);
    expect(signedIn.contact.email).toBe(maya.email);
    // Signed by the real app proxy route with the app's secret for this shop and customer.
    expect(verifyShopperIdentity({ secret: TEST_API_SECRET, token: attributes.oscar_identity, shop: TEST_SHOP, now: new Date(), customerId: maya.id, email: maya.email })).toMatchObject({ verified: true });
    expect(attributes.shopify_identity).toBe("verified");
    expect(signedIn.reply).toMatch(/^Here is the latest on order #\d+/);
    // The order question was the app's: the bot did not answer it.
    expect(await messages(page, "bot").count()).toBe(0);

    // Logged out on the same device: the page clears the identity, the widget forgets her conversation.
    await page.goto(site.pageUrl("product"));
    await page.keyboard.press("Shift");
    await waitFor("the stored conversation forgotten", () => page.evaluate((key) => localStorage.getItem(key) === null, `oscar-sim-chat:${widgetId}`));
    await page.getByRole("button", { name: "Open chat" }).click();
    expect(await chat(page).getByRole("log").locator("[data-author]").count()).toBe(0);

    const visitor = await askWhereMyOrderIs(page, site.pageUrl("product"));
    expect(visitor.conversationId).not.toBe(signedIn.conversationId);
    expect(visitor.contact.email).toBeNull();
    expect(visitor.contact.custom_attributes).not.toHaveProperty("oscar_identity");
    expect(visitor.contact.custom_attributes).not.toHaveProperty("user_id");
    expect(visitor.reply).toBe(SIGN_IN_TO_SEE_ORDERS.replace(/<\/?p>/g, ""));
    expect(site.identityRequests() - before).toBe(1);
  });
});
