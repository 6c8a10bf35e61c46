import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedAppProxyUrl } from "../harness/app-proxy";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";

const numericId = (gid: string) => gid.split("/").pop()!;

/**
 * Issue 17: Shopify's library refuses a repeated shop, signature or timestamp, not a repeated
 * `logged_in_customer_id`, and Shopify signs repeated values joined by commas. A shopper who adds
 * their own `logged_in_customer_id` to the storefront URL must not become anyone: two values, even
 * equal ones, answer 400 with no identity and no Admin API query. Real HTTP on the built server.
 */
describe("a repeated logged_in_customer_id on a correctly signed app proxy request", () => {
  let stack: AppStack;
  const lookups = () => stack.fakeAdmin.requests.filter((r) => r.operationName === "StorefrontCustomer").length;

  beforeAll(async () => {
    stack = await startAppStack({ label: "repeated-proxy-parameter" });
    await installShop(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each([
    ["the victim's id before the shopper's own", (victim: string, own: string) => ({ customerId: own, extra: [["logged_in_customer_id", victim]] as Array<[string, string]> })],
    ["the victim's id with no one logged in", (victim: string) => ({ customerId: "", extra: [["logged_in_customer_id", victim]] as Array<[string, string]> })],
    ["the same id twice", (_victim: string, own: string) => ({ customerId: own, extra: [["logged_in_customer_id", own]] as Array<[string, string]> })],
  ])("identifies nobody for %s", async (_case, build) => {
    const [victim, own] = stack.fakeAdmin.store(TEST_SHOP).customers;
    const before = lookups();
    const response = await fetch(signedAppProxyUrl(stack.appUrl, build(numericId(victim.id), numericId(own.id))));
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = (await response.json()) as { identity: unknown };
    expect(body.identity).toBeNull();
    expect(JSON.stringify(body)).not.toContain(victim.defaultEmailAddress.emailAddress);
    expect(lookups()).toBe(before);
  });

  it("still identifies the one customer Shopify names", async () => {
    const [, own] = stack.fakeAdmin.store(TEST_SHOP).customers;
    const response = await fetch(signedAppProxyUrl(stack.appUrl, { customerId: numericId(own.id) }));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { identity: { user_id: string } }).identity.user_id).toBe(numericId(own.id));
  });
});
