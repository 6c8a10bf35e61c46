import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { sendShopifyWebhook, shopifyDelivery, type ShopifyTopic } from "../harness/shopify-webhooks";
import { dumpRedis, dumpTables } from "../harness/stored-data";

/**
 * A Shopify webhook with a valid HMAC whose body is not JSON: no retry would ever parse it, so the app
 * acknowledges it (Shopify would otherwise retry a 500 for days), records nothing, and logs only the
 * topic and shop, never the body.
 */
describe("a signed Shopify webhook whose body is not JSON", () => {
  let stack: AppStack;
  // Truncated JSON carrying customer data the log must not repeat.
  const BODY = '{"id": 9001, "email": "private-shopper@example.com", "customer": {"first_name": "Secretia"';

  beforeAll(async () => {
    stack = await startAppStack({ label: "malformed-webhooks" });
    await installShop(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  // What the app holds; TTLs tick on their own and are left out, and so is each BullMQ queue's `meta`
  // hash, which the web process writes when it first connects a queue (on its first webhook), not per delivery.
  const stored = async () => ({
    tables: await dumpTables(stack.db),
    redis: (await dumpRedis(stack)).filter(({ key }) => !key.endsWith(":meta")).map(({ key, values }) => ({ key, values })),
  });

  it.each<ShopifyTopic>(["orders/create", "customers/redact", "products/update", "app/uninstalled"])("is acknowledged on %s, and nothing is recorded", async (topic) => {
    const before = await stored();
    const logged = stack.app.output().length;

    const delivery = { ...shopifyDelivery(topic, TEST_SHOP, {}), body: BODY };
    expect((await sendShopifyWebhook(stack.appUrl, delivery)).status).toBe(200);
    // Not marked handled either: a retry (same ids) is acknowledged the same way.
    expect((await sendShopifyWebhook(stack.appUrl, delivery)).status).toBe(200);

    expect(await stored()).toEqual(before);
    const log = stack.app.output().slice(logged);
    expect(log).toContain("body that is not JSON");
    expect(log).toContain(topic);
    expect(log).toContain(TEST_SHOP);
    expect(log).not.toMatch(/private-shopper|Secretia/);
  });

  it("still refuses the same body with a bad signature", async () => {
    const delivery = { ...shopifyDelivery("orders/create", TEST_SHOP, {}), body: BODY };
    expect((await sendShopifyWebhook(stack.appUrl, delivery, { secret: "not-the-app-secret-000000000000" })).status).toBe(401);
  });
});
