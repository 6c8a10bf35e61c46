import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";

/** `/` is public: another site must not be able to frame it to trick a merchant into clicks. */
describe("the app's root page on the built server", () => {
  let stack: AppStack;
  beforeAll(async () => {
    stack = await startAppStack({ label: "root-page-headers" });
  });
  afterAll(() => stack?.close());

  it("may not be framed by anyone when no shop is named", async () => {
    const response = await fetch(`${stack.appUrl}/`, { headers: { "User-Agent": BROWSER_UA } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
  });

  it("may be framed only by the shop's admin when Shopify names the shop, as the app's pages", async () => {
    const response = await fetch(`${stack.appUrl}/?shop=${TEST_SHOP}`, { headers: { "User-Agent": BROWSER_UA }, redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("content-security-policy")).toBe(
      `frame-ancestors https://${TEST_SHOP} https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev;`,
    );
  });

  it("never writes Oscar's ingest key into the access log", async () => {
    const key = "AccessLogKey_0123456789abcdef";
    for (const path of [`/webhooks/oscar/${key}`, `/Webhooks/Oscar/${key}`]) {
      const response = await fetch(`${stack.appUrl}${path}`, { headers: { "User-Agent": BROWSER_UA } });
      await response.body?.cancel();
    }
    const logged = () => stack.app.output().split("\n").filter((line) => /^GET \/webhooks\/oscar\//i.test(line));
    const { waitFor } = await import("../harness/wait");
    await waitFor("two access log lines for the ingest path", () => logged().length >= 2);
    expect(logged().every((line) => line.startsWith("GET /webhooks/oscar/[ingest key] "))).toBe(true);
    expect(stack.app.output()).not.toContain(key);
  });
});
