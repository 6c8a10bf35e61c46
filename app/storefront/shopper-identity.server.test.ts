import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStoreFixture } from "../../sim/shopify-admin/fixtures";
import { SHOP_DOMAIN_HEADER, startFakeShopifyAdmin, type FakeShopifyAdmin } from "../../sim/shopify-admin/server";
import type { AdminGraphql } from "../shopify/admin-graphql.server";
import { verifyShopperIdentity } from "./identity.server";
import { identifyLoggedInShopper } from "./shopper-identity.server";

const shop = "maple-and-thread.myshopify.com";
const appSecret = "app-secret-for-shopper-identity-tests";
const now = new Date("2026-11-24T12:00:00Z");

describe("identifying the logged-in shopper from the Admin API", () => {
  let fake: FakeShopifyAdmin;
  let graphql: AdminGraphql;
  beforeAll(async () => {
    fake = await startFakeShopifyAdmin({ stores: { [shop]: createStoreFixture({ shopDomain: shop }) } });
    const token = fake.issueAccessToken(shop);
    graphql = (query, options) =>
      fetch(`${fake.url}/admin/api/2026-10/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token, [SHOP_DOMAIN_HEADER]: shop },
        body: JSON.stringify({ query, variables: options?.variables }),
      });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it("returns who the customer is, a token bound to them and its expiry, and nothing else", async () => {
    const maya = fake.store(shop).customers[0];
    const customerId = maya.id.split("/").pop()!;
    const signed = await identifyLoggedInShopper({ graphql, appSecret, now }, { shop, customerId });
    const identity = signed!.identity;

    // Orders, spend and the merchant's internal tags stay on the server.
    expect(Object.keys(identity).sort()).toEqual(["email", "name", "oscar_identity", "user_id"]);
    expect(identity).toMatchObject({ user_id: customerId, email: maya.defaultEmailAddress.emailAddress, name: `${maya.firstName} ${maya.lastName}` });
    // 30 minutes from now: 2026-11-24T12:30:00Z.
    expect(signed!.expiresAt).toBe(Date.parse("2026-11-24T12:30:00Z") / 1000);
    const verified = verifyShopperIdentity({ secret: appSecret, shop, now, token: identity.oscar_identity, customerId, email: identity.email });
    expect(verified).toEqual({ verified: true, customerId, order: null });
    expect(verifyShopperIdentity({ secret: appSecret, shop, now: new Date("2026-11-24T12:30:00Z"), token: identity.oscar_identity, customerId }).verified).toBe(false);
    const liam = fake.store(shop).customers[1];
    expect(verifyShopperIdentity({ secret: appSecret, shop, now, token: identity.oscar_identity, email: liam.email }).verified).toBe(false);
  });

  it("returns nothing for a customer the shop does not have", async () => {
    expect(await identifyLoggedInShopper({ graphql, appSecret, now }, { shop, customerId: "1" })).toBeNull();
  });
});
