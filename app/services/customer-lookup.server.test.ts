import { describe, expect, it } from "vitest";
import { customerCacheId, customerIdCacheId, exactEmailMatch, type ShopifyCustomer } from "./customer-lookup.server";

const customer = (id: number, email: string | null): ShopifyCustomer => ({
  id: `gid://shopify/Customer/${id}`,
  displayName: `Customer ${id}`,
  defaultEmailAddress: { emailAddress: email },
  numberOfOrders: 0,
  amountSpent: { amount: "0.00", currencyCode: "EUR" },
  tags: [],
  createdAt: "2026-01-01T00:00:00Z",
  orders: { nodes: [] },
});

describe("using a customer found by email only when the email is the contact's", () => {
  it("takes the hit whose email equals the contact's, trimmed and in any case, wherever it is in the list", () => {
    const hits = [customer(1, "jo.ann@example.com"), customer(2, "Ann@Example.com")];
    expect(exactEmailMatch(hits, "  ann@example.COM ")?.id).toBe("gid://shopify/Customer/2");
  });

  it("uses no near miss from Shopify's tokenised search", () => {
    expect(exactEmailMatch([customer(1, "jo.ann@example.com"), customer(2, "ann@example.com.au")], "ann@example.com")).toBeNull();
  });

  it("fails closed when Shopify withholds the email (protected customer data not approved)", () => {
    expect(exactEmailMatch([customer(1, null), { ...customer(2, null), defaultEmailAddress: null }], "ann@example.com")).toBeNull();
    expect(exactEmailMatch([customer(1, "")], "")).toBeNull();
  });

  it("keeps look-ups by id and by email in separate cache entries, whatever the email says", () => {
    const byId = customerIdCacheId("a.myshopify.com", "gid://shopify/Customer/1");
    expect(byId).toMatch(/^id-[0-9a-f]{32}$/);
    expect(customerCacheId("a.myshopify.com", "id-gid://shopify/Customer/1")).toMatch(/^[0-9a-f]{32}$/);
    expect(customerIdCacheId("b.myshopify.com", "gid://shopify/Customer/1")).not.toBe(byId);
  });
});
