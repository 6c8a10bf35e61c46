// The fixture store: the same on every run, with the customers support conversations are about.
import { describe, expect, it } from "vitest";
import { createStoreFixture } from "./fixtures";

const SHOP = "oscar-sandbox.myshopify.com";

describe("createStoreFixture", () => {
  it("builds the same store from the same options, and another from another seed", () => {
    expect(createStoreFixture({ shopDomain: SHOP, seed: 7 })).toEqual(createStoreFixture({ shopDomain: SHOP, seed: 7 }));
    const a = createStoreFixture({ shopDomain: SHOP, seed: 7 });
    const b = createStoreFixture({ shopDomain: SHOP, seed: 8 });
    expect(a.products.map((p) => p.title)).not.toEqual(b.products.map((p) => p.title));
  });

  it("has a VIP who spent over 1,000 with an order in transit, a shopper awaiting shipment, and shoppers who never ordered", () => {
    const store = createStoreFixture({ shopDomain: SHOP });
    const ordersOf = (id: string) => store.orders.filter((o) => o.customerId === id).sort((x, y) => x.processedAt.localeCompare(y.processedAt));
    const [vip, waiting, subscriber] = store.customers;

    expect(vip.tags).toContain("VIP");
    const spent = ordersOf(vip.id).reduce((sum, o) => sum + Number(o.currentTotalPriceSet.shopMoney.amount), 0);
    expect(spent).toBeGreaterThan(1000);
    const vipLatest = ordersOf(vip.id).at(-1)!;
    expect(vipLatest.fulfillments[0]).toMatchObject({ displayStatus: "IN_TRANSIT", trackingInfo: [{ company: expect.any(String), number: expect.any(String), url: expect.stringMatching(/^https:\/\//) }] });

    expect(ordersOf(waiting.id).at(-1)).toMatchObject({ displayFulfillmentStatus: "UNFULFILLED", displayFinancialStatus: "PAID", fulfillments: [] });
    expect(ordersOf(subscriber.id)).toEqual([]);
    expect(store.customers.slice(3).some((c) => ordersOf(c.id).length === 0)).toBe(true);
  });

  it("numbers orders from #1001 in the order they were placed, with totals that add up", () => {
    const store = createStoreFixture({ shopDomain: SHOP });
    expect(store.orders[0].name).toBe("#1001");
    store.orders.forEach((order, index) => {
      expect(order.name).toBe(`#${1001 + index}`);
      if (index > 0) expect(order.processedAt >= store.orders[index - 1].processedAt).toBe(true);
      const parts = [order.subtotalPriceSet, order.totalShippingPriceSet, order.totalTaxSet].map((bag) => Math.round(Number(bag.shopMoney.amount) * 100));
      expect(Math.round(Number(order.totalPriceSet.shopMoney.amount) * 100)).toBe(parts.reduce((a, b) => a + b, 0));
    });
  });

  it("carries the shop's policies and online-store pages", () => {
    const { shop, pages } = createStoreFixture({ shopDomain: SHOP });
    expect(shop.shopPolicies.map((p) => p.type)).toEqual(["REFUND_POLICY", "SHIPPING_POLICY", "PRIVACY_POLICY", "TERMS_OF_SERVICE"]);
    expect(shop.shopPolicies.every((p) => p.body.length > 100)).toBe(true);
    expect(pages.filter((p) => p.isPublished).map((p) => p.handle)).toEqual(["about-us", "faq", "size-guide", "contact-us"]);
  });

  it("generates a 10,000-product catalogue in time proportional to its size, with unique handles and ids", () => {
    const timed = (products: number) => {
      const started = performance.now();
      const store = createStoreFixture({ shopDomain: SHOP, products, customers: 0 });
      return { store, ms: performance.now() - started };
    };
    // The reference is measured in the same run (the best of three, after a warm-up), so a loaded
    // machine slows both sides: an absolute bound (3 s for about 0.2 s idle) failed at load average 25.
    timed(2_000);
    const reference = Math.min(...[1, 2, 3].map(() => timed(2_000).ms));
    const { store, ms } = timed(10_000);
    const { products } = store;

    expect(products).toHaveLength(10_000);
    expect(new Set(products.map((p) => p.handle)).size).toBe(10_000);
    expect(new Set(products.flatMap((p) => p.variants.map((v) => v.id))).size).toBe(products.reduce((n, p) => n + p.variants.length, 0));
    // Knowledge-sync tests build such stores in their setup: five times the products must cost about
    // five times as much (25 times would be quadratic).
    expect(ms / reference).toBeLessThan(12);
  });
});
