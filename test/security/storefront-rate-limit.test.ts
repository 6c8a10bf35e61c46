import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedAppProxyUrl } from "../harness/app-proxy";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";

const numericId = (gid: string) => gid.split("/").pop()!;

/**
 * Issue 17: the identity endpoint had no rate limit, and each call is an Admin API query. Per shop,
 * 60 requests a minute per shopper address (X-Forwarded-For from Shopify's proxy, else the socket)
 * and 20 per customer; beyond that 429 with Retry-After and no Admin API query. Real HTTP on the
 * built server, counted in Redis.
 */
describe("rate limits on the storefront identity endpoint", () => {
  let stack: AppStack;
  const lookups = () => stack.fakeAdmin.requests.filter((r) => r.operationName === "StorefrontCustomer").length;
  const ask = (options: { customerId?: string; ip?: string }) =>
    fetch(signedAppProxyUrl(stack.appUrl, { customerId: options.customerId }), { headers: options.ip ? { "X-Forwarded-For": options.ip } : {} });

  async function statuses(count: number, options: { customerId?: string; ip?: (i: number) => string | undefined }) {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const response = await ask({ customerId: options.customerId, ip: options.ip?.(i) });
      await response.arrayBuffer();
      out.push(response.status);
    }
    return out;
  }

  beforeAll(async () => {
    stack = await startAppStack({ label: "storefront-rate-limit" });
    await installShop(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("answers 429 with Retry-After to the 61st request from one shopper address in a minute", async () => {
    expect(await statuses(60, { ip: () => "203.0.113.7" })).toEqual(Array(60).fill(200));
    const limited = await ask({ ip: "203.0.113.7" });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ identity: null });
    // Another shopper is not held up by the first.
    expect((await ask({ ip: "198.51.100.20" })).status).toBe(200);
  });

  it("limits one customer to 20 identities a minute whatever address they come from, before any Admin query", async () => {
    const maya = numericId(stack.fakeAdmin.store(TEST_SHOP).customers[0].id);
    const before = lookups();
    expect(await statuses(20, { customerId: maya, ip: (i) => `192.0.2.${i + 1}` })).toEqual(Array(20).fill(200));
    const limited = await ask({ customerId: maya, ip: "192.0.2.200" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(lookups() - before).toBe(20);
  });

  it("falls back to the socket's address when no X-Forwarded-For is sent", async () => {
    expect(await statuses(60, {})).toEqual(Array(60).fill(200));
    expect((await ask({})).status).toBe(429);
    expect((await ask({ ip: "198.51.100.21" })).status).toBe(200);
  });
});
