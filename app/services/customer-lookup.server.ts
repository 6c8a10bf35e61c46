import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { CUSTOMER_FOR_CONVERSATION_QUERY } from "../graphql/customer-for-conversation";
import { decryptSecret, encryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../security/encryption.server";
import { runAdminQuery, type AdminGraphql } from "../shopify/admin-graphql.server";

const money = z.object({ amount: z.string(), currencyCode: z.string() });

const customerSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  numberOfOrders: z.union([z.string(), z.number()]).transform(Number),
  amountSpent: money,
  tags: z.array(z.string()),
  createdAt: z.string(),
  orders: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        processedAt: z.string(),
        displayFinancialStatus: z.string().nullable(),
        displayFulfillmentStatus: z.string(),
        totalPriceSet: z.object({ shopMoney: money }),
        fulfillments: z.array(z.object({ trackingInfo: z.array(z.object({ number: z.string().nullable(), url: z.string().nullable(), company: z.string().nullable() })) })),
      }),
    ),
  }),
});

const responseSchema = z.object({ customers: z.object({ nodes: z.array(customerSchema) }) });

export type ShopifyCustomer = z.infer<typeof customerSchema>;

/** Shopify search syntax: the email quoted, with quotes and backslashes escaped. */
export function customerEmailQuery(email: string): string {
  return `email:"${email.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The cache entry's id for one shop and email: the email itself never appears in a Redis key. */
export function customerCacheId(shop: string, email: string): string {
  return createHash("sha256").update(`${shop}\n${email.trim().toLowerCase()}`).digest("hex").slice(0, 32);
}

export const customerCacheKey = (prefix: string, id: string) => `${prefix}customer-cache:${id}`;
export const customerLockKey = (prefix: string, id: string) => `${prefix}customer-lock:${id}`;
/** Which cache ids belong to a shop (scored by expiry), so uninstall and shop/redact can find them without the emails. */
export const customerCacheIndexKey = (prefix: string, shop: string) => `${prefix}customer-cache-index:${shop}`;

export type CustomerLookup = (shop: string, email: string, graphql: () => Promise<AdminGraphql>) => Promise<ShopifyCustomer | null>;

/**
 * Finds a customer by email, remembering the answer briefly in Redis (encrypted: it is a customer's
 * data) so a burst of conversations from one shopper costs one Admin API query, across processes:
 * the first caller takes a short lock and queries, the others wait for its answer.
 */
export function createCustomerLookup({ redis, prefix, keyring, ttlSeconds = 60, waitMs = 3_000 }: {
  redis: Redis;
  prefix: string;
  keyring: EncryptionKeyring;
  ttlSeconds?: number;
  waitMs?: number;
}): CustomerLookup {
  return async (shop, email, graphql) => {
    const id = customerCacheId(shop, email);
    const cacheKey = customerCacheKey(prefix, id);
    const lockKey = customerLockKey(prefix, id);
    const read = async () => {
      const sealed = await redis.get(cacheKey);
      return sealed === null ? undefined : (JSON.parse(decryptSecret(keyring, sealed, { shop, field: SECRET_FIELDS.customerCache })) as ShopifyCustomer | null);
    };

    const deadline = Date.now() + waitMs;
    for (;;) {
      const cached = await read();
      if (cached !== undefined) return cached;
      if (await redis.set(lockKey, "1", "PX", waitMs, "NX")) break;
      if (Date.now() > deadline) break; // the lock holder is stuck: ask Shopify ourselves
      await new Promise((r) => setTimeout(r, 25));
    }
    try {
      const data = await runAdminQuery(await graphql(), CUSTOMER_FOR_CONVERSATION_QUERY, responseSchema, { query: customerEmailQuery(email) });
      const customer = data.customers.nodes[0] ?? null;
      const indexKey = customerCacheIndexKey(prefix, shop);
      const expiresAt = Date.now() + ttlSeconds * 1000;
      // Expired ids are pruned on each write, so the index stays as small as the live cache.
      await redis
        .multi()
        .set(cacheKey, encryptSecret(keyring, JSON.stringify(customer), { shop, field: SECRET_FIELDS.customerCache }), "EX", ttlSeconds)
        .zadd(indexKey, expiresAt, id)
        .zremrangebyscore(indexKey, "-inf", Date.now())
        .expire(indexKey, ttlSeconds)
        .exec();
      return customer;
    } finally {
      await redis.del(lockKey);
    }
  };
}

/** The cached look-up for one shopper, if one is live (for a customer's data export). */
export async function readCachedCustomer(redis: Redis, prefix: string, keyring: EncryptionKeyring, shop: string, email: string): Promise<ShopifyCustomer | null> {
  const sealed = await redis.get(customerCacheKey(prefix, customerCacheId(shop, email)));
  return sealed === null ? null : (JSON.parse(decryptSecret(keyring, sealed, { shop, field: SECRET_FIELDS.customerCache })) as ShopifyCustomer | null);
}

/** Forgets one shopper's cached look-up in one shop (customers/redact). */
export async function forgetCachedCustomer(redis: Redis, prefix: string, shop: string, email: string): Promise<number> {
  const id = customerCacheId(shop, email);
  const [deleted] = await Promise.all([
    redis.del(customerCacheKey(prefix, id), customerLockKey(prefix, id)),
    redis.zrem(customerCacheIndexKey(prefix, shop), id),
  ]);
  return deleted;
}

/** Forgets every cached look-up of one shop (uninstall, shop/redact), found through the shop's index. */
export async function forgetCachedCustomers(redis: Redis, prefix: string, shop: string): Promise<number> {
  const indexKey = customerCacheIndexKey(prefix, shop);
  const ids = await redis.zrange(indexKey, 0, -1);
  const keys = ids.flatMap((id) => [customerCacheKey(prefix, id), customerLockKey(prefix, id)]);
  const deleted = keys.length ? await redis.del(...keys) : 0;
  await redis.del(indexKey);
  return deleted;
}
