// Shopify's own library (token exchange, refresh, GraphQL client) against the fake, routed the way
// the app routes it in tests and the sandbox: https://<shop>/admin/… → the fake, shop in a header.
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, GraphqlQueryError, LogSeverity, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStoreFixture } from "./fixtures";
import { SHOP_DOMAIN_HEADER, startFakeShopifyAdmin, type FakeShopifyAdmin } from "./server";

const SHOP = "oscar-test-shop.myshopify.com";
const API_KEY = "oscar-test-api-key";
const API_SECRET = "oscar-test-api-secret-0123456789";

const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  scopes: ["read_customers", "read_orders"],
  hostName: "oscar-chat.example.com",
  apiVersion: ApiVersion.October26,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

let admin: FakeShopifyAdmin;

beforeAll(async () => {
  admin = await startFakeShopifyAdmin({ apiKey: API_KEY, apiSecret: API_SECRET, stores: { [SHOP]: createStoreFixture({ shopDomain: SHOP }) } });
  setAbstractFetchFunc((input, init) => {
    const original = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const headers = new Headers(init?.headers);
    headers.set(SHOP_DOMAIN_HEADER, original.hostname);
    return fetch(new URL(original.pathname + original.search, admin.url), { ...init, headers });
  });
});

afterAll(async () => {
  await admin?.close();
});

async function sessionToken() {
  return (await getJwt(SHOP.replace(".myshopify.com", ""), API_KEY, API_SECRET)).token;
}

describe("@shopify/shopify-api against the fake Admin API", () => {
  it("exchanges a session token for offline, online and expiring sessions, and refreshes the expiring one", async () => {
    const offline = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken: await sessionToken(), requestedTokenType: RequestedTokenType.OfflineAccessToken });
    expect(offline.session).toMatchObject({ id: `offline_${SHOP}`, shop: SHOP, isOnline: false, accessToken: expect.stringMatching(/^shpat_/) });

    const online = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken: await sessionToken(), requestedTokenType: RequestedTokenType.OnlineAccessToken });
    expect(online.session).toMatchObject({ id: `${SHOP}_12345`, isOnline: true, onlineAccessInfo: { associated_user: { id: 12345 } } });

    const expiring = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: await sessionToken(),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(expiring.session.refreshToken).toMatch(/^shprt_/);
    const refreshed = await shopify.auth.refreshToken({ shop: SHOP, refreshToken: expiring.session.refreshToken! });
    expect(refreshed.session.accessToken).not.toBe(expiring.session.accessToken);
  });

  it("answers the GraphQL client with data and cost, and raises Shopify's errors as GraphqlQueryError", async () => {
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken: await sessionToken(), requestedTokenType: RequestedTokenType.OfflineAccessToken });
    const client = new shopify.clients.Graphql({ session });

    const answer = await client.request<{ shop: { name: string } }>("query ShopName { shop { name } }");
    expect(answer.data?.shop.name).toBe(admin.store(SHOP).shop.name);
    expect(answer.extensions).toMatchObject({ cost: { requestedQueryCost: 1, actualQueryCost: 1 } });

    await expect(client.request("query Misspelt { shop { nmae } }")).rejects.toThrow(GraphqlQueryError);

    admin.setThrottle({ currentlyAvailable: 0, restoreRate: 0 });
    const throttled = await client.request("query ShopName { shop { name } }").catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(GraphqlQueryError);
    expect((throttled as GraphqlQueryError).message).toBe("Throttled");
  });
});
