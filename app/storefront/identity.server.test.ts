import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deriveIdentityKey, IDENTITY_TTL_SECONDS, signShopperIdentity, verifyShopperIdentity } from "./identity.server";

const secret = "app-secret-for-identity-tests";
const shop = "maple-and-thread.myshopify.com";
const now = new Date("2026-11-24T12:00:00Z");
const maya = { customerId: "7400000000001", email: "maya.okafor@example.com" };
const liam = { customerId: "7400000000002", email: "liam.chen@example.com" };

function tokenFor(who: { customerId: string; email: string }, overrides: Partial<Parameters<typeof signShopperIdentity>[0]> = {}) {
  return signShopperIdentity({ secret, shop, now, ...who, ...overrides });
}

describe("shopper identity tokens", () => {
  it("verify a token for the customer, email and shop it was signed for", () => {
    const token = tokenFor(maya);
    expect(verifyShopperIdentity({ secret, shop, token, now, ...maya })).toEqual({ verified: true, customerId: maya.customerId, order: null });
    // The same claims in Shopify's other spellings still match.
    expect(
      verifyShopperIdentity({ secret, shop: shop.toUpperCase(), token, now, customerId: `gid://shopify/Customer/${maya.customerId}`, email: " Maya.Okafor@Example.com " }),
    ).toEqual({ verified: true, customerId: maya.customerId, order: null });
  });

  it("carry neither the email nor the name in readable form", () => {
    const token = tokenFor(maya);
    const payload = Buffer.from(token.split(".")[1], "base64url").toString("utf8");
    expect(payload).not.toContain("maya");
    expect(token.toLowerCase()).not.toContain("maya");
  });

  it("refuse Liam's token when the contact claims Maya's email (a forged identify)", () => {
    const token = tokenFor(liam);
    expect(verifyShopperIdentity({ secret, shop, token, now, email: maya.email })).toEqual({ verified: false, reason: "email-mismatch" });
    expect(verifyShopperIdentity({ secret, shop, token, now, email: maya.email, customerId: liam.customerId })).toMatchObject({ verified: false });
  });

  it("refuse a token copied onto another customer id", () => {
    const token = tokenFor(maya);
    expect(verifyShopperIdentity({ secret, shop, token, now, customerId: liam.customerId, email: maya.email })).toEqual({
      verified: false,
      reason: "customer-mismatch",
    });
    expect(verifyShopperIdentity({ secret, shop, token, now, customerId: "not-a-number" })).toMatchObject({ verified: false });
  });

  it("refuse a token signed for another shop", () => {
    const token = signShopperIdentity({ secret, shop: "another-store.myshopify.com", now, ...maya });
    expect(verifyShopperIdentity({ secret, shop, token, now, ...maya })).toEqual({ verified: false, reason: "bad-signature" });
  });

  it("refuse a token signed with another app's secret", () => {
    const token = signShopperIdentity({ secret: "someone-elses-secret", shop, now, ...maya });
    expect(verifyShopperIdentity({ secret, shop, token, now, ...maya })).toEqual({ verified: false, reason: "bad-signature" });
  });

  it("refuse a token once it has expired, and not a second before", () => {
    const token = tokenFor(maya, { ttlSeconds: 600 });
    const justBefore = new Date(now.getTime() + 599_000);
    const atExpiry = new Date(now.getTime() + 600_000);
    expect(verifyShopperIdentity({ secret, shop, token, now: justBefore, ...maya }).verified).toBe(true);
    expect(verifyShopperIdentity({ secret, shop, token, now: atExpiry, ...maya })).toEqual({ verified: false, reason: "expired" });
    const dayOld = tokenFor(maya);
    expect(verifyShopperIdentity({ secret, shop, token: dayOld, now: new Date(now.getTime() + IDENTITY_TTL_SECONDS * 1000), ...maya }).verified).toBe(false);
  });

  it("refuse a default token after 30 minutes, well within the hour issue 17 allows", () => {
    const token = tokenFor(maya);
    expect(verifyShopperIdentity({ secret, shop, token, now: new Date(now.getTime() + 29 * 60_000), ...maya }).verified).toBe(true);
    expect(verifyShopperIdentity({ secret, shop, token, now: new Date(now.getTime() + 30 * 60_000), ...maya })).toEqual({ verified: false, reason: "expired" });
  });

  it("refuse a token whose payload was edited to name another customer or live longer", () => {
    const [version, payload, mac] = tokenFor(maya).split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    for (const edit of [{ sub: liam.customerId }, { exp: claims.exp + 86_400 * 365 }, { shop: "another-store.myshopify.com" }]) {
      const edited = Buffer.from(JSON.stringify({ ...claims, ...edit })).toString("base64url");
      expect(verifyShopperIdentity({ secret, shop, token: `${version}.${edited}.${mac}`, now })).toEqual({ verified: false, reason: "bad-signature" });
    }
    // Every single-character change to the signature fails, including ones base64url would decode alike.
    for (let i = 0; i < mac.length; i++) {
      const swapped = mac.slice(0, i) + (mac[i] === "A" ? "B" : "A") + mac.slice(i + 1);
      expect(verifyShopperIdentity({ secret, shop, token: `${version}.${payload}.${swapped}`, now }).verified).toBe(false);
    }
  });

  it("answer garbage with a reason, never an exception", () => {
    const garbage: unknown[] = [
      undefined, null, 42, {}, [], "", "v1", "v1..", "v2.a.b", "v1.a.b.c", "x".repeat(10_000),
      `v1.${Buffer.from("not json").toString("base64url")}.sig`,
      `v1.${Buffer.from(JSON.stringify({ sub: 1 })).toString("base64url")}.sig`,
    ];
    for (const token of garbage) {
      const result = verifyShopperIdentity({ secret, shop, token, now });
      expect(result.verified).toBe(false);
    }
    // A correctly signed payload of the wrong shape is still refused.
    const key = deriveIdentityKey(secret, shop);
    const body = `v1.${Buffer.from(JSON.stringify({ shop, sub: "abc", em: "", iat: 0, exp: 9e9 })).toString("base64url")}`;
    const token = `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
    expect(verifyShopperIdentity({ secret, shop, token, now })).toEqual({ verified: false, reason: "malformed" });
  });

  it("derive a different key for every shop from the one app secret", () => {
    expect(deriveIdentityKey(secret, shop)).toHaveLength(32);
    expect(deriveIdentityKey(secret, shop).equals(deriveIdentityKey(secret, shop.toUpperCase()))).toBe(true);
    expect(deriveIdentityKey(secret, shop).equals(deriveIdentityKey(secret, "another-store.myshopify.com"))).toBe(false);
    expect(deriveIdentityKey(secret, shop).equals(deriveIdentityKey("another-secret", shop))).toBe(false);
  });

  it("refuse to sign for something that is not a customer id", () => {
    expect(() => signShopperIdentity({ secret, shop, now, customerId: "", email: maya.email })).toThrow(TypeError);
    expect(() => signShopperIdentity({ secret, shop, now, customerId: "gid://shopify/Order/1", email: maya.email })).toThrow(TypeError);
  });
});
