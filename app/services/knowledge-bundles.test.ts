import { describe, expect, it } from "vitest";
import { bundlesOf, PER_SOURCE, type IndexedItem } from "./knowledge-bundles";

const product = (n: number, groupName = "Sweaters"): IndexedItem => ({ itemId: `gid://shopify/Product/${8_100_000_000_000 + n}`, groupName, bytes: 400 });
const shardOf = (bundles: ReturnType<typeof bundlesOf>, itemId: string) => bundles.find((b) => b.itemIds.includes(itemId))?.bundleKey;

describe("bundling the store's items into knowledge sources", () => {
  it("keeps 10,000 products in at most about 2 × 10,000 / 100 sources, each item in exactly one", () => {
    const items = Array.from({ length: 10_000 }, (_, n) => product(n, ["Sweaters", "Socks", "Hats", "Bags", "Mugs", "T-Shirts"][n % 6]));
    const bundles = bundlesOf("product", items);
    // 1,667 per type: 17 sources' worth, rounded up to 32 shards of ~52.
    expect(bundles.length).toBe(6 * 32);
    expect(bundles.flatMap((b) => b.itemIds).sort()).toEqual(items.map((i) => i.itemId).sort());
    expect(Math.max(...bundles.map((b) => b.itemIds.length))).toBeLessThan(PER_SOURCE.product * 1.5);
  });

  it("leaves every other product where it was when one product is added or removed", () => {
    const items = Array.from({ length: 500 }, (_, n) => product(n));
    const before = bundlesOf("product", items);
    const after = bundlesOf("product", [...items.slice(1), product(9_999)]);
    const moved = items.slice(1).filter((i) => shardOf(before, i.itemId) !== shardOf(after, i.itemId));
    expect(moved).toEqual([]);
  });

  it("puts tiny product types together instead of giving each its own source", () => {
    const items = Array.from({ length: 2_000 }, (_, n) => product(n, `Type ${n % 400}`));
    const bundles = bundlesOf("product", items);
    expect(bundles.every((b) => b.title.startsWith("Products: More products"))).toBe(true);
    expect(bundles.length).toBeLessThanOrEqual(32);
  });

  it("splits a group by text size too, so no source grows past the size bound", () => {
    const items = Array.from({ length: 40 }, (_, n) => ({ ...product(n), bytes: 10_000 }));
    const bundles = bundlesOf("product", items);
    expect(bundles.length).toBeGreaterThan(1);
    expect(bundles[0].title).toMatch(/^Products: Sweaters \(part 1 of \d+\)$/);
  });
});
