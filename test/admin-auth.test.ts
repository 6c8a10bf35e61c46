import { getJwt } from "@shopify/shopify-api/test-helpers";
import { adminHostParam } from "../app/sandbox/session-token.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, startAppStack, TEST_API_KEY, TEST_API_SECRET, TEST_SHOP, type AppStack } from "./harness/app-stack";

async function sessionToken(secret = TEST_API_SECRET) {
  // getJwt takes the store's name and adds .myshopify.com itself.
  const { token } = await getJwt(TEST_SHOP.replace(".myshopify.com", ""), TEST_API_KEY, secret);
  return token;
}

function embeddedUrl(stack: AppStack, path: string, idToken?: string) {
  const params = new URLSearchParams({ embedded: "1", shop: TEST_SHOP, host: adminHostParam(TEST_SHOP) });
  if (idToken) params.set("id_token", idToken);
  return `${stack.appUrl}${path}?${params}`;
}

async function waitFor<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("embedded admin authentication and install", () => {
  let stack: AppStack;
  beforeAll(async () => {
    stack = await startAppStack({ label: "admin-auth" });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("refuses a session token signed with another secret the way the library specifies", async () => {
    const forged = await sessionToken("some-other-apps-secret-0000000000");

    // A document load is sent to the session-token bounce page to fetch a fresh token, never rendered.
    const page = await fetch(embeddedUrl(stack, "/app", forged), { headers: { "User-Agent": BROWSER_UA }, redirect: "manual" });
    expect(page.status).toBe(302);
    const location = new URL(page.headers.get("location")!, stack.appUrl);
    expect(location.pathname).toBe("/auth/session-token");
    expect(location.searchParams.get("id_token")).toBeNull();

    // A data request carrying the token is answered 401 and told to retry with a new token.
    const data = await fetch(`${stack.appUrl}/app?_data=routes%2Fapp._index`, {
      headers: { "User-Agent": BROWSER_UA, Authorization: `Bearer ${forged}` },
    });
    expect(data.status).toBe(401);
    expect(data.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");

    // Nothing was installed on the strength of the forged token.
    expect(await stack.db.shop.count()).toBe(0);
    expect(await stack.db.session.count()).toBe(0);
    expect(stack.fakeAdmin.requests.filter((r) => r.path.includes("oauth"))).toHaveLength(0);
  });

  it("installs on the first valid session token, then the worker stores the shop's details", async () => {
    const response = await fetch(embeddedUrl(stack, "/app", await sessionToken()), { headers: { "User-Agent": BROWSER_UA } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Polaris-Page");
    expect(html).toContain(TEST_SHOP);

    // Token exchange happened against the (fake) Admin API and left an offline session and a Shop row.
    const session = await stack.db.session.findFirst({ where: { shop: TEST_SHOP } });
    expect(session).toMatchObject({ isOnline: false });
    const shop = await stack.db.shop.findUnique({ where: { domain: TEST_SHOP } });
    expect(shop?.detailsSyncedAt).toBeNull();

    await stack.startWorker();
    const synced = await waitFor(() => stack.db.shop.findFirst({ where: { domain: TEST_SHOP, detailsSyncedAt: { not: null } } }));
    const fixture = stack.fakeAdmin.store(TEST_SHOP).shop;
    expect(synced).toMatchObject({
      name: fixture.name,
      currencyCode: fixture.currencyCode,
      ianaTimezone: fixture.ianaTimezone,
      planName: fixture.plan.publicDisplayName,
    });
    const graphqlCalls = stack.fakeAdmin.requests.filter((r) => r.operationName === "ShopDetails");
    expect(graphqlCalls).toHaveLength(1);
  });

  it("renders the Polaris home with the store's details for a valid session", async () => {
    const response = await fetch(embeddedUrl(stack, "/app", await sessionToken()), { headers: { "User-Agent": BROWSER_UA } });
    expect(response.status).toBe(200);
    const html = await response.text();
    const fixture = stack.fakeAdmin.store(TEST_SHOP).shop;
    expect(html).toContain(fixture.name);
    expect(html).toContain(`Currency: <!-- -->${fixture.currencyCode}`);
    expect(html).toContain(`Timezone: <!-- -->${fixture.ianaTimezone}`);
    expect(html).toContain("Store details synced");
  });

  it("keeps the sandbox sign-in switched off unless SANDBOX_MODE is on", async () => {
    for (const path of ["/sandbox", "/sandbox/session-token", "/sandbox/app-bridge.js"]) {
      const response = await fetch(`${stack.appUrl}${path}`, { headers: { "User-Agent": BROWSER_UA }, redirect: "manual" });
      expect(response.status, path).toBe(404);
    }
    // The sandbox's permission dialog cannot grant anything outside the sandbox.
    const grant = await fetch(`${stack.appUrl}/sandbox/grant-scopes`, { method: "POST", headers: { "User-Agent": BROWSER_UA, "Content-Type": "application/json" }, body: JSON.stringify({ scopes: ["write_orders"] }) });
    expect(grant.status).toBe(404);
    await grant.body?.cancel();
    expect(stack.fakeAdmin.grantedScopesOf(TEST_SHOP)).not.toContain("write_orders");
  });
});
