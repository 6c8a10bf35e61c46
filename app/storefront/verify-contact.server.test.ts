import { describe, expect, it } from "vitest";
import { signShopperIdentity } from "./identity.server";
import { verifyContactIdentity } from "./verify-contact.server";

const appSecret = "app-secret-for-contact-tests";
const shop = "maple-and-thread.myshopify.com";
const now = new Date("2026-11-24T12:00:00Z");
const deps = { appSecret, shop, now };
const maya = { id: "7400000000001", email: "maya.okafor@example.com" };
const liam = { id: "7400000000002", email: "liam.chen@example.com" };
const tokenOf = (who: { id: string; email: string }) => signShopperIdentity({ secret: appSecret, shop, now, customerId: who.id, email: who.email });

describe("verifying an Oscar contact's identity", () => {
  it("trusts a contact whose identify came from the app for that customer", () => {
    const contact = { id: 91, name: "Maya Okafor", email: maya.email, custom_attributes: { user_id: maya.id, email: maya.email, oscar_identity: tokenOf(maya), total_orders: 7 } };
    expect(verifyContactIdentity(deps, contact)).toEqual({ verified: true, customerId: maya.id, customerGid: `gid://shopify/Customer/${maya.id}`, order: null });
  });

  it("names the order an order-help identity was signed for, with the customer it was signed for", () => {
    const order = { id: "gid://shopify/Order/6100000000031", name: "#1031" };
    const token = signShopperIdentity({ secret: appSecret, shop, now, customerId: maya.id, email: maya.email, ttlSeconds: 900, order });
    expect(verifyContactIdentity(deps, { custom_attributes: { user_id: maya.id, oscar_identity: token } })).toEqual({
      verified: true,
      customerId: maya.id,
      customerGid: `gid://shopify/Customer/${maya.id}`,
      order: { id: "6100000000031", name: "#1031", gid: order.id },
    });
    // The order is part of what is signed: the same token naming another order does not verify at all.
    const [version, payload, mac] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const edited = Buffer.from(JSON.stringify({ ...claims, oid: "6100000000099" })).toString("base64url");
    expect(verifyContactIdentity(deps, { custom_attributes: { oscar_identity: `${version}.${edited}.${mac}` } })).toEqual({ verified: false, reason: "bad-signature" });
  });

  it("does not trust a shopper who identified with their own token but another customer's email", () => {
    const contact = { email: maya.email, custom_attributes: { user_id: liam.id, oscar_identity: tokenOf(liam) } };
    expect(verifyContactIdentity(deps, contact)).toEqual({ verified: false, reason: "email-mismatch" });
    // The email in the attributes counts as a claim too, even when the contact's own email is right.
    const sneaky = { email: liam.email, custom_attributes: { email: maya.email, oscar_identity: tokenOf(liam) } };
    expect(verifyContactIdentity(deps, sneaky)).toMatchObject({ verified: false });
  });

  it("does not trust a copied token next to another customer id", () => {
    const contact = { email: maya.email, custom_attributes: { user_id: liam.id, oscar_identity: tokenOf(maya) } };
    expect(verifyContactIdentity(deps, contact)).toEqual({ verified: false, reason: "customer-mismatch" });
  });

  it("does not trust a contact without a token, or with one from another shop", () => {
    expect(verifyContactIdentity(deps, { email: maya.email, custom_attributes: { user_id: maya.id } })).toEqual({ verified: false, reason: "no-identity" });
    const elsewhere = signShopperIdentity({ secret: appSecret, shop: "another-store.myshopify.com", now, customerId: maya.id, email: maya.email });
    expect(verifyContactIdentity(deps, { email: maya.email, custom_attributes: { oscar_identity: elsewhere } })).toMatchObject({ verified: false });
  });

  it("does not trust an expired token", () => {
    const contact = { email: maya.email, custom_attributes: { oscar_identity: tokenOf(maya) } };
    expect(verifyContactIdentity({ ...deps, now: new Date(now.getTime() + 2 * 86_400_000) }, contact)).toEqual({ verified: false, reason: "expired" });
  });

  it("answers garbage without throwing", () => {
    const garbage: unknown[] = [
      undefined, null, "contact", 7, [], {}, { custom_attributes: null }, { custom_attributes: "x" },
      { custom_attributes: { oscar_identity: 12 } }, { custom_attributes: { oscar_identity: { nested: true } } },
      { email: { not: "a string" }, custom_attributes: { oscar_identity: "v1.x.y", user_id: [1] } },
    ];
    for (const contact of garbage) expect(verifyContactIdentity(deps, contact).verified).toBe(false);
  });
});
