// Runs the fake Shopify Admin API on its own, for the sandbox and for poking at it with curl:
//   SHOPIFY_FAKE_PORT (4100), SANDBOX_SHOP (oscar-sandbox.myshopify.com), SHOPIFY_API_SECRET,
//   SHOPIFY_API_KEY (optional), SHOPIFY_FAKE_ACCEPT_ANY_TOKEN=1 to skip token checks.
import { pino } from "pino";
import { createStoreFixture } from "./fixtures";
import { startFakeShopifyAdmin } from "./server";

const port = Number(process.env.SHOPIFY_FAKE_PORT ?? 4100);
const shop = process.env.SANDBOX_SHOP ?? "oscar-sandbox.myshopify.com";
const logger = pino({ name: "fake-shopify-admin", level: process.env.LOG_LEVEL ?? "info" });

const admin = await startFakeShopifyAdmin({
  port,
  host: "127.0.0.1",
  apiKey: process.env.SHOPIFY_API_KEY || undefined,
  apiSecret: process.env.SHOPIFY_API_SECRET || undefined,
  acceptAnyToken: process.env.SHOPIFY_FAKE_ACCEPT_ANY_TOKEN === "1",
  stores: { [shop]: createStoreFixture({ shopDomain: shop, now: new Date() }) },
  logger,
});
process.stdout.write(`Fake Shopify Admin API for ${shop} listening on ${admin.url}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void admin.close().then(() => process.exit(0));
  });
}
