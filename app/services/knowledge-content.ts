import type { ItemInput } from "../models/knowledge-items.server";

/**
 * How the store's content reads to the bot: one short plain-text block per product, collection,
 * page or policy. Prices are written with the currency code (no locale guesswork), and HTML bodies
 * are turned into text because the sources are sent as `text`.
 */

export type ProductRecord = {
  id: string;
  title: string;
  handle: string;
  status: string;
  description: string;
  productType: string;
  vendor: string;
  tags: string[];
  onlineStoreUrl: string | null;
  variants: { title: string; price: string; availableForSale: boolean }[];
  collections: string[];
};

export type CollectionRecord = { id: string; title: string; handle: string; description: string; productsCount: number };
export type PageRecord = { id: string; title: string; handle: string; body: string; isPublished: boolean };
export type PolicyRecord = { id: string; type: string; title: string; body: string; url: string };

/** A product the storefront sells; drafts, archived and unpublished products are no knowledge. */
export const isSellable = (product: ProductRecord) => product.status === "ACTIVE" && product.onlineStoreUrl !== null;

const VARIANTS_SHOWN = 100;
export const OTHER_PRODUCT_TYPE = "Other products";

export function productItem(product: ProductRecord, currencyCode: string): ItemInput {
  const lines = [`## ${product.title}`];
  if (product.onlineStoreUrl) lines.push(`Link: ${product.onlineStoreUrl}`);
  const facts = [
    product.productType && `Type: ${product.productType}`,
    product.vendor && `Brand: ${product.vendor}`,
    product.tags.length > 0 && `Tags: ${product.tags.join(", ")}`,
  ].filter(Boolean);
  if (facts.length) lines.push(facts.join(" | "));
  if (product.collections.length) lines.push(`Collections: ${product.collections.join(", ")}`);
  if (product.description.trim()) lines.push(squeeze(product.description));
  const real = product.variants.filter((v) => v.title !== "Default Title");
  if (real.length === 0 && product.variants[0]) {
    const only = product.variants[0];
    lines.push(`Price: ${only.price} ${currencyCode}, ${only.availableForSale ? "in stock" : "sold out"}`);
  } else if (real.length > 0) {
    lines.push("Variants:");
    for (const v of real.slice(0, VARIANTS_SHOWN)) lines.push(`- ${v.title}: ${v.price} ${currencyCode}, ${v.availableForSale ? "in stock" : "sold out"}`);
    if (real.length > VARIANTS_SHOWN) lines.push(`- and ${real.length - VARIANTS_SHOWN} more variants`);
  }
  return {
    itemId: product.id,
    kind: "product",
    groupName: product.productType.trim() || OTHER_PRODUCT_TYPE,
    tags: product.tags.map((t) => t.trim().toLowerCase()),
    text: lines.join("\n"),
  };
}

export function collectionItem(collection: CollectionRecord, storefrontUrl: string): ItemInput {
  const lines = [`## ${collection.title}`, `Link: ${storefrontUrl}/collections/${collection.handle}`, `Products: ${collection.productsCount}`];
  if (collection.description.trim()) lines.push(squeeze(collection.description));
  return { itemId: collection.id, kind: "collection", groupName: "Collections", tags: [], text: lines.join("\n") };
}

export function pageItem(page: PageRecord, storefrontUrl: string): ItemInput {
  const text = [`## ${page.title}`, `Link: ${storefrontUrl}/pages/${page.handle}`, htmlToText(page.body)].filter(Boolean).join("\n");
  return { itemId: page.id, kind: "page", groupName: "Pages", tags: [], text };
}

export function policyItem(policy: PolicyRecord): ItemInput {
  const text = [`## ${policy.title}`, `Link: ${policy.url}`, htmlToText(policy.body)].filter(Boolean).join("\n");
  return { itemId: policy.id, kind: "policy", groupName: "Policies", tags: [], text };
}

const squeeze = (text: string) => text.replace(/[ \t]+/g, " ").replace(/\n{3,}/g, "\n\n").trim();

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Readable text from a page or policy body: block elements become lines, list items dashes, tags go. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<li[^>]*>/gi, "\n- ")
    .replace(/<\/(td|th)>/gi, " ")
    .replace(/<(br|\/p|\/div|\/h[1-6]|\/li|\/tr|\/table|\/ul|\/ol)[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
  return text
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n");
}
