import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { CUSTOMER_FOR_CONVERSATION_QUERY } from "../graphql/customer-for-conversation";
import { decryptSecret, encryptSecret, type EncryptionKeyring } from "../security/encryption.server";
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
    // The email itself never appears in a Redis key.
    const id = createHash("sha256").update(`${shop}\n${email.trim().toLowerCase()}`).digest("hex").slice(0, 32);
    const cacheKey = `${prefix}customer-cache:${id}`;
    const lockKey = `${prefix}customer-lock:${id}`;
    const read = async () => {
      const sealed = await redis.get(cacheKey);
      return sealed === null ? undefined : (JSON.parse(decryptSecret(keyring, sealed)) as ShopifyCustomer | null);
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
      await redis.set(cacheKey, encryptSecret(keyring, JSON.stringify(customer)), "EX", ttlSeconds);
      return customer;
    } finally {
      await redis.del(lockKey);
    }
  };
}
