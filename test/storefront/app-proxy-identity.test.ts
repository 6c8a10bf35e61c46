import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHostParam } from "../../app/sandbox/session-token.server";
import { verifyShopperIdentity } from "../../app/storefront/identity.server";
import { signedAppProxyUrl } from "../harness/app-proxy";
import { BROWSER_UA, startAppStack, TEST_API_KEY, TEST_API_SECRET, TEST_SHOP, type AppStack } from "../harness/app-stack";

const appProxyUrl = (stack: AppStack, options?: Parameters<typeof signedAppProxyUrl>[1]) => signedAppProxyUrl(stack.appUrl, options);

const numericId = (gid: string) => gid.split("/").pop()!;

describe("the storefront's identity endpoint behind Shopify's app proxy", () => {
  let stack: AppStack;
  let maya: { id: string; email: string; name: string };
  let liam: { id: string; email: string };

  beforeAll(async () => {
    stack = await startAppStack({ label: "proxy-identity" });
    const customers = stack.fakeAdmin.store(TEST_SHOP).customers;
    maya = { id: numericId(customers[0].id), email: customers[0].defaultEmailAddress.emailAddress, name: `${customers[0].firstName} ${customers[0].lastName}` };
    liam = { id: numericId(customers[1].id), email: customers[1].defaultEmailAddress.emailAddress };
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function install() {
    // getJwt takes the store's name and adds .myshopify.com itself.
    const { token } = await getJwt(TEST_SHOP.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET);
    const params = new URLSearchParams({ embedded: "1", shop: TEST_SHOP, host: adminHostParam(TEST_SHOP), id_token: token });
    const response = await fetch(`${stack.appUrl}/app?${params}`, { headers: { "User-Agent": BROWSER_UA } });
    expect(response.status).toBe(200);
  }

  it("identifies nobody for a shop that has not installed the app", async () => {
    const response = await fetch(appProxyUrl(stack, { customerId: maya.id }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ identity: null });
  });

  it("refuses a request Shopify did not sign, or whose customer was swapped after signing", async () => {
    await install();
    const forged = await fetch(appProxyUrl(stack, { customerId: maya.id, secret: "not-the-app-secret" }));
    expect(forged.status).toBe(400);
    const swapped = await fetch(appProxyUrl(stack, { customerId: liam.id, tamper: (p) => p.set("logged_in_customer_id", maya.id) }));
    expect(swapped.status).toBe(400);
    const unsigned = await fetch(`${stack.appUrl}/proxy/identity?shop=${TEST_SHOP}&logged_in_customer_id=${maya.id}`);
    expect(unsigned.status).toBe(400);
    for (const response of [forged, swapped, unsigned]) expect(await response.text()).not.toContain(maya.email);
    expect(stack.fakeAdmin.requests.filter((r) => r.operationName === "StorefrontCustomer")).toHaveLength(0);
  });

  it("answers a visitor who is not logged in with no identity and nothing personal", async () => {
    const response = await fetch(appProxyUrl(stack, { customerId: "" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(await response.json()).toEqual({ identity: null });
    const notAnId = await fetch(appProxyUrl(stack, { customerId: "gid://shopify/Customer/1 OR 1=1" }));
    expect(await notAnId.json()).toEqual({ identity: null });
    expect(stack.fakeAdmin.requests.filter((r) => r.operationName === "StorefrontCustomer")).toHaveLength(0);
  });

  it("answers a logged-in customer with who they are, a token that proves only them and its expiry", async () => {
    const response = await fetch(appProxyUrl(stack, { customerId: maya.id }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const asked = Math.floor(Date.now() / 1000);
    const body = (await response.json()) as { identity: Record<string, unknown> & { oscar_identity: string }; expires_at: number };
    const { identity } = body;
    // Who they are and the signature; no orders, spend or internal tags ("VIP") reach the browser.
    expect(Object.keys(body).sort()).toEqual(["expires_at", "identity"]);
    expect(identity).toEqual({ user_id: maya.id, email: maya.email, name: maya.name, oscar_identity: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain("VIP");
    expect(body.expires_at - asked).toBeGreaterThanOrEqual(30 * 60 - 5);
    expect(body.expires_at - asked).toBeLessThanOrEqual(30 * 60 + 5);

    const now = new Date();
    const token = identity.oscar_identity;
    expect(verifyShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, token, now, customerId: maya.id, email: maya.email })).toEqual({ verified: true, customerId: maya.id, order: null });
    expect(verifyShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, token, now, customerId: liam.id }).verified).toBe(false);
    expect(verifyShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, token, now, email: liam.email }).verified).toBe(false);
    expect(verifyShopperIdentity({ secret: TEST_API_SECRET, shop: "another-store.myshopify.com", token, now }).verified).toBe(false);

    const lookups = stack.fakeAdmin.requests.filter((r) => r.operationName === "StorefrontCustomer");
    expect(lookups.map((r) => r.variables)).toEqual([{ id: `gid://shopify/Customer/${maya.id}` }]);
  });

  it("identifies nobody when the logged-in customer no longer exists", async () => {
    const response = await fetch(appProxyUrl(stack, { customerId: "999" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ identity: null });
  });

  it("answers 503 without identity when Shopify's Admin API will not answer", async () => {
    stack.fakeAdmin.setThrottle({ maximumAvailable: 0, currentlyAvailable: 0, restoreRate: 0 }, TEST_SHOP);
    try {
      const response = await fetch(appProxyUrl(stack, { customerId: maya.id }));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ identity: null });
      await expect.poll(() => stack.app.output()).toContain("shopper identity unavailable");
    } finally {
      stack.fakeAdmin.setThrottle({ maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 }, TEST_SHOP);
    }
  });

  it("keeps the customer's email and name out of the app's logs", () => {
    const logs = stack.app.output();
    expect(logs).toContain("/proxy/identity");
    expect(logs).not.toContain(maya.email);
    expect(logs).not.toContain(maya.name);
  });
});
