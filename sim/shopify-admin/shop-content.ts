// The words a shop publishes: its policies and online-store pages, written the way a small
// apparel brand would, so knowledge-sync and answer tests have believable text to work with.
import { slugify } from "./catalogue";
import type { PageFixture, ShopPolicyFixture, ShopPolicyType } from "./fixtures";
import { gid } from "./gid";
import { isoDaysBefore } from "./time";

function formatMoney(amount: number, currencyCode: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).format(amount);
}

export function policies(storefrontUrl: string, shopName: string, contactEmail: string, currencyCode: string, createdAt: string, idOffset: number): ShopPolicyFixture[] {
  const freeShipping = formatMoney(100, currencyCode);
  const texts: Record<ShopPolicyType, [string, string]> = {
    REFUND_POLICY: ["Refund policy", `<p>We have a 30-day return policy: you have 30 days after receiving your item to request a return.</p><p>Items must be unworn, unwashed and in their original packaging. To start a return, contact us at ${contactEmail}. Refunds go back to the original payment method within 10 business days of our receiving the return.</p><p>Sale items and gift cards cannot be returned.</p>`],
    SHIPPING_POLICY: ["Shipping policy", `<p>Orders ship within 1–2 business days from our warehouse. Standard shipping takes 3–7 business days and is free on orders over ${freeShipping}.</p><p>Every order gets a tracking number by email as soon as it ships. We ship to the United States and Canada.</p>`],
    PRIVACY_POLICY: ["Privacy policy", `<p>${shopName} collects the information you give us when you order or contact us (name, email, address) and uses it only to fulfil your order and answer you. We never sell your data. Email ${contactEmail} to see or delete what we hold about you.</p>`],
    TERMS_OF_SERVICE: ["Terms of service", `<p>By using this store you agree to these terms. Prices and availability may change without notice. ${shopName} is not liable for delays caused by carriers.</p>`],
  };
  return (Object.keys(texts) as ShopPolicyType[]).map((type, index) => ({
    __typename: "ShopPolicy",
    id: gid("ShopPolicy", 30_000_000_000 + idOffset * 10 + index),
    type,
    title: texts[type][0],
    body: texts[type][1],
    url: `${storefrontUrl}/policies/${slugify(texts[type][0])}`,
    createdAt,
    updatedAt: createdAt,
  }));
}

export function pages(storefrontUrl: string, shopName: string, contactEmail: string, idOffset: number, now: Date): PageFixture[] {
  const entries: [string, string, boolean][] = [
    ["About us", `<p>${shopName} started in a small workshop in 2019. We make a few things well, from natural fibres, and repair what we sell.</p>`, true],
    ["FAQ", `<h2>When will my order ship?</h2><p>Within 1–2 business days. You get a tracking link by email.</p><h2>Can I change my order?</h2><p>Yes, until it ships: write to ${contactEmail} with your order number.</p><h2>Do you restock sold-out sizes?</h2><p>Most sizes come back within 4–6 weeks.</p>`, true],
    ["Size guide", "<p>Our knitwear runs true to size. Between sizes? Size up for a relaxed fit.</p><table><tr><th>Size</th><th>Chest (in)</th></tr><tr><td>S</td><td>36–38</td></tr><tr><td>M</td><td>39–41</td></tr><tr><td>L</td><td>42–44</td></tr></table>", true],
    ["Contact us", `<p>Email ${contactEmail} or use the chat on any page. We answer within one business day.</p>`, true],
    ["Holiday gift guide", "<p>Draft: our picks for the season.</p>", false],
  ];
  return entries.map(([title, body, isPublished], index) => {
    const createdAt = isoDaysBefore(now, 400 - index * 30);
    return {
      __typename: "Page",
      id: gid("Page", 120_000_000_000 + idOffset * 100 + index + 1),
      title,
      handle: slugify(title),
      body,
      bodySummary: body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, 150),
      isPublished,
      publishedAt: isPublished ? createdAt : null,
      createdAt,
      updatedAt: createdAt,
    };
  });
}
