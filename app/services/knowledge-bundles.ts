import { createHash } from "node:crypto";
import type { KnowledgeKind } from "../models/knowledge-items.server";

/**
 * Bundling: the store's items become a bounded number of text sources. Items are grouped (products
 * by product type, other kinds in one group each) and a group is split into 2^n shards by a hash of
 * each item's id, n chosen so a shard holds about PER_SOURCE items and at most MAX_BYTES of text.
 * An item always lands in the same shard while its group's shard count stays the same, so editing
 * one product changes one source; the count changes only when a group doubles or halves.
 * Product types too small for a source of their own (under a quarter of PER_SOURCE) share one
 * group, so a store with hundreds of tiny types still gets at most about 2 × items / PER_SOURCE
 * + (number of large types) sources.
 */

export const PER_SOURCE: Record<KnowledgeKind, number> = { product: 100, collection: 200, page: 25, policy: 10 };
export const MAX_BYTES = 96 * 1024;

const KIND_LABEL: Record<KnowledgeKind, string> = { product: "Products", collection: "Collections", page: "Pages", policy: "Policies" };

export type IndexedItem = { itemId: string; groupName: string; bytes: number };
export type Bundle = { bundleKey: string; title: string; itemIds: string[] };

/** FNV-1a: a stable, fast 32-bit hash of the item id (the shard must not change between runs). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const nextPowerOfTwo = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "other";

export const SMALL_TYPES_GROUP = "More products";

export function bundlesOf(kind: KnowledgeKind, items: IndexedItem[]): Bundle[] {
  const sizes = new Map<string, number>();
  for (const item of items) sizes.set(item.groupName, (sizes.get(item.groupName) ?? 0) + 1);
  const groupOf = (item: IndexedItem) => (kind === "product" && (sizes.get(item.groupName) ?? 0) < PER_SOURCE[kind] / 4 ? SMALL_TYPES_GROUP : item.groupName);
  const groups = new Map<string, IndexedItem[]>();
  for (const item of items) {
    const name = groupOf(item);
    const group = groups.get(name) ?? [];
    group.push(item);
    groups.set(name, group);
  }
  const bundles: Bundle[] = [];
  for (const [groupName, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const bytes = members.reduce((sum, item) => sum + item.bytes, 0);
    const shards = nextPowerOfTwo(Math.max(Math.ceil(members.length / PER_SOURCE[kind]), Math.ceil(bytes / MAX_BYTES)));
    const byShard: string[][] = Array.from({ length: shards }, () => []);
    for (const item of members) byShard[fnv1a(item.itemId) % shards].push(item.itemId);
    const label = kind === "product" ? `${KIND_LABEL[kind]}: ${groupName}` : KIND_LABEL[kind];
    byShard.forEach((itemIds, shard) => {
      if (itemIds.length === 0) return;
      bundles.push({
        bundleKey: `${kind}/${slug(groupName)}/${shards}/${shard + 1}`,
        title: shards === 1 ? label : `${label} (part ${shard + 1} of ${shards})`,
        itemIds: itemIds.sort(),
      });
    });
  }
  return bundles;
}

/** The text sent for a bundle: a heading, then its items in id order (so the hash is stable). */
export function bundleContent(shopName: string, bundle: Bundle, texts: string[]): string {
  return [`# ${bundle.title} — from the online store ${shopName}`, ...texts].join("\n\n");
}

export const contentHash = (content: string) => createHash("sha256").update(content).digest("hex");

/**
 * The source's name at Oscar. It carries the first 8 hex digits of the content hash, so a source
 * found at Oscar with this name holds exactly this content (a retried run adopts it instead of
 * sending it again), and names of older versions never match.
 */
export const sourceName = (bundle: Bundle, hash: string) => `Shopify · ${bundle.title} · ${hash.slice(0, 8)}`;

/** Sources this app created (by their name's shape), to find ones a crashed run left behind. */
export const isAppSourceName = (name: string) => /^Shopify · .+ · [0-9a-f]{8}$/.test(name);
