import { describe, expect, it } from "vitest";
import { htmlToText, productItem } from "./knowledge-content";

describe("how the store's content reads to the bot", () => {
  it("turns a policy's HTML into lines of text, lists as dashes, entities decoded", () => {
    expect(htmlToText("<h2>Returns</h2><p>Within 30&nbsp;days &amp; unworn.</p><ul><li>Tops</li><li>Bags</li></ul><script>x()</script>")).toBe(
      "Returns\nWithin 30 days & unworn.\n- Tops\n- Bags",
    );
  });

  it("writes a product's variants with price, currency and stock, and groups it by product type", () => {
    const item = productItem(
      {
        id: "gid://shopify/Product/1",
        title: "Merino Beanie",
        handle: "merino-beanie",
        status: "ACTIVE",
        description: "Warm.",
        productType: "",
        vendor: "Northwind",
        tags: ["Wool", "new"],
        onlineStoreUrl: "https://shop.example/products/merino-beanie",
        variants: [
          { title: "Oat", price: "25.00", availableForSale: true },
          { title: "Rust", price: "25.00", availableForSale: false },
        ],
        collections: ["Hats"],
      },
      "EUR",
    );
    expect(item.groupName).toBe("Other products");
    expect(item.tags).toEqual(["wool", "new"]);
    expect(item.text).toBe(
      "## Merino Beanie\nLink: https://shop.example/products/merino-beanie\nBrand: Northwind | Tags: Wool, new\nCollections: Hats\nWarm.\nVariants:\n- Oat: 25.00 EUR, in stock\n- Rust: 25.00 EUR, sold out",
    );
  });
});
