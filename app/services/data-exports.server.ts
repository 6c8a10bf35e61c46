import type { Redis } from "ioredis";
import { decryptSecret, encryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../security/encryption.server";

/**
 * Customer data exports (answers to customers/data_request), kept where the merchant can download
 * them: one Redis key per request, encrypted like every other copy of a customer's data, expiring
 * after the 30 days Shopify gives the merchant to answer the customer. A sorted set per shop (export
 * id scored by expiry) lists them, so a page view reads only that shop's keys, never the keyspace.
 */

export const DATA_EXPORT_TTL_SECONDS = 30 * 24 * 3600;

export type ConversationExport = {
  conversationId: string;
  createdAt: string;
  enrichedAt: string | null;
  enrichmentOutcome: string | null;
  urgentAt: string | null;
  vipAt: string | null;
  botEscalatedAt: string | null;
  assignedAt: string | null;
  assigneeId: string | null;
  resolvedAt: string | null;
};

export type OrderActionExport = {
  conversationId: string;
  agentId: string;
  command: string;
  orderId: string | null;
  orderName: string | null;
  plan: unknown;
  status: string;
  outcome: string | null;
  createdAt: string;
  confirmedAt: string | null;
  confirmedBy: string | null;
  completedAt: string | null;
};

export type CustomerDataExport = {
  topic: "customers/data_request";
  shop: string;
  dataRequestId: string;
  preparedAt: string;
  expiresAt: string;
  customer: { shopifyCustomerId: string; email: string | null };
  /** The app's record of each conversation with this customer (also the source of the analytics). */
  conversations: ConversationExport[];
  /** The customer's orders the app keeps for assisted revenue (id, total, time). */
  orders: { orderId: string; totalPrice: string; currencyCode: string; placedAt: string }[];
  /**
   * Order commands agents wrote in this customer's conversations (who, what, when, result), with the
   * preview's plan as the app stored it. Confirmation codes are never stored, so none appear.
   */
  orderActions?: OrderActionExport[];
  /** Private notes the app wrote in Oscar Chat with this customer's Shopify details; their text lives in Oscar. */
  oscarNotes: { conversationId: string; description: string }[];
  /** Attributes the app set on this customer's Oscar Chat contact; the values live in Oscar. */
  oscarContactAttributes: string[];
  /** Oscar events about this customer the app holds in its queue (encrypted), waiting or kept after processing. */
  queuedEvents: { state: string; type: string; receivedAt: string; event: unknown }[];
  /** The copy of the customer's Shopify record the app keeps for a minute to answer a burst of chats. */
  cachedShopifyCustomer: unknown;
  /**
   * Shopify Flow triggers the app sent about this customer's conversations, and the Flow action runs it
   * took for them (a note's or message's text lives in Oscar). Absent in exports made before Flow.
   */
  shopifyFlow?: {
    triggersSent: { conversationId: string; trigger: string; sentAt: string }[];
    actionRuns: { conversationId: string | null; action: string; outcome: string; receivedAt: string }[];
  };
};

export type DataExportSummary = Pick<CustomerDataExport, "dataRequestId" | "preparedAt" | "expiresAt"> & { shopifyCustomerId: string };

export type DataExportStore = {
  save(data: CustomerDataExport): Promise<void>;
  read(shop: string, dataRequestId: string): Promise<CustomerDataExport | null>;
  list(shop: string): Promise<DataExportSummary[]>;
  /** Deletes the shop's exports for which `matches` is true; all of them without it. */
  remove(shop: string, matches?: (data: CustomerDataExport) => boolean): Promise<number>;
};

const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

export function createDataExportStore({ redis, prefix, keyring, ttlSeconds = DATA_EXPORT_TTL_SECONDS }: {
  redis: Redis;
  /** e.g. "oscar:" */
  prefix: string;
  keyring: EncryptionKeyring;
  ttlSeconds?: number;
}): DataExportStore {
  const keyOf = (shop: string, dataRequestId: string) => `${prefix}data-export:${shop}:${dataRequestId}`;
  const indexOf = (shop: string) => `${prefix}data-export-index:${shop}`;
  // An export sealed with a key that was since retired can be read by no one: it counts as absent.
  const open = (shop: string, sealed: string | null): CustomerDataExport | null => {
    if (sealed === null) return null;
    try {
      return JSON.parse(decryptSecret(keyring, sealed, { shop, field: SECRET_FIELDS.dataExport })) as CustomerDataExport;
    } catch {
      return null;
    }
  };

  /** The shop's indexed export ids, after dropping those past their expiry. */
  async function indexedIds(shop: string): Promise<string[]> {
    await redis.zremrangebyscore(indexOf(shop), "-inf", Date.now());
    return redis.zrange(indexOf(shop), 0, -1);
  }

  // Erasure only: exports saved before the index existed (at most 30 days old) are found by a scan, so
  // a redaction never misses one. Page views never scan.
  async function* unindexedKeys(shop: string): AsyncGenerator<string> {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${escapeGlob(keyOf(shop, ""))}*`, "COUNT", 500);
      cursor = next;
      yield* keys;
    } while (cursor !== "0");
  }

  return {
    async save(data) {
      const expiresAt = Date.now() + ttlSeconds * 1000;
      await redis
        .multi()
        .set(keyOf(data.shop, data.dataRequestId), encryptSecret(keyring, JSON.stringify(data), { shop: data.shop, field: SECRET_FIELDS.dataExport }), "EX", ttlSeconds)
        .zadd(indexOf(data.shop), expiresAt, data.dataRequestId)
        // The index lives as long as its newest export.
        .expire(indexOf(data.shop), ttlSeconds)
        .exec();
    },
    async read(shop, dataRequestId) {
      if (!/^\d{1,20}$/.test(dataRequestId)) return null;
      return open(shop, await redis.get(keyOf(shop, dataRequestId)));
    },
    async list(shop) {
      const ids = await indexedIds(shop);
      if (ids.length === 0) return [];
      const sealed = await redis.mget(ids.map((id) => keyOf(shop, id)));
      const summaries: DataExportSummary[] = [];
      for (const value of sealed) {
        const data = open(shop, value);
        if (data) summaries.push({ dataRequestId: data.dataRequestId, preparedAt: data.preparedAt, expiresAt: data.expiresAt, shopifyCustomerId: data.customer.shopifyCustomerId });
      }
      return summaries.sort((a, b) => b.preparedAt.localeCompare(a.preparedAt));
    },
    async remove(shop, matches) {
      const keys = new Set((await indexedIds(shop)).map((id) => keyOf(shop, id)));
      for await (const key of unindexedKeys(shop)) keys.add(key);
      const removed: string[] = [];
      for (const key of keys) {
        if (matches) {
          const data = open(shop, await redis.get(key));
          // Unreadable exports are removed too: they can only ever take up room.
          if (data && !matches(data)) continue;
        }
        if (await redis.del(key)) removed.push(key);
        await redis.zrem(indexOf(shop), key.slice(keyOf(shop, "").length));
      }
      if (!matches) await redis.del(indexOf(shop));
      return removed.length;
    },
  };
}
